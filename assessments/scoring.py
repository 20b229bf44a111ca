"""How Trajectory turns answers into a place on the map: the product's scoring rules (v2).

Pure Python, standard library only, no Django: the Django layer builds a ``CatalogSpec`` from
the database, calls ``score()`` and stores ``ScoreResult.to_dict()``. Everything here is
deterministic, so the same catalog and answers always give the same result, and every number
can be traced back to the person's own answers. The About page shows these rules, with a
worked example computed by this module.

1. An answer v in 1..5 becomes u = (v − 3) / 2 in [−1, 1] (negated for a reverse-keyed item).
2. Each axis has two poles, each measured by its own statements (simple structure: a statement
   places a person on at most one pole of one axis). Pole score P = 50 × (1 + mean u), 0..100.
   The statements' position on the axis is S = P(+) − P(−), in [−100, 100]: agreeing with
   everything, or with nothing, lands in the middle.
3. The typical week's split (``TIME_KINDS``, percentages adding up to 100) has its own
   position on each axis, T = share of the + kind − share of the − kind. The position is
   x = (1 − ``TIME_WEIGHT``) × S + ``TIME_WEIGHT`` × T (S alone without a split).
4. The interval: a standard error from the pole statements' spread and count,
   se(S) = 50 × √(sd₊² / n₊ + sd₋² / n₋) (sample sd, at least ``MIN_SD``), combined with the
   split's (``TIME_SD`` points, weighted), times Student's t for n₊ + n₋ − 2 degrees of
   freedom: a 95% interval. Where it reaches zero the axis is **balanced**, and a balanced
   axis gives no quadrant. An axis with fewer than ``MIN_COVERAGE`` of a pole's statements
   answered is not placed.
5. Response-quality flags: straight-lining, strong acquiescence, and low on both poles of an
   axis; each lowers the confidence by one step.
6. A skill's score is 50 × (1 + mean u over its statements); skills drive the plan and the
   closest title (distance on the map mixed with distance between skill profiles), not the axes.
7. The leadership-style lens counts the styles chosen in the situations; it describes, never
   grades, and does not move the axes.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assessments.score_inputs import check_answers, check_catalog, check_styles, check_time
from assessments.score_result import (
    MIN_COVERAGE,
    QUADRANT_LABELS,
    AxisResult,
    Driver,
    ScoreResult,
    SkillScore,
    StyleProfile,
    TitleMatch,
)

__all__ = [
    "MIN_COVERAGE",
    "QUADRANT_LABELS",
    "AxisResult",
    "CatalogSpec",
    "Driver",
    "ItemSpec",
    "ScoreResult",
    "SituationSpec",
    "SkillScore",
    "SkillSpec",
    "StyleProfile",
    "TitleMatch",
    "TitleSpec",
    "score",
]

AXES: tuple[str, str] = ("strategic", "leadership")
#: Each axis's poles: (+ pole, − pole).
POLES: dict[str, tuple[str, str]] = {
    "strategic": ("strategic", "tactical"),
    "leadership": ("leader", "ic"),
}
POLE_NAMES: dict[str, str] = {
    "strategic": "strategic",
    "tactical": "tactical",
    "leader": "people leader",
    "ic": "individual contributor",
}
#: Each axis in words: (+ pole, − pole).
AXIS_LABELS: dict[str, tuple[str, str]] = {
    axis: (POLE_NAMES[plus], POLE_NAMES[minus]) for axis, (plus, minus) in POLES.items()
}
STYLES: tuple[str, ...] = ("direct", "coach", "support", "delegate")

#: The kinds of work in a typical week, and where each pulls on each axis (+1, −1 or 0).
TIME_KINDS: dict[str, dict[str, int]] = {
    "delivery": {"strategic": -1, "leadership": 0},
    "craft": {"strategic": 0, "leadership": -1},
    "strategy": {"strategic": 1, "leadership": 0},
    "people": {"strategic": 0, "leadership": 1},
    "other": {"strategic": 0, "leadership": 0},
}
#: How much the week's split weighs in a position (the statements weigh the rest).
TIME_WEIGHT = 0.25
#: The doubt allowed for a week's split as a measurement, in points on its own scale.
TIME_SD = 25.0
#: Floor on a pole's spread (u units): identical answers still leave some doubt.
MIN_SD = 0.35
#: Interval half-widths (points) at or under which confidence reads "high" / "moderate".
HIGH_CONFIDENCE = 20.0
MODERATE_CONFIDENCE = 35.0
CONFIDENCE_STEPS = ("low", "moderate", "high")

PLACED = "placed"
BALANCED = "balanced"
INSUFFICIENT = "insufficient"
BALANCED_LABEL = "balanced"
INSUFFICIENT_LABEL = "not enough answers"

#: Response-quality flags, with what the result page says of each.
STRAIGHT_LINING = "straight-lining"
ACQUIESCENCE = "acquiescence"
STRAIGHT_LINING_SHARE = 0.9
ACQUIESCENCE_SHARE = 0.75
#: A pole score at or under this on both poles of an axis flags "low on both".
LOW_POLE = 30.0
FLAG_TEXTS: dict[str, str] = {
    STRAIGHT_LINING: "Nearly every answer is the same, so the result says less about you.",
    ACQUIESCENCE: "You agreed with most statements on every side, which blurs the differences.",
    "low-strategic": "You answered low on both the strategic and the tactical statements.",
    "low-leadership": "You answered low on both the people-leader and the individual "
    "contributor statements.",
}

# Student's t, two-sided 95%, by degrees of freedom (1..30); 1.96 beyond.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
# Positions closer to zero than this are float noise from equal scores: snap them to 0.
_ZERO = 1e-9
# Longest possible distance on the map: corner to corner.
_MAP_DIAGONAL = 200 * math.sqrt(2)


# --- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillSpec:
    slug: str
    name: str
    group: str


@dataclass(frozen=True)
class ItemSpec:
    """A statement: it feeds one skill's score (key +1, or −1 when agreeing lowers it) and,
    with a ``pole`` ("strategic", "tactical", "leader" or "ic"), places a person on that
    pole of one axis."""

    id: str
    skill: str
    key: int
    text: str
    pole: str = ""


@dataclass(frozen=True)
class TitleSpec:
    """A title: its expected position on both axes (each in [−100, 100]) and the expected
    score (0..100) per skill slug; a skill missing from ``expectations`` is expected at 0."""

    slug: str
    name: str
    track: str
    level: int
    strategic: float
    leadership: float
    expectations: Mapping[str, int] = field(hash=False)


@dataclass(frozen=True)
class SituationSpec:
    id: str
    text: str


@dataclass(frozen=True)
class CatalogSpec:
    """Everything scoring reads. Order matters: skills come back in this order."""

    skills: tuple[SkillSpec, ...]
    items: tuple[ItemSpec, ...]
    titles: tuple[TitleSpec, ...]
    situations: tuple[SituationSpec, ...] = ()


# --- scoring -------------------------------------------------------------------------------


def keyed_u(value: int, key: int) -> float:
    """The centred answer in [−1, 1]: (value − 3) / 2, negated for a reverse-keyed item."""
    u = (value - 3) / 2
    return -u if key < 0 else u


def time_position(split: Mapping[str, int] | None, axis: str) -> float | None:
    """A week's split's own position on an axis: share of its + kind minus its − kind."""
    if not split:
        return None
    return float(sum(share * TIME_KINDS[kind][axis] for kind, share in split.items()))


def score(
    catalog: CatalogSpec,
    answers: Mapping[str, int],
    time: Mapping[str, int] | None = None,
    styles: Mapping[str, str] | None = None,
) -> ScoreResult:
    """Score ``answers`` (item id → 1..5; missing items are unanswered), the week's split
    ``time`` (kind → percent, adding up to 100, or None) and the styles chosen per situation.

    Raises ValueError for an unknown item, kind, situation or style, an answer that is not a
    whole number 1..5, a split that does not add up to 100, and a catalog that breaks its own
    rules (duplicate ids, an item of an unknown skill or pole, a key other than ±1)."""
    check_catalog(catalog, POLE_NAMES)
    values = check_answers(catalog, answers)
    time = check_time(time, TIME_KINDS)
    styles = check_styles(catalog, styles or {}, STYLES)

    by_skill: dict[str, list[tuple[ItemSpec, int]]] = {s.slug: [] for s in catalog.skills}
    totals: dict[str, int] = {s.slug: 0 for s in catalog.skills}
    for item in catalog.items:
        totals[item.skill] += 1
        if item.id in values:
            by_skill[item.skill].append((item, values[item.id]))
    skills = tuple(
        SkillScore(
            slug=s.slug,
            name=s.name,
            group=s.group,
            score=_mean_score(by_skill[s.slug]),
            answered=len(by_skill[s.slug]),
            total=totals[s.slug],
        )
        for s in catalog.skills
    )
    flags = _flags(catalog, values)
    strategic, leadership = (_score_axis(axis, catalog, values, time, flags) for axis in AXES)
    quadrant = ""
    if strategic.state == PLACED and leadership.state == PLACED:
        quadrant = (
            f"{'strategic' if strategic.position > 0 else 'tactical'}-"
            f"{'leader' if leadership.position > 0 else 'ic'}"
        )
    counts = dict.fromkeys(STYLES, 0)
    for chosen in styles.values():
        counts[chosen] += 1
    return ScoreResult(
        skills=skills,
        strategic=strategic,
        leadership=leadership,
        quadrant=quadrant,
        closest=_closest(catalog.titles, skills, strategic.position, leadership.position),
        answered=len(values),
        total=len(catalog.items),
        instrument=2,
        flags=tuple(flags),
        time=dict(time) if time else None,
        style=StyleProfile(counts=counts, answered=len(styles), total=len(catalog.situations))
        if catalog.situations
        else None,
    )


def _mean_score(answered: list[tuple[ItemSpec, int]]) -> float | None:
    if not answered:
        return None
    us = [keyed_u(value, item.key) for item, value in answered]
    return _clip(50 * (1 + math.fsum(us) / len(us)), 0.0, 100.0)


def _sample_sd(us: list[float]) -> float:
    if len(us) < 2:
        return 1.0  # one answer says nothing about spread: assume the widest
    mean = math.fsum(us) / len(us)
    return math.sqrt(math.fsum((u - mean) ** 2 for u in us) / (len(us) - 1))


def t95(df: int) -> float:
    """Student's t for a two-sided 95% interval with ``df`` degrees of freedom."""
    return _T95[df - 1] if 1 <= df <= len(_T95) else 1.96


