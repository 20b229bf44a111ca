"""A demo organisation for `make run`: idempotent, so running it twice duplicates nothing.

Maya manages ten PMs whose results spread over all four quadrants: some shared, some kept
private, some not taken yet, one with a trail of two results and Maya's own view to compare
with. Every result is answered and scored through the real services (``answers_save``,
``assessment_submit``), so the numbers on the demo pages are exactly what those answers give;
only the dates are moved into the past afterwards, so the team shows a history. A person who
already has any self-assessment, or a manager assessment already written, is left alone on a
second run.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.models import Assessment, Plan, PlanItem
from assessments.services import latest_shared_refresh
from roles.models import Role

DEMO_PASSWORD = "trajectory-demo"  # noqa: S105 (printed for the demo on purpose)

ADMIN = ("admin@example.com", "Ada Admin")
MANAGER = ("maya@example.com", "Maya Manager", "director-of-pm")
REPORTS = [
    ("priya@example.com", "Priya Patel", "senior-pm"),
    ("tom@example.com", "Tom Becker", "product-manager"),
    ("lena@example.com", "Lena Novak", "associate-pm"),
    ("omar@example.com", "Omar Haddad", "principal-pm"),
    ("grace@example.com", "Grace Kim", "manager-of-pm"),
    ("jonas@example.com", "Jonas Berg", "senior-pm"),
    ("sofia@example.com", "Sofia Rossi", "product-manager"),
    ("kwame@example.com", "Kwame Mensah", "senior-pm"),
    ("ines@example.com", "Inès Moreau", "product-manager"),
    ("noah@example.com", "Noah Fischer", "associate-pm"),
]
SOLO = ("sam@example.com", "Sam Solo", "product-manager")


#: Which part of the work each skill belongs to, for the answer patterns below.
FAMILIES = {
    "backlog-delivery": "delivery",
    "feature-definition": "delivery",
    "customer-insight": "delivery",
    "product-analytics": "delivery",
    "hands-on-execution": "hands-on",
    "customer-discovery": "strategy",
    "market-insight": "strategy",
    "strategic-thinking": "strategy",
    "vision-principles": "strategy",
    "roadmapping": "strategy",
    "stakeholder-alignment": "influence",
    "influence-without-authority": "influence",
    "executive-relationships": "influence",
    "leading-initiatives": "people",
    "mentoring-coaching": "people",
    "hiring-staffing": "people",
    "team-culture-empowerment": "people",
}

#: How much a person agrees (1..5) that they do each part of the work, by pattern. Each one
#: is crafted to land in a quadrant (tests/test_seed_demo.py checks where each person lands).
PATTERNS: dict[str, dict[str, int]] = {
    "delivery": {"delivery": 5, "hands-on": 5, "strategy": 2, "influence": 3, "people": 2},
    "specialist": {"delivery": 4, "hands-on": 4, "strategy": 3, "influence": 2, "people": 2},
    "steady": {"delivery": 4, "hands-on": 5, "strategy": 2, "influence": 3, "people": 2},
    "early-career": {"delivery": 4, "hands-on": 5, "strategy": 2, "influence": 2, "people": 1},
    "strategist": {"delivery": 2, "hands-on": 5, "strategy": 5, "influence": 4, "people": 1},
    "rising-strategist": {"delivery": 3, "hands-on": 5, "strategy": 5, "influence": 4, "people": 2},
    "team-lead": {"delivery": 4, "hands-on": 2, "strategy": 2, "influence": 3, "people": 5},
    "leader": {"delivery": 2, "hands-on": 2, "strategy": 4, "influence": 5, "people": 5},
    "visionary": {"delivery": 3, "hands-on": 2, "strategy": 5, "influence": 4, "people": 4},
    "coach": {"delivery": 3, "hands-on": 3, "strategy": 3, "influence": 4, "people": 5},
}


@dataclass(frozen=True)
class Take:
    """One assessment: an answer pattern, how many days ago it was submitted, whether it is
    shared with the manager, and how many plan actions are done / under way."""

    pattern: str
    days_ago: int
    shared: bool = True
    done: int = 0
    doing: int = 0


@dataclass(frozen=True)
class Profile:
    takes: tuple[Take, ...] = ()  # oldest first; the last one is the latest result
    draft: bool = False  # a self-assessment started and saved half way
    manager_view: Take | None = None  # Maya's assessment of this person
    notes: dict[str, str] = field(default_factory=dict)  # skill slug → Maya's evidence


PROFILES: dict[str, Profile] = {
    # Moved from delivery towards strategy over six months: a trail, and Maya's view to compare.
    "priya@example.com": Profile(
        takes=(
            Take("steady", days_ago=190, done=2),
            Take("rising-strategist", days_ago=21, done=2, doing=2),
        ),
        manager_view=Take("coach", days_ago=12),
        notes={
            "mentoring-coaching": "Priya coached both new APMs through their first launches "
            "this quarter, without being asked.",
            "hiring-staffing": "She ran the interview loop for the data PM role and wrote the "
            "exercise we now use.",
            "market-insight": "I have not seen a competitor review from Priya yet; I would love "
            "to read one.",
            "team-culture-empowerment": "The retro format she introduced is now how the whole "
            "group runs its retros.",
        },
    ),
    "tom@example.com": Profile(takes=(Take("delivery", days_ago=44, done=1, doing=2),)),
    "lena@example.com": Profile(takes=(Take("early-career", days_ago=9),)),
    "omar@example.com": Profile(takes=(Take("strategist", days_ago=63, done=4, doing=1),)),
    "grace@example.com": Profile(takes=(Take("leader", days_ago=30, done=3, doing=2),)),
    "jonas@example.com": Profile(takes=(Take("team-lead", days_ago=16, done=1),)),
    "sofia@example.com": Profile(takes=(Take("visionary", days_ago=27, shared=False),)),
    "kwame@example.com": Profile(takes=(Take("specialist", days_ago=51, shared=False, done=1),)),
    "ines@example.com": Profile(draft=True),
    "noah@example.com": Profile(),
}


def answer_values(questions, *, pattern: str, seed: int) -> dict[str, int]:
    """Answers (question code → 1..5) of a person who works this way.

    Each statement is answered at the pattern's level for its skill's part of the work, now and
    then one step up or down (deterministic, so every run gives the same answers) so that no
    two people answer identically. Reverse-keyed statements are answered the other way round,
    as a consistent person would. Skills the patterns do not know are answered neutrally.
    """
    levels = PATTERNS[pattern]
    values = {}
    for i, q in enumerate(questions):
        level = levels.get(FAMILIES.get(q.skill.slug, ""), 3)
        wobble = {0: -1, 1: 1}.get((seed * 3 + i * 5) % 7, 0)
        agreement = max(1, min(5, level + wobble))
        values[q.code] = agreement if q.key == 1 else 6 - agreement
    return values


class Command(BaseCommand):
    help = "Create the demo organisation (safe to run again: it changes nothing the second time)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        titles = {role.slug: role for role in Role.objects.all()}
        admin = self._user(*ADMIN, None, is_staff=True, is_superuser=True)
        manager = self._user(*MANAGER[:2], titles.get(MANAGER[2]))
        reports = [
            self._user(email, name, titles.get(title), manager=manager)
            for email, name, title in REPORTS
        ]
        self._user(*SOLO[:2], titles.get(SOLO[2]))
        questions = list(services.active_questions())
        if questions:
            for seed, person in enumerate(reports, start=1):
                self._history(
                    person, manager, PROFILES.get(person.email, Profile()), questions, seed
                )
        else:
            self.stdout.write("No catalog loaded yet: run `manage.py import_catalog` for results.")
        self.stdout.write(
            self.style.SUCCESS("Demo organisation ready. Sign in at http://127.0.0.1:8000/ with:")
        )
        rows = [
            ("Admin (catalog, people)", admin.email),
            (f"Manager with {len(REPORTS)} reports", manager.email),
            ("PM reporting to Maya", REPORTS[0][0]),
            ("PM without a manager", SOLO[0]),
        ]
        for label, email in rows:
            self.stdout.write(f"  {label:<26} {email:<22} password: {DEMO_PASSWORD}")

    def _user(self, email, name, title, manager=None, **flags) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                name=name,
                current_title=title,
                manager=manager,
                **flags,
            )
        return user

    def _history(self, person: User, manager: User, profile: Profile, questions, seed) -> None:
        """The person's demo results, unless they already have any (idempotence)."""
        if not Assessment.objects.filter(subject=person, kind=Assessment.Kind.SELF).exists():
            for n, take in enumerate(profile.takes):
                self._submit(person, person, take, questions, seed * 10 + n)
            if profile.draft:
                draft = services.assessment_start(
                    assessor=person, subject=person, current_title=person.current_title,
                    target_title=None,
                )  # fmt: skip
                half = questions[: len(questions) // 2]
                services.answers_save(
                    assessment=draft,
                    values=answer_values(half, pattern="delivery", seed=seed),
                )
        view = profile.manager_view
        if view and not Assessment.objects.filter(subject=person, assessor=manager).exists():
            self._submit(manager, person, view, questions, seed * 10 + 9, notes=profile.notes)

    def _submit(self, assessor, subject, take: Take, questions, seed, notes=None) -> Assessment:
        """Answer every question for this take, submit through the services, date it."""
        assessment = services.assessment_start(
            assessor=assessor, subject=subject, current_title=subject.current_title,
            target_title=None,
        )  # fmt: skip
        values = answer_values(questions, pattern=take.pattern, seed=seed)
        evidence = {}
        for slug, note in (notes or {}).items():
            first = next((q.code for q in questions if q.skill.slug == slug), None)
            if first:
                evidence[first] = note
        services.answers_save(assessment=assessment, values=values, notes=evidence)
        is_self = assessor == subject
        done = services.assessment_submit(
            assessment=assessment, shared_with_manager=take.shared if is_self else None
        )
        when = timezone.now() - timedelta(days=take.days_ago)
        Assessment.objects.filter(pk=done.pk).update(
            created_at=when - timedelta(days=1), submitted_at=when
        )
        latest_shared_refresh(done)  # the new dates may make an earlier result the latest
        plan = Plan.objects.filter(assessment=done).first()
        if plan is not None:
            Plan.objects.filter(pk=plan.pk).update(created_at=when)
            self._progress(plan, take)
        return done

    def _progress(self, plan: Plan, take: Take) -> None:
        items = list(plan.items.order_by("horizon", "order"))
        statuses = [PlanItem.Status.DONE] * take.done + [PlanItem.Status.DOING] * take.doing
        for item, status in zip(items, statuses, strict=False):
            services.plan_item_update(
                plan=plan, action_code=item.action_code, status=status, note=""
            )
