"""A large organisation for load tests: `manage.py seed_scale --reports 1000 --assessments 50000`.

One manager (``scale-manager@example.com``) with ``--reports`` direct reports, and other people
in teams of ten, with ``--assessments`` submitted assessments spread over them: a history of
past self-assessments per person (about ``--history`` each), a few assessments the manager
wrote about reports, and a plan with its actions for each person's latest self-assessment.

Built for speed, with bulk inserts: every user shares one password hash (hashed once), and the
scores are real but reused. A few answer sets per demo pattern are submitted once per current
title through ``services.submission_of`` (the code a real submit runs: scoring, the stored
result, the plan and its actions) and copied to the people who answer that way, so the team
page, the heatmap, result, history and plan pages show real numbers.

Everything it creates belongs to a user whose email is ``scale-…@example.com``: a second run
refuses while that data exists, and ``--reset`` deletes exactly that data (and nothing else)
first. It loads the shipped catalog when the database has none.
"""

import copy
import json
import math
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, connection, models, transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.management.bulk import (
    FIRST_NAMES,
    LAST_NAMES,
    Person,
    Variant,
    build_variants,
    dates_as_given,
    spread,
    submitted_copy,
)
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.services.sharing import skill_scores
from roles.selectors import Catalog
from roles.services import SHIPPED_CATALOG, catalog_import

SCALE_PASSWORD = "trajectory-scale"  # noqa: S105 (printed on purpose: load-test accounts)
EMAIL_PREFIX = "scale-"
EMAIL_DOMAIN = "@example.com"
MANAGER_EMAIL = f"{EMAIL_PREFIX}manager{EMAIL_DOMAIN}"
TEAM_SIZE = 10  # people who do not report to the scale manager sit in teams of this size
NOT_TAKEN_SHARE = 0.05  # reports who have not taken it yet
PRIVATE_SHARE = 0.10  # reports who keep every result private


def scale_users() -> models.QuerySet:
    """Every account seed_scale created, and only those."""
    return User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=EMAIL_DOMAIN)


# --- the organisation ---------------------------------------------------------------------


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
        catalog = Catalog()
        variants = build_variants(catalog)
        self._step(f"made {len(variants)} answer sets")

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
        assessments += self._manager_views(manager_of[:manager_views], variants, catalog, rng)
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
        plans, items = self._plans(latest, rng)
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
        titles = list(catalog.roles)
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
            for n in range(p.takes):  # n: how many results back from the latest
                # The older half follows the person's first pattern, the recent half the second.
                variant = variants[p.path[0] if n > p.takes // 2 else p.path[1]]
                done, plan, items = variant.submission(p.user.current_title, catalog)
                a = submitted_copy(p.user, p.user, done, when)
                a.shared_with_manager = not p.private
                made.append((a, variant, done))
                if n == 0:
                    latest.append((a, plan, items))
                    # What latest_shared_refresh keeps: the team page's one result per person.
                    if a.shared_with_manager:
                        a.is_latest_shared = True
                        a.skill_scores = skill_scores(done.result)
                when -= timedelta(days=rng.randint(14, 60), minutes=rng.randint(0, 1440))
        return made, latest

    def _manager_views(
        self, people: list[Person], variants: list[Variant], catalog: Catalog, rng: random.Random
    ) -> list[tuple]:
        """The scale manager's own view of some reports (for the self-vs-manager page)."""
        now = timezone.now()
        made = []
        for p in people:
            when = now - timedelta(hours=rng.randint(1, 24 * 30))
            variant = rng.choice(variants)
            done = variant.submission(p.user.current_title, catalog, Assessment.Kind.MANAGER)[0]
            a = submitted_copy(self.manager, p.user, done, when)
            a.target_title, a.target_title_name = None, ""  # a manager's view plans nothing
            made.append((a, variant, done))
        return made

    @staticmethod
    def _insert_assessments(assessments: list[tuple]) -> None:
        """The first assessment with each stored result is inserted with its result; the others
        without, then get a copy of that stored value in the database, a few hundred rows
        per UPDATE. (PostgreSQL parses and compresses a 30 KB jsonb value in about half a
        millisecond; copying one it already stores costs next to nothing.)"""
        firsts: dict[int, Assessment] = {}
        rest: dict[int, list] = {}
        for a, _, done in assessments:
            if id(done) in firsts:
                rest[id(done)].append(a.pk)
            else:
                firsts[id(done)], rest[id(done)] = a, []
                a.result = done.result
        dates = [Assessment._meta.get_field(name) for name in ("created_at", "updated_at")]
        with dates_as_given(*dates):
            Assessment.objects.bulk_create([a for a, _, _ in assessments], batch_size=500)
        for key, first in firsts.items():
            stored = Assessment.objects.filter(pk=first.pk).values("result")[:1]
            ids = rest[key]
            for start in range(0, len(ids), 500):
                Assessment.objects.filter(pk__in=ids[start : start + 500]).update(
                    result=Subquery(stored)
                )

    def _insert_answers(self, assessments: list[tuple]) -> int:
        """Every assessment's answers. Millions of rows: straight to the database (COPY on
        PostgreSQL, executemany on SQLite) rather than through model instances."""
        table = connection.ops.quote_name(Answer._meta.db_table)
        fields = [f for f in Answer._meta.concrete_fields if f.name != "id"]
        fields.sort(key=lambda f: f.name != "assessment")  # the assessment id first
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        fk = Answer._meta.get_field("assessment")

        def rows() -> Iterator[tuple]:
            for a, variant, _ in assessments:
                key = fk.get_db_prep_save(a.pk, connection)
                for row in variant.answer_rows:
                    yield (key, *row)

        count = sum(len(v.answer_rows) for _, v, _ in assessments)
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

    def _plans(self, latest: list[tuple], rng: random.Random) -> tuple[int, int]:
        """A plan for each person's latest self-assessment (the submit's own, copied), some
        actions done or under way."""
        plans, items = [], []
        for a, template, template_items in latest:
            plan = copy.copy(template)
            plan.id, plan.assessment, plan.owner = uuid.uuid4(), a, a.subject
            plan.created_at = plan.updated_at = a.submitted_at
            plans.append(plan)
            count = len(template_items)
            done = rng.randint(0, count)
            doing = rng.randint(0, count - done)
            statuses = [PlanItem.Status.DONE] * done + [PlanItem.Status.DOING] * doing
            statuses += [PlanItem.Status.TODO] * (count - done - doing)
            for item, status in zip(template_items, statuses, strict=True):
                item = copy.copy(item)
                item.plan, item.status = plan, status
                items.append(item)
        plans.sort(key=lambda plan: plan.pk)  # in key order: the index grows at its end
        plan_dates = [Plan._meta.get_field(name) for name in ("created_at", "updated_at")]
        with dates_as_given(*plan_dates):
            Plan.objects.bulk_create(plans, batch_size=500)
        PlanItem.objects.bulk_create(items, batch_size=1000)
        return len(plans), len(items)