def _score_axis(
    axis: str,
    catalog: CatalogSpec,
    values: Mapping[str, int],
    time: Mapping[str, int] | None,
    flags: list[str],
) -> AxisResult:
    plus, minus = POLES[axis]
    poles = {pole: [i for i in catalog.items if i.pole == pole] for pole in (plus, minus)}
    answered = {
        pole: [(i, values[i.id]) for i in items if i.id in values] for pole, items in poles.items()
    }
    total = sum(len(items) for items in poles.values())
    count = sum(len(a) for a in answered.values())
    if any(not poles[p] or len(answered[p]) < MIN_COVERAGE * len(poles[p]) - 1e-9 for p in poles):
        return AxisResult(
            axis=axis, position=None, band=None, answered=count, total=total,
            state=INSUFFICIENT, label=INSUFFICIENT_LABEL, confidence=None, drivers=(),
        )  # fmt: skip
    statement_weight = 1 - TIME_WEIGHT if time else 1.0
    means, variances, drivers = {}, {}, []
    for pole, sign in ((plus, 1), (minus, -1)):
        us = [keyed_u(value, item.key) for item, value in answered[pole]]
        means[pole] = math.fsum(us) / len(us)
        variances[pole] = max(_sample_sd(us), MIN_SD) ** 2 / len(us)
        for (item, value), u in zip(answered[pole], us, strict=True):
            drivers.append(
                Driver(
                    item_id=item.id,
                    text=item.text,
                    skill=item.skill,
                    key=item.key,
                    value=value,
                    contribution=sign * statement_weight * 50 * u / len(us),
                )
            )
    high, low = 50 * (1 + means[plus]), 50 * (1 + means[minus])
    statements = high - low
    t_part = time_position(time, axis)
    position = (
        statements if t_part is None else statement_weight * statements + TIME_WEIGHT * t_part
    )
    position = 0.0 if abs(position) < _ZERO else _clip(position, -100.0, 100.0)
    se = statement_weight * 50 * math.sqrt(variances[plus] + variances[minus])
    if t_part is not None:
        se = math.hypot(se, TIME_WEIGHT * TIME_SD)
    band = t95(len(answered[plus]) + len(answered[minus]) - 2) * se
    if high <= LOW_POLE and low <= LOW_POLE:
        flags.append(f"low-{axis}")
    if abs(position) <= band:
        state, label = BALANCED, BALANCED_LABEL
    else:
        state, label = PLACED, POLE_NAMES[plus if position > 0 else minus]
    drivers.sort(key=lambda d: (-abs(d.contribution), d.item_id))
    return AxisResult(
        axis=axis, position=position, band=band, answered=count, total=total, state=state,
        label=label, confidence=_confidence(band, flags, axis), drivers=tuple(drivers),
        high_pole=high, low_pole=low, statements=statements, time=t_part,
    )  # fmt: skip


