"""Helpers for the commands that bulk-load data for load tests (``seed_scale``)."""

import math
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, models
from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.management.commands.seed_demo import PATTERNS, answer_values, style_choices
from assessments.models import Answer, Assessment
from roles.models import Role
from roles.selectors import Catalog

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


@dataclass
class Person:
    user: User
    takes: int  # submitted self-assessments
    private: bool = False  # keeps every result from the manager
    path: tuple[int, int] = (0, 0)  # variant of the early results, variant of the later ones


VARIANTS_PER_PATTERN = 3  # answer variations per demo pattern (differently wobbled answers)


# --- the scored patterns ------------------------------------------------------------------


@dataclass
class Variant:
    """One way of answering the whole questionnaire: its answers, and what submitting them
    gives for each current title (``services.submission_of``, the submit's own code, run once
    per variant and title and reused)."""

    pattern: str
    answers: list[Answer]
    answer_rows: list[tuple]  # Answer columns after the assessment id, ready for the database
    submitted: dict[tuple, tuple] = field(default_factory=dict)  # by kind and current title

    def submission(
        self, current: Role | None, catalog: Catalog, kind: str = Assessment.Kind.SELF
    ) -> tuple:
        """(submitted assessment, plan, plan items) from ``current``: a self-assessment (with
        the pattern's week and styles) or a manager's (statements only, as a real one)."""
        key = (kind, current.pk if current else None)
        if key not in self.submitted:
            draft = Assessment(kind=kind, current_title=current)
            if kind == Assessment.Kind.SELF:
                draft.time_allocation = PATTERNS[self.pattern].week
                chosen = style_choices(catalog.situations, pattern=self.pattern)
                draft.style_choices = {
                    code: {"style": style, "text": "", "option": ""}
                    for code, style in chosen.items()
                }
            self.submitted[key] = services.submission_of(draft, self.answers, catalog)
        return self.submitted[key]


def build_variants(catalog: Catalog) -> list[Variant]:
    """A few answer sets per demo pattern, each with its answers as the database stores them."""
    answer_fields = [f for f in Answer._meta.concrete_fields if f.name not in ("id", "assessment")]
    now = timezone.now()
    variants = []
    for n, pattern in enumerate(sorted(PATTERNS)):
        for seed in range(VARIANTS_PER_PATTERN):
            values = answer_values(catalog.questions, pattern=pattern, seed=n * 7 + seed)
            answers = [
                Answer(
                    question=q,
                    question_code=q.code,
                    text=q.text,
                    key=q.key,
                    pole=q.pole,
                    skill_slug=q.skill.slug,
                    skill_name=q.skill.name,
                    value=values[q.code],
                    note="",
                    updated_at=now,
                )
                for q in catalog.questions
            ]
            rows = [
                tuple(f.get_db_prep_save(getattr(a, f.attname), connection) for f in answer_fields)
                for a in answers
            ]
            variants.append(Variant(pattern=pattern, answers=answers, answer_rows=rows))
    return variants


#: What a seeded assessment takes from the submit's result.
COPIED = (
    "strategic", "leadership", "quadrant", "confidence", "closest_title", "closest_title_name",
    "current_title", "current_title_name", "target_title", "target_title_name", "placement",
    "time_allocation", "style_choices",
)  # fmt: skip


def submitted_copy(
    assessor: User,
    subject: User,
    done: Assessment,
    when: datetime,
) -> Assessment:
    """A submitted assessment with the scores of ``done`` (what the submit gave)."""
    return Assessment(
        id=uuid.uuid4(),
        subject=subject,
        assessor=assessor,
        kind=Assessment.Kind.SELF if assessor == subject else Assessment.Kind.MANAGER,
        status=Assessment.Status.SUBMITTED,
        created_at=when - timedelta(minutes=25),
        updated_at=when,
        submitted_at=when,
        **{name: getattr(done, name) for name in COPIED},
    )
