"""The reads behind the item analysis page (admin, staff only): the current catalog's scales
and the answers of every submitted self-assessment scored by instrument 2.

Four queries whatever the number of results: the active questions (with their skills), the
answers, the style choices and the active situations. Results scored before instrument 2
(``result.score`` without ``instrument``) are left out: they answered another catalog.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from assessments.item_analysis import Item, Scale, complete_cases
from assessments.models import Answer, Assessment
from roles.models import Question, Situation

INSTRUMENT = 2

#: The axis poles, in the order the page shows them, with the name of their scale.
POLES = (
    (Question.Pole.STRATEGIC, "Strategic pole"),
    (Question.Pole.TACTICAL, "Tactical pole"),
    (Question.Pole.LEADER, "People leader pole"),
    (Question.Pole.IC, "Individual contributor pole"),
)


def instrument_results() -> QuerySet[Assessment]:
    """Submitted self-assessments scored by instrument 2 (the JSON lookup works on SQLite's
    JSON1 and PostgreSQL's jsonb alike)."""
    return Assessment.objects.filter(
        kind=Assessment.Kind.SELF,
        status=Assessment.Status.SUBMITTED,
        result__score__instrument=INSTRUMENT,
    )


@dataclass(frozen=True)
class ItemAnalysisInput:
    """What the pure analysis needs: the scales (complete cases filled in), the number of
    results on this instrument, the active situations and every result's style choices."""

    results: int
    scales: tuple[Scale, ...]
    situations: tuple[tuple[str, str], ...]
    style_choices: tuple[dict[str, str], ...]


def _scales(questions: list[Question], respondents: list[dict[str, int]]) -> list[Scale]:
    """The four pole scales, then one scale per skill (in catalog order) that has questions."""

    def scale(name: str, kind: str, members: Iterable[Question], *, pole: bool) -> Scale:
        # A pole statement places a person at its pole when agreed with: keyed + there.
        items = tuple(Item(id=q.code, text=q.text, key=1 if pole else q.key) for q in members)
        return Scale(name, kind, items, complete_cases(respondents, [i.id for i in items]))

    scales = [
        scale(name, "pole", (q for q in questions if q.pole == pole), pole=True)
        for pole, name in POLES
    ]
    by_skill: dict[int, list[Question]] = defaultdict(list)
    for q in questions:
        by_skill[q.skill_id].append(q)
    scales += [
        scale(members[0].skill.name, "skill", members, pole=False) for members in by_skill.values()
    ]
    return scales


def item_analysis_input() -> ItemAnalysisInput:
    """Everything the page shows, read in four queries."""
    questions = list(
        Question.objects.active()
        .select_related("skill")
        .order_by("skill__order", "skill__slug", "order", "code")
    )
    codes = [q.code for q in questions]
    results = instrument_results()
    answers: dict[UUID, dict[str, int]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(assessment__in=results.values("pk"), question_code__in=codes)
        .values_list("assessment_id", "question_code", "value")
        .order_by()
    )
    for assessment_id, code, value in rows.iterator(chunk_size=5000):
        answers[assessment_id][code] = value
    # Every result, counted once, with its style choices (None when it made none).
    stored = list(results.values_list("pk", "style_choices").order_by())
    choices = tuple(
        {code: c.get("style", "") for code, c in chosen.items() if isinstance(c, dict)}
        for _, chosen in stored
        if isinstance(chosen, dict)
    )
    situations = tuple(Situation.objects.filter(active=True).values_list("code", "text"))
    respondents = list(answers.values())
    return ItemAnalysisInput(
        results=len(stored),
        scales=tuple(_scales(questions, respondents)),
        situations=situations,
        style_choices=choices,
    )
