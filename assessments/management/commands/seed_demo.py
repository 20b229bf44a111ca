"""A demo organisation for `make run`: idempotent, so running it twice duplicates nothing.

Maya manages ten PMs whose results spread over all four quadrants and the balanced middle:
some shared, some kept private, some not taken yet, one with a trail of two results and
Maya's own view to compare with. Every result is answered and scored through the real
services (``answers_save``, ``week_save``, ``styles_save``, ``assessment_submit``), so the
numbers on the demo pages are exactly what those answers give; only the dates are moved into
the past afterwards, so the team shows a history. A person who already has any
self-assessment, or a manager assessment already written, is left alone on a second run.
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
from roles.selectors import active_situations

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


#: Which part of the work each skill belongs to, for the skill-only statements.
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


@dataclass(frozen=True)
class Pattern:
    """A way of working: how much the person agrees (1..5) with each pole's statements and
    with each part of the work (skill-only statements), their typical week, and the styles
    they reach for in situations (first most often). tests/test_seed_demo.py checks where
    each lands."""

    poles: dict[str, int]
    families: dict[str, int]
    week: dict[str, int]
    styles: tuple[str, ...]


def _pattern(s, t, lead, ic, week, styles, **families) -> Pattern:
    base = {"delivery": 3, "hands-on": 3, "strategy": 3, "influence": 3, "people": 3}
    poles = {"strategic": s, "tactical": t, "leader": lead, "ic": ic}
    kinds = dict(zip(("delivery", "craft", "strategy", "people", "other"), week, strict=True))
    return Pattern(poles, {**base, **families}, kinds, styles)


PATTERNS: dict[str, Pattern] = {
    "delivery": _pattern(2, 5, 1, 5, (45, 35, 5, 0, 15), ("direct", "coach"), delivery=5),
    "specialist": _pattern(2, 4, 1, 5, (30, 45, 10, 0, 15), ("coach", "direct"), delivery=4),
    "steady": _pattern(2, 5, 2, 4, (40, 35, 10, 0, 15), ("coach", "support"), delivery=4),
    "early-career": _pattern(1, 5, 1, 4, (50, 35, 0, 0, 15), ("direct",), delivery=4),
    "generalist": _pattern(3, 3, 3, 3, (20, 20, 20, 20, 20), ("coach", "support", "direct")),
    "strategist": _pattern(5, 2, 1, 5, (5, 40, 45, 0, 10), ("support", "coach"), strategy=5),
    "rising-strategist": _pattern(
        5, 2, 2, 4, (15, 30, 40, 5, 10), ("coach", "support"), strategy=5
    ),
    "team-lead": _pattern(2, 5, 5, 2, (35, 10, 5, 40, 10), ("direct", "coach"), people=5),
    "leader": _pattern(
        5, 2, 5, 1, (5, 5, 40, 40, 10), ("delegate", "support"), people=5, strategy=4
    ),
    "visionary": _pattern(5, 2, 4, 2, (5, 10, 45, 30, 10), ("support", "delegate"), strategy=5),
    "coach": _pattern(4, 3, 5, 5, (10, 30, 20, 30, 10), ("coach", "support"), people=5),
}  # fmt: skip


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
    "lena@example.com": Profile(takes=(Take("generalist", days_ago=9),)),
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

    A pole statement is answered at the pattern's level for its pole, a skill-only statement
    at the level for its skill's part of the work, now and then one step up or down
    (deterministic, so every run gives the same answers) so that no two people answer
    identically. Reverse-keyed statements are answered the other way round, as a consistent
    person would.
    """
    chosen = PATTERNS[pattern]
    values = {}
    for i, q in enumerate(questions):
        if q.pole:
            level = chosen.poles[q.pole]
        else:
            level = chosen.families.get(FAMILIES.get(q.skill.slug, ""), 3)
        wobble = {0: -1, 1: 1}.get((seed * 3 + i * 5) % 7, 0)
        agreement = max(1, min(5, level + wobble))
        values[q.code] = agreement if q.key == 1 else 6 - agreement
    return values


def style_choices(situations, *, pattern: str) -> dict[str, str]:
    """The style chosen in each situation: the pattern's styles in turn, the first most."""
    styles = PATTERNS[pattern].styles
    order = [styles[0], *styles, styles[0]]
    return {s.code: order[i % len(order)] for i, s in enumerate(situations)}


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
        if is_self:
            services.week_save(assessment=assessment, split=PATTERNS[take.pattern].week)
            situations = active_situations()
            choices = style_choices(situations, pattern=take.pattern)
            services.styles_save(assessment=assessment, choices=choices)
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
