"""A large organisation for load tests: `manage.py seed_scale --reports 1000 --assessments 50000`.

One manager (``scale-manager@example.com``) with ``--reports`` direct reports, and other people
in teams of ten, with ``--assessments`` submitted assessments spread over them: a history of
past self-assessments per person (about ``--history`` each), a few assessments the manager
wrote about reports, and a plan with its actions for each person's latest self-assessment.

Built for speed, with bulk inserts: every user shares one password hash (hashed once), and the
scores are real but reused. A handful of answer patterns (the demo's, with a few variations)
are scored once each by ``assessments.scoring.score`` and planned once per target title by
``assessments.planning.build_plan``, exactly as ``services.assessment_submit`` and
``services.plan_create`` would; every assessment stores one of them, with the answers that
give it. So the team page, the heatmap, result, history and plan pages show real numbers.

Everything it creates belongs to a user whose email is ``scale-…@example.com``: a second run
refuses while that data exists, and ``--reset`` deletes exactly that data (and nothing else)
first. It loads the shipped catalog when the database has none.
"""

import json
import math
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, connection, models, transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from accounts.models import User
from assessments import planning, scoring, services
from assessments.latest import skill_scores
from assessments.management.commands.seed_demo import PATTERNS, answer_values
from assessments.models import Answer, Assessment, Plan, PlanItem
from roles.models import DevelopmentAction, Role, SkillGroup
from roles.services import SHIPPED_CATALOG, catalog_import

SCALE_PASSWORD = "trajectory-scale"  # noqa: S105 (printed on purpose: load-test accounts)
EMAIL_PREFIX = "scale-"
EMAIL_DOMAIN = "@example.com"
MANAGER_EMAIL = f"{EMAIL_PREFIX}manager{EMAIL_DOMAIN}"
TEAM_SIZE = 10  # people who do not report to the scale manager sit in teams of this size
VARIANTS_PER_PATTERN = 3  # answer variations per demo pattern (differently wobbled answers)
NOT_TAKEN_SHARE = 0.05  # reports who have not taken it yet
PRIVATE_SHARE = 0.10  # reports who keep every result private

FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi",
    "Leo", "Maya", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wen", "Xavi", "Yara", "Zoe", "Alba", "Bruno", "Carla", "Dario", "Emma", "Felix", "Gita",
    "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nora",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Berg", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
    "Kim", "Lopez", "Mensah", "Novak", "Okafor", "Patel", "Quist", "Rossi", "Silva", "Tanaka",
    "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhou", "Moreau", "Becker", "Nkosi", "Haas",
    "Kowalski", "Lind", "Murphy", "Nair", "Ortiz", "Petrov", "Ramos", "Sato", "Tran", "Wolf",
)  # fmt: skip


def scale_users() -> models.QuerySet:
    """Every account seed_scale created, and only those."""
    return User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=EMAIL_DOMAIN)


# --- the scored patterns ------------------------------------------------------------------


@dataclass
class Variant:
    """One way of answering the whole questionnaire, scored once and reused."""

    values: dict[str, int]
    result: scoring.ScoreResult
    stored: dict[str, Any]  # Assessment.result, as assessment_submit stores it
    fields: dict[str, Any]  # the Assessment columns computed at submission
    answer_rows: list[tuple]  # Answer columns after the assessment id, ready for the database
    plans: dict[str, planning.PlanDraft] = field(default_factory=dict)  # by target slug


@dataclass
class Catalog:
    """The catalog as the services see it, read once."""

    questions: list
    skills: tuple[scoring.SkillSpec, ...]
    titles: tuple[scoring.TitleSpec, ...]
    roles: dict[str, Role]
    groups: dict[str, str]
    actions: list[planning.ActionSpec]
    action_ids: dict[str, int]
    targets: dict[int | None, Role | None]  # current title id → default target

    @classmethod
    def load(cls) -> "Catalog":
        roles = {r.slug: r for r in Role.objects.for_ladders()}
        return cls(
            questions=list(services.active_questions()),
            skills=services.skill_specs(),
            titles=services.title_specs(),
            roles=roles,
            groups=dict(SkillGroup.objects.values_list("slug", "name")),
            # The same action list plan_create hands to the planner.
            actions=services._action_specs(),
            action_ids=dict(DevelopmentAction.objects.values_list("code", "pk")),
            targets={
                key: services.default_target_for(role)
                for key, role in [(None, None), *((r.pk, r) for r in roles.values())]
            },
        )

    def spec(self) -> scoring.CatalogSpec:
        items = tuple(
            scoring.ItemSpec(id=q.code, skill=q.skill.slug, key=q.key, text=q.text)
            for q in self.questions
        )
        return scoring.CatalogSpec(skills=self.skills, items=items, titles=self.titles)


