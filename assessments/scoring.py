"""How Trajectory turns answers into a place on the map: the product's scoring rules.

Pure Python, standard library only, no Django: the Django layer builds a ``CatalogSpec`` from
the database (or from the snapshot a submitted assessment keeps), calls ``score()`` and stores
``ScoreResult.to_dict()``. Everything here is deterministic, so the same catalog and answers
always give the same result, and every number can be traced back to the person's own answers.

The rules, in the order ``score()`` applies them:

1. An answer v in 1..5 becomes a centred value u = (v − 3) / 2 in [−1, 1]; for a reverse-keyed
   item (key −1) u = −u. This is the item's *keyed u*.
2. A skill's score is 50 × (1 + mean keyed u over its answered items), in [0, 100]; a skill with
   no answered item has no score.
3. Each axis compares two weighted means of skill scores. For the strategic axis with loadings
   a_k (likewise the leadership axis), over skills that have a score:
   x = Σ_{a_k>0} a_k s_k / Σ_{a_k>0} a_k − Σ_{a_k<0} |a_k| s_k / Σ_{a_k<0} |a_k|, in [−100, 100].
   Rating yourself high on everything therefore lands in the middle, not in a corner.
   (Computed from s_k − 50, which gives the same x and makes reversing every answer mirror the
   position exactly, to the last bit.)
4. The position splits exactly into one signed contribution per answered item (``Driver``).
5. An axis is only placed when at least ``MIN_COVERAGE`` of its items are answered and both of
   its poles have an answer. Around the position sits a ~95% band that widens with few items
   and with inconsistent answers; a band that crosses zero reads "balanced".
6. The closest title mixes distance on the map with distance between skill profiles.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assessments.score_result import (
    MIN_COVERAGE,
    QUADRANT_LABELS,
    AxisResult,
    Driver,
    ScoreResult,
    SkillScore,
    TitleMatch,
)

AXES: tuple[str, str] = ("strategic", "leadership")

#: z for a two-sided ~95% band.
BAND_Z = 1.96
#: Spread assumed for a pole resting on a single answer (the widest a keyed u can spread).
SINGLE_ITEM_SD = 1.0
#: Floor on a pole's spread: perfectly uniform answers still leave some doubt.
MIN_SD = 0.25
#: Band half-widths (points) at or under which confidence reads "high" / "moderate".
HIGH_CONFIDENCE_BAND = 15.0
MODERATE_CONFIDENCE_BAND = 30.0

PLACED = "placed"
BALANCED = "balanced"
INSUFFICIENT = "insufficient"

#: Label for each axis: (positive pole, negative pole).
AXIS_LABELS: dict[str, tuple[str, str]] = {
    "strategic": ("strategic", "tactical"),
    "leadership": ("people leader", "individual contributor"),
}
BALANCED_LABEL = "balanced"
INSUFFICIENT_LABEL = "not enough answers"


# Positions closer to zero than this are float noise from equal scores: snap them to 0.
_ZERO = 1e-9
# Longest possible distance on the map: corner to corner.
_MAP_DIAGONAL = 200 * math.sqrt(2)


__all__ = [
    "MIN_COVERAGE",
    "QUADRANT_LABELS",
    "AxisResult",
    "CatalogSpec",
    "Driver",
    "ItemSpec",
    "ScoreResult",
    "SkillScore",
    "SkillSpec",
    "TitleMatch",
    "TitleSpec",
    "pole_averages",
    "score",
]

# --- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillSpec:
    """A skill with its loading on each axis, each in [−1, 1] (0: not on that axis)."""

    slug: str
    name: str
    group: str
    strategic: float
    leadership: float


@dataclass(frozen=True)
class ItemSpec:
    """A questionnaire statement tied to one skill; key +1 (agreeing raises it) or −1."""

    id: str
    skill: str
    key: int
    text: str


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
class CatalogSpec:
    """Everything scoring reads. Order matters: skills come back in this order."""

    skills: tuple[SkillSpec, ...]
    items: tuple[ItemSpec, ...]
    titles: tuple[TitleSpec, ...]


# --- scoring -------------------------------------------------------------------------------


def keyed_u(value: int, key: int) -> float:
    """The centred answer in [−1, 1]: (value − 3) / 2, negated for a reverse-keyed item."""
    u = (value - 3) / 2
    return -u if key < 0 else u


def score(catalog: CatalogSpec, answers: Mapping[str, int]) -> ScoreResult:
    """Score ``answers`` (item id → value 1..5; missing items are unanswered) on ``catalog``.

    Raises ValueError for an unknown item id, for a value that is not an int in 1..5 (a bool,
    float or string is rejected even if it looks like one), and for a catalog that breaks its
    own rules (duplicate ids, an item of an unknown skill, a key other than ±1, a loading
    outside [−1, 1])."""
    _check_catalog(catalog)
    values = _check_answers(catalog, answers)

    answered_by_skill: dict[str, list[tuple[ItemSpec, int]]] = {s.slug: [] for s in catalog.skills}
    totals: dict[str, int] = {s.slug: 0 for s in catalog.skills}
    for item in catalog.items:
        totals[item.skill] += 1
        if item.id in values:
            answered_by_skill[item.skill].append((item, values[item.id]))

    # Centred score s_k − 50 = 50 × mean u, in [−50, 50]; the axes are built from it.
    centred: dict[str, float] = {}
    for slug, answered in answered_by_skill.items():
        if answered:
            us = [keyed_u(value, item.key) for item, value in answered]
            centred[slug] = 50 * math.fsum(us) / len(us)

    skills = tuple(
        SkillScore(
            slug=s.slug,
            name=s.name,
            group=s.group,
            score=_clip(50 + centred[s.slug], 0.0, 100.0) if s.slug in centred else None,
            answered=len(answered_by_skill[s.slug]),
            total=totals[s.slug],
        )
        for s in catalog.skills
    )
    strategic = _score_axis("strategic", catalog.skills, answered_by_skill, totals, centred)
    leadership = _score_axis("leadership", catalog.skills, answered_by_skill, totals, centred)

    quadrant = ""
    if strategic.position is not None and leadership.position is not None:
        quadrant = (
            f"{'strategic' if strategic.position > 0 else 'tactical'}-"
            f"{'leader' if leadership.position > 0 else 'ic'}"
        )

    return ScoreResult(
        skills=skills,
        strategic=strategic,
        leadership=leadership,
        quadrant=quadrant,
        closest=_closest(catalog.titles, skills, strategic.position, leadership.position),
        answered=len(values),
        total=len(catalog.items),
    )


def _pstdev(values: list[float]) -> float:
    """Population standard deviation in floats (statistics.pstdev works in exact fractions,
    ten times slower, for a difference far below the two decimals results keep)."""
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _score_axis(
    axis: str,
    skills: Iterable[SkillSpec],
    answered_by_skill: Mapping[str, list[tuple[ItemSpec, int]]],
    totals: Mapping[str, int],
    centred: Mapping[str, float],
) -> AxisResult:
    loaded = [(s, float(getattr(s, axis))) for s in skills if getattr(s, axis) != 0]
    total = sum(totals[s.slug] for s, _ in loaded)
    answered = sum(len(answered_by_skill[s.slug]) for s, _ in loaded)
    # Each pole: the answered skills loading on it, with their loadings.
    poles: dict[int, list[tuple[SkillSpec, float]]] = {
        sign: [(s, a) for s, a in loaded if s.slug in centred and (a > 0) == (sign > 0)]
        for sign in (1, -1)
    }
    # The small tolerance keeps "exactly 80%" on the placed side of float division.
    if total == 0 or answered / total < MIN_COVERAGE - 1e-12 or not poles[1] or not poles[-1]:
        return AxisResult(
            axis=axis,
            position=None,
            band=None,
            answered=answered,
            total=total,
            state=INSUFFICIENT,
            label=INSUFFICIENT_LABEL,
            confidence=None,
            drivers=(),
        )

    means: dict[int, float] = {}
    standard_errors: dict[int, float] = {}
    drivers: list[Driver] = []
    for sign, members in poles.items():
        weight = math.fsum(abs(a) for _, a in members)
        means[sign] = math.fsum(abs(a) * centred[s.slug] for s, a in members) / weight
        pole_us: list[float] = []
        for s, a in members:
            items = answered_by_skill[s.slug]
            for item, value in items:
                u = keyed_u(value, item.key)
                pole_us.append(u)
                drivers.append(
                    Driver(
                        item_id=item.id,
                        text=item.text,
                        skill=s.slug,
                        key=item.key,
                        value=value,
                        contribution=sign * (abs(a) / weight) * 50 * u / len(items),
                    )
                )
        sd = _pstdev(pole_us) if len(pole_us) >= 2 else SINGLE_ITEM_SD
        standard_errors[sign] = 50 * max(sd, MIN_SD) / math.sqrt(len(pole_us))

    position = _clip(means[1] - means[-1], -100.0, 100.0)
    if abs(position) < _ZERO:
        position = 0.0
    band = BAND_Z * math.hypot(standard_errors[1], standard_errors[-1])
    if band <= HIGH_CONFIDENCE_BAND:
        confidence = "high"
    elif band <= MODERATE_CONFIDENCE_BAND:
        confidence = "moderate"
    else:
        confidence = "low"
    if abs(position) <= band:
        state, label = BALANCED, BALANCED_LABEL
    else:
        positive, negative = AXIS_LABELS[axis]
        state, label = PLACED, positive if position > 0 else negative
    drivers.sort(key=lambda d: (-abs(d.contribution), d.item_id))
    return AxisResult(
        axis=axis,
        position=position,
        band=band,
        answered=answered,
        total=total,
        state=state,
        label=label,
        confidence=confidence,
        drivers=tuple(drivers),
    )


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


# --- validation ----------------------------------------------------------------------------


def _check_catalog(catalog: CatalogSpec) -> None:
    slugs = [s.slug for s in catalog.skills]
    if len(set(slugs)) != len(slugs):
        raise ValueError("The catalog lists a skill twice.")
    for s in catalog.skills:
        for axis in AXES:
            loading = getattr(s, axis)
            if not (-1 <= loading <= 1):  # also rejects NaN
                raise ValueError(f"Skill {s.slug!r} has a {axis} loading outside [-1, 1].")
    known = set(slugs)
    ids: set[str] = set()
    for item in catalog.items:
        if item.id in ids:
            raise ValueError(f"The catalog lists item {item.id!r} twice.")
        ids.add(item.id)
        if item.skill not in known:
            raise ValueError(f"Item {item.id!r} belongs to unknown skill {item.skill!r}.")
        if item.key not in (1, -1) or isinstance(item.key, bool):
            raise ValueError(f"Item {item.id!r} has key {item.key!r}; expected 1 or -1.")


def _check_answers(catalog: CatalogSpec, answers: Mapping[str, int]) -> dict[str, int]:
    ids = {item.id for item in catalog.items}
    values: dict[str, int] = {}
    for item_id, value in answers.items():
        if item_id not in ids:
            raise ValueError(f"Unknown item {item_id!r}.")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"Answer to {item_id!r} must be a whole number from 1 to 5.")
        values[item_id] = value
    return values


# --- helpers -------------------------------------------------------------------------------


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def pole_averages(
    skills: Iterable[SkillSpec], scores: Iterable[SkillScore]
) -> dict[str, dict[str, float | None]]:
    """Per axis, the loading-weighted average skill score at each end ("high": strategic or
    people leader; "low": tactical or individual contributor), over skills with a score.

    On a placed axis, position == high − low: this is the same sum as ``score`` shows,
    grouped by axis instead of by answer.
    """
    by_slug = {s.slug: s.score for s in scores}
    averages: dict[str, dict[str, float | None]] = {}
    for axis in AXES:
        ends: dict[str, float | None] = {}
        for end, sign in (("high", 1), ("low", -1)):
            pairs = [
                (abs(getattr(spec, axis)), by_slug[spec.slug])
                for spec in skills
                if getattr(spec, axis) * sign > 0 and by_slug.get(spec.slug) is not None
            ]
            weight = math.fsum(a for a, _ in pairs)
            ends[end] = math.fsum(a * s for a, s in pairs) / weight if weight else None
        averages[axis] = ends
    return averages