def _confidence(band: float, flags: list[str], axis: str) -> str:
    step = 2 if band <= HIGH_CONFIDENCE else 1 if band <= MODERATE_CONFIDENCE else 0
    lowering = [f for f in flags if not f.startswith("low-") or f == f"low-{axis}"]
    return CONFIDENCE_STEPS[max(0, step - len(lowering))]


def _flags(catalog: CatalogSpec, values: Mapping[str, int]) -> list[str]:
    """Straight-lining (≥ 90% identical answers) and strong acquiescence (agreeing with at
    least 75% of the statements on every pole). The "low on both poles" flags come from
    the axes."""
    flags = []
    answers = list(values.values())
    if answers and max(answers.count(v) for v in set(answers)) >= STRAIGHT_LINING_SHARE * len(
        answers
    ):
        flags.append(STRAIGHT_LINING)
    shares = []
    for pole in (p for pair in POLES.values() for p in pair):
        given = [values[i.id] for i in catalog.items if i.pole == pole and i.id in values]
        shares.append(sum(1 for v in given if v >= 4) / len(given) if given else 0)
    if shares and min(shares) >= ACQUIESCENCE_SHARE:
        flags.append(ACQUIESCENCE)
    return flags


def _closest(
    titles: Iterable[TitleSpec],
    skills: Iterable[SkillScore],
    x: float | None,
    y: float | None,
) -> tuple[TitleMatch, ...]:
    """Every title, nearest first: half map distance, half skill-profile distance (profile
    alone when an axis is not placed). Ties go to the lower level, then the slug."""
    scored = [(s.slug, s.score) for s in skills if s.score is not None]
    if not scored:
        return ()
    ranked: list[tuple[float, int, str, TitleMatch]] = []
    for title in titles:
        profile = math.sqrt(
            math.fsum(((sc - title.expectations.get(slug, 0)) / 100) ** 2 for slug, sc in scored)
            / len(scored)
        )
        if x is None or y is None:
            distance = profile
        else:
            on_map = math.hypot(x - title.strategic, y - title.leadership) / _MAP_DIAGONAL
            distance = 0.5 * on_map + 0.5 * profile
        match = TitleMatch(slug=title.slug, name=title.name, distance=distance)
        # Rounded for ranking so that float noise cannot break a true tie.
        ranked.append((round(distance, 12), title.level, title.slug, match))
    ranked.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in ranked)


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