def build_variants(catalog: Catalog) -> list[Variant]:
    """Score each answer pattern once, as assessment_submit does."""
    spec = catalog.spec()
    answer_fields = [f for f in Answer._meta.concrete_fields if f.name not in ("id", "assessment")]
    now = timezone.now()
    variants = []
    for n, pattern in enumerate(sorted(PATTERNS)):
        for seed in range(VARIANTS_PER_PATTERN):
            values = answer_values(catalog.questions, pattern=pattern, seed=n * 7 + seed)
            result = scoring.score(spec, values)
            closest = result.closest[0] if result.closest else None
            closest_role = catalog.roles.get(closest.slug) if closest else None
            rows = []
            for q in catalog.questions:
                answer = Answer(
                    question=q, question_code=q.code, text=q.text, key=q.key,
                    skill_slug=q.skill.slug, skill_name=q.skill.name,
                    value=values[q.code], note="", updated_at=now,
                )  # fmt: skip
                rows.append(
                    tuple(
                        f.get_db_prep_save(getattr(answer, f.attname), connection)
                        for f in answer_fields
                    )
                )
            variants.append(
                Variant(
                    values=values,
                    result=result,
                    stored=services.result_snapshot(
                        result, catalog.skills, catalog.titles, catalog.groups
                    ),
                    fields={
                        "strategic": result.strategic.position,
                        "leadership": result.leadership.position,
                        "quadrant": result.quadrant,
                        "confidence": services._overall_confidence(result),
                        "closest_title": closest_role,
                        "closest_title_name": closest.name if closest else "",
                    },
                    answer_rows=rows,
                )
            )
    return variants


def plan_draft(catalog: Catalog, variant: Variant, target: Role) -> planning.PlanDraft:
    """The plan plan_create would draft for these answers and this target (computed once)."""
    if target.slug not in variant.plans:
        answers = [
            planning.AnsweredItem(
                id=q.code, text=q.text, skill=q.skill.slug, key=q.key, value=variant.values[q.code]
            )
            for q in catalog.questions
        ]
        # plan_create plans from the stored (rounded) scores, as result_of reads them back.
        stored = scoring.ScoreResult.from_dict(variant.stored["score"])
        variant.plans[target.slug] = planning.build_plan(
            skills=stored.skills,
            target=next(t for t in catalog.titles if t.slug == target.slug),
            actions=catalog.actions,
            answers=answers,
        )
    return variant.plans[target.slug]


# --- the organisation ---------------------------------------------------------------------


@dataclass
class Person:
    user: User
    takes: int  # submitted self-assessments
    private: bool = False  # keeps every result from the manager
    path: tuple[int, int] = (0, 0)  # variant of the early results, variant of the later ones


def spread(total: int, people: int, rng: random.Random) -> list[int]:
    """``total`` split over ``people``, at least one each, unevenly (largest remainder)."""
    if people == 0:
        return []
    extra = total - people
    weights = [rng.uniform(0.2, 1.8) for _ in range(people)]
    scale = extra / sum(weights)
    shares = [w * scale for w in weights]
    counts = [1 + math.floor(s) for s in shares]
    by_remainder = sorted(range(people), key=lambda i: shares[i] - math.floor(shares[i]))
    for i in by_remainder[len(by_remainder) - (total - sum(counts)) :]:
        counts[i] += 1
    return counts


@contextmanager
def dates_as_given(*fields: models.DateTimeField) -> Iterator[None]:
    """Let bulk_create store the dates we set (history in the past) instead of "now"."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@contextmanager
def bulk_load_pragmas() -> Iterator[None]:
    """On SQLite, while seeding: a rollback journal instead of the write-ahead log (WAL would
    write every new page twice: to the log, then to the database at the checkpoint) and a
    page cache big enough for the indexes being filled (256 MB). Both are put back after;
    every new connection sets WAL again anyway (settings ``init_command``)."""
    if connection.vendor != "sqlite":
        yield
        return
    # The journal mode cannot change inside a transaction (a test's, say) or while another
    # connection uses the file: then it stays as it is, which is only slower.
    switch = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (journal,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
        if switch:
            with suppress(OperationalError):
                cursor.execute("PRAGMA journal_mode = DELETE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
            if switch and journal.isalpha():
                with suppress(OperationalError):
                    cursor.execute(f"PRAGMA journal_mode = {journal}")


class Command(BaseCommand):
    help = (
        "Create a large organisation for load tests (one manager with --reports reports, "
        "--assessments submitted assessments). Refuses if it exists; --reset replaces it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, default=1000, help="direct reports (1000)")
        parser.add_argument(
            "--assessments", type=int, default=50000, help="submitted assessments in all (50000)"
        )
        parser.add_argument(
            "--history", type=int, default=10, help="average self-assessments per person (10)"
        )
        parser.add_argument("--password", default=SCALE_PASSWORD, help="password for everyone")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--reset", action="store_true", help="delete earlier seed_scale data first"
        )

    def handle(self, *args, **options) -> None:
        reports, total = options["reports"], options["assessments"]
        if reports < 1 or total < 0 or options["history"] < 1:
            raise CommandError("--reports and --history must be at least 1, --assessments 0+.")
        self.started, self.verbosity = time.monotonic(), options["verbosity"]
        with bulk_load_pragmas(), transaction.atomic():
            if scale_users().exists():
                if not options["reset"]:
                    raise CommandError(
                        f"seed_scale data already exists ({MANAGER_EMAIL} and others). "
                        "Run with --reset to delete it and seed again."
                    )
                self._reset()
            if not services.active_questions().exists():
                catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))
                self._step("catalog imported (none was loaded)")
            self._seed(reports, total, options)
        # Fresh statistics for the query planner after a bulk load (PostgreSQL's autovacuum
        # would get there later; SQLite never does by itself): the team page's queries
        # measured twice as fast on SQLite with them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._step("statistics refreshed (ANALYZE)")
        self.stdout.write(
            self.style.SUCCESS(f"Scale organisation ready in {self._elapsed()}. Sign in with:")
        )
        rows = [
            (f"Manager with {reports:,} reports", MANAGER_EMAIL),
            ("A report", f"{EMAIL_PREFIX}report-00001{EMAIL_DOMAIN}"),
        ]
        if self.others:
            rows.append(("A team lead", f"{EMAIL_PREFIX}person-00001{EMAIL_DOMAIN}"))
        for label, email in rows:
            self.stdout.write(f"  {label:<28} {email}")
        self.stdout.write(f"  Password for every seeded user: {options['password']}")

    # --- steps ------------------------------------------------------------------------------

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f} s"

    def _step(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(f"  [{self._elapsed():>7}] {message}")

    def _reset(self) -> None:
        """Delete everything seed_scale made: its users and all that hangs off them. Rows
        are loaded as bare ids (``only("pk")``): the cascade needs no more, and 50,000 stored
        results would otherwise be read and parsed just to be deleted."""
        people = scale_users()
        mine = Assessment.objects.filter(Q(subject__in=people) | Q(assessor__in=people))
        PlanItem.objects.filter(plan__owner__in=people).delete()
        Plan.objects.filter(owner__in=people).only("pk").delete()
        Answer.objects.filter(assessment__in=mine).delete()
        mine.only("pk").delete()
        count = people.count()
        User.objects.filter(manager__in=people).exclude(pk__in=people).update(manager=None)
        people.only("pk").delete()
        self._step(f"deleted the earlier seed_scale data ({count:,} users)")

    def _seed(self, reports: int, total: int, options: dict) -> None:
        rng = random.Random(options["seed"])
        catalog = Catalog.load()
        variants = build_variants(catalog)
        self._step(f"scored {len(variants)} answer patterns")

        manager_views = min(reports // 10, total // 20)
        selves = total - manager_views
        not_taken = int(reports * NOT_TAKEN_SHARE)
        takers = min(reports - not_taken, selves)
        with_history = max(takers, min(selves, math.ceil(selves / options["history"])))
        others = self.others = with_history - takers
        counts = spread(selves, with_history, rng)

        people = self._users(reports, takers, others, counts, options["password"], catalog, rng)
        self._step(f"created {len(people) + 1:,} users ({reports:,} report to {MANAGER_EMAIL})")
        for person in people:
            person.path = (rng.randrange(len(variants)), rng.randrange(len(variants)))
            person.private = (
                person.user.manager_id == self.manager.pk and rng.random() < PRIVATE_SHARE
            )

        assessments, latest = self._assessments(people, variants, catalog, rng)
        manager_of = [p for p in people if p.takes and p.user.manager_id == self.manager.pk]
        assessments += self._manager_views(manager_of[:manager_views], variants, rng)
        # Random UUIDs inserted in key order: each index grows at its end instead of being
        # rewritten all over (several times faster for millions of answers).
        assessments.sort(key=lambda pair: pair[0].pk)
        start = time.monotonic()
        self._insert_assessments(assessments)
        self._step(f"created {len(assessments):,} assessments ({time.monotonic() - start:.1f} s)")

        start = time.monotonic()
        answers = self._insert_answers(assessments)
        self._step(f"created {answers:,} answers ({time.monotonic() - start:.1f} s)")

        start = time.monotonic()
        plans, items = self._plans(latest, catalog, rng)
        took = time.monotonic() - start
        self._step(f"created {plans:,} plans with {items:,} actions ({took:.1f} s)")

    def _users(
        self,
        reports: int,
        takers: int,
        others: int,
        counts: Sequence[int],
        password: str,
        catalog: Catalog,
        rng: random.Random,
    ) -> list[Person]:
        """The manager, then reports, then everyone else (in teams of TEAM_SIZE, the first
        person of each team leading it). ``counts``: self-assessments per person for the
        first ``takers`` reports and everyone else; the other reports have not taken it yet.
        One password hash for all: hashing is slow on purpose, and these are test accounts."""
        hashed = make_password(password)
        titles = list(catalog.roles.values())
        ic_titles = [r for r in titles if r.level <= 4] or titles
        top = max(titles, key=lambda r: r.level, default=None)
        self.manager = User(email=MANAGER_EMAIL, name="Morgan Scale", password=hashed)
        self.manager.current_title = top
        self.manager.save()

        def person(email: str, manager: User | None) -> User:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            return User(
                email=email, name=name, password=hashed, manager=manager,
                current_title=rng.choice(ic_titles) if ic_titles else None,
            )  # fmt: skip

        direct = [
            person(f"{EMAIL_PREFIX}report-{i:05d}{EMAIL_DOMAIN}", self.manager)
            for i in range(1, reports + 1)
        ]
        User.objects.bulk_create(direct, batch_size=500)
        leads = [
            person(f"{EMAIL_PREFIX}person-{i:05d}{EMAIL_DOMAIN}", None)
            for i in range(1, others + 1, TEAM_SIZE)
        ]
        User.objects.bulk_create(leads, batch_size=500)
        members = []
        for i in range(1, others + 1):
            if (i - 1) % TEAM_SIZE:
                lead = leads[(i - 1) // TEAM_SIZE]
                members.append(person(f"{EMAIL_PREFIX}person-{i:05d}{EMAIL_DOMAIN}", lead))
        User.objects.bulk_create(members, batch_size=500)
        taking = direct[:takers] + leads + members
        people = [Person(user, takes) for user, takes in zip(taking, counts, strict=True)]
        return people + [Person(user, 0) for user in direct[takers:]]

    def _assessments(
        self, people: list[Person], variants: list[Variant], catalog: Catalog, rng: random.Random
    ) -> tuple[list[tuple[Assessment, Variant]], list[tuple[Assessment, Variant]]]:
        """Each person's history of submitted self-assessments, latest within three months,
        earlier ones two weeks to two months apart. Returns all, and each person's latest."""
        now = timezone.now()
        made, latest = [], []
        for p in people:
            when = now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1440))
            current = p.user.current_title
            target = catalog.targets.get(current.pk if current else None)
            for n in range(p.takes):  # n: how many results back from the latest
                # The older half follows the person's first pattern, the recent half the second.
                variant = variants[p.path[0] if n > p.takes // 2 else p.path[1]]
                a = self._assessment(p.user, p.user, variant, when, current, target)
                a.shared_with_manager = not p.private
                made.append((a, variant))
                if n == 0:
                    latest.append((a, variant))
                    # What latest_shared_refresh keeps: the team page's one result per person.
                    if a.shared_with_manager:
                        a.is_latest_shared = True
                        a.skill_scores = skill_scores(variant.stored)
                when -= timedelta(days=rng.randint(14, 60), minutes=rng.randint(0, 1440))
        return made, latest

    def _manager_views(
        self, people: list[Person], variants: list[Variant], rng: random.Random
    ) -> list[tuple[Assessment, Variant]]:
        """The scale manager's own view of some reports (for the self-vs-manager page)."""
        now = timezone.now()
        made = []
        for p in people:
            when = now - timedelta(hours=rng.randint(1, 24 * 30))
            variant = rng.choice(variants)
            a = self._assessment(self.manager, p.user, variant, when, p.user.current_title, None)
            made.append((a, variant))
        return made

    @staticmethod
    def _assessment(
        assessor: User,
        subject: User,
        variant: Variant,
        when: datetime,
        current: Role | None,
        target: Role | None,
    ) -> Assessment:
        return Assessment(
            id=uuid.uuid4(),
            subject=subject,
            assessor=assessor,
            kind=Assessment.Kind.SELF if assessor == subject else Assessment.Kind.MANAGER,
            status=Assessment.Status.SUBMITTED,
            current_title=current,
            target_title=target,
            current_title_name=current.short_name if current else "",
            target_title_name=target.short_name if target else "",
            created_at=when - timedelta(minutes=25),
            updated_at=when,
            submitted_at=when,
            **variant.fields,
        )

    @staticmethod
    def _insert_assessments(assessments: list[tuple[Assessment, Variant]]) -> None:
        """The first assessment of each variant is inserted with its result; the others
        without, then get a copy of that stored value in the database, a few hundred rows
        per UPDATE. (PostgreSQL parses and compresses a 30 KB jsonb value in about half a
        millisecond; copying one it already stores costs next to nothing.)"""
        firsts: dict[int, Assessment] = {}
        rest: dict[int, list] = {}
        for a, variant in assessments:
            if id(variant) in firsts:
                rest[id(variant)].append(a.pk)
            else:
                firsts[id(variant)], rest[id(variant)] = a, []
                a.result = variant.stored
        dates = [Assessment._meta.get_field(name) for name in ("created_at", "updated_at")]
        with dates_as_given(*dates):
            Assessment.objects.bulk_create([a for a, _ in assessments], batch_size=500)
        for key, first in firsts.items():
            stored = Assessment.objects.filter(pk=first.pk).values("result")[:1]
            ids = rest[key]
            for start in range(0, len(ids), 500):
                Assessment.objects.filter(pk__in=ids[start : start + 500]).update(
                    result=Subquery(stored)
                )

    def _insert_answers(self, assessments: list[tuple[Assessment, Variant]]) -> int:
        """Every assessment's answers. Millions of rows: straight to the database (COPY on
        PostgreSQL, executemany on SQLite) rather than through model instances."""
        table = connection.ops.quote_name(Answer._meta.db_table)
        fields = [f for f in Answer._meta.concrete_fields if f.name != "id"]
        fields.sort(key=lambda f: f.name != "assessment")  # the assessment id first
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        fk = Answer._meta.get_field("assessment")

        def rows() -> Iterator[tuple]:
            for a, variant in assessments:
                key = fk.get_db_prep_save(a.pk, connection)
                for row in variant.answer_rows:
                    yield (key, *row)

        count = sum(len(v.answer_rows) for _, v in assessments)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows())
        return count

    def _plans(
        self, latest: list[tuple[Assessment, Variant]], catalog: Catalog, rng: random.Random
    ) -> tuple[int, int]:
        """A plan for each person's latest self-assessment, some actions done or under way."""
        plans, items = [], []
        for a, variant in latest:
            target = a.target_title or catalog.targets.get(None)
            if target is None:
                continue
            draft = plan_draft(catalog, variant, target)
            plan = Plan(
                id=uuid.uuid4(),
                assessment=a,
                owner=a.subject,
                target_title=target,
                target_name=target.short_name,
                target_reason=services._target_reason(a, target, False),
                content=draft.to_dict(actions=False),
                created_at=a.submitted_at,
                updated_at=a.submitted_at,
            )
            plans.append(plan)
            actions = draft.actions
            done = rng.randint(0, len(actions))
            doing = rng.randint(0, len(actions) - done)
            statuses = [PlanItem.Status.DONE] * done + [PlanItem.Status.DOING] * doing
            statuses += [PlanItem.Status.TODO] * (len(actions) - done - doing)
            for order, (action, status) in enumerate(zip(actions, statuses, strict=True), 1):
                items.append(
                    PlanItem(
                        plan=plan,
                        action_id=catalog.action_ids.get(action.action_id),
                        action_code=action.action_id,
                        skill_slug=action.skill,
                        skill_name=next(
                            (f.name for f in draft.focus if f.skill == action.skill), action.skill
                        ),
                        horizon=action.horizon,
                        title=action.title,
                        description=action.description,
                        why=action.why,
                        order=order,
                        status=status,
                    )
                )
        plans.sort(key=lambda plan: plan.pk)  # in key order: the index grows at its end
        plan_dates = [Plan._meta.get_field(name) for name in ("created_at", "updated_at")]
        with dates_as_given(*plan_dates):
            Plan.objects.bulk_create(plans, batch_size=500)
        PlanItem.objects.bulk_create(items, batch_size=1000)
        return len(plans), len(items)
