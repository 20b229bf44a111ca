"""Item analysis of the questionnaire: how well each scale's statements hang together.

Pure rules, standard library only (no Django). A *scale* is a set of statements meant to
measure one thing: the statements placing a person on one axis pole, or the statements of one
skill. Over the people who answered every statement of a scale (complete cases) this computes

- Cronbach's alpha: how consistently the statements of the scale move together (0 to 1 in
  practice; below ``ALPHA_FLAG`` the scale's score is too noisy to lean on);
- each statement's item-rest correlation: how well it agrees with the rest of its scale
  (below ``ITEM_REST_FLAG`` it probably measures something else, or is read differently);
- each statement's mean answer and how many people gave each answer 1..5.

Nothing is computed for a scale answered by fewer than ``MIN_RESPONSES`` people: with so few
answers the figures swing too much to act on. The style lens is a forced choice (one style per
situation), not a rating scale: alpha does not apply, so it gets the share choosing each style.

Contract of the matrices: one row per respondent, one column per item, values 1..5 *as
answered*. Reverse-keyed items are flipped here (6 − answer) from the keys given with the
scale, before alpha and item-rest; means and answer counts stay as answered, which is what an
admin reading the statement expects.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import sqrt

MIN_RESPONSES = 30
ALPHA_FLAG = 0.7
ITEM_REST_FLAG = 0.2
VALUES = (1, 2, 3, 4, 5)
STYLES = ("direct", "coach", "support", "delegate")

Matrix = Sequence[Sequence[float]]


# -- statistics over a response matrix ------------------------------------------------------


def _variance(values: Sequence[float]) -> float:
    """The sample variance (n − 1); 0.0 for fewer than two values."""
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / (n - 1)


def _columns(matrix: Matrix) -> list[list[float]]:
    if not matrix:
        return []
    width = len(matrix[0])
    if any(len(row) != width for row in matrix):
        raise ValueError("every respondent must have a value for every item")
    return [[row[j] for row in matrix] for j in range(width)]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The Pearson correlation of two equally long series; None when either does not vary
    (or has fewer than two values): a correlation is undefined there, not zero."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("the two series must be equally long")
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return max(-1.0, min(1.0, sxy / sqrt(sxx * syy)))


def keyed(matrix: Matrix, keys: Sequence[int]) -> list[list[float]]:
    """The matrix with reverse-keyed items (key −1) flipped onto the scale's direction."""
    if any(k not in (1, -1) for k in keys):
        raise ValueError("a key is +1 or −1")
    return [[v if k == 1 else 6 - v for v, k in zip(row, keys, strict=True)] for row in matrix]


def cronbach_alpha(matrix: Matrix) -> float | None:
    """Cronbach's alpha of a complete respondents × items matrix (already keyed).

    ``k / (k − 1) · (1 − Σ item variances / variance of the total)``. None when it is not
    defined: fewer than two items or two respondents, or totals that do not vary at all."""
    columns = _columns(matrix)
    k = len(columns)
    if k < 2 or len(matrix) < 2:
        return None
    total_variance = _variance([sum(row) for row in matrix])
    if total_variance <= 0:
        return None
    return k / (k - 1) * (1 - sum(_variance(c) for c in columns) / total_variance)


def item_rest_correlations(matrix: Matrix) -> list[float | None]:
    """Per item, its correlation with the sum of the scale's other items (already keyed).

    None for an item that does not vary, whose rest does not vary, or that has no rest (a
    scale of one item)."""
    columns = _columns(matrix)
    if len(columns) < 2:
        return [None] * len(columns)
    totals = [sum(row) for row in matrix]
    return [pearson(c, [t - v for t, v in zip(totals, c, strict=True)]) for c in columns]


def item_means(matrix: Matrix) -> list[float | None]:
    """Per item, its mean value (None when nobody answered)."""
    return [sum(c) / len(c) if c else None for c in _columns(matrix)]


def item_distributions(matrix: Matrix) -> list[tuple[int, ...]]:
    """Per item, how many respondents gave each value 1..5 (in that order)."""
    return [tuple(sum(1 for v in c if v == value) for value in VALUES) for c in _columns(matrix)]


# -- named scales ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A statement of a scale: its stable id (the question code), wording and key."""

    id: str
    text: str
    key: int = 1


@dataclass(frozen=True)
class Scale:
    """A named scale: ``kind`` is "pole" or "skill"; ``matrix`` holds the complete cases, one
    row per respondent with a value 1..5 (as answered) for each of ``items``, in order."""

    name: str
    kind: str
    items: tuple[Item, ...]
    matrix: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class ItemReport:
    """One statement's figures (all None / empty when its scale is not shown)."""

    id: str
    text: str
    key: int
    mean: float | None = None
    counts: tuple[int, ...] = ()
    item_rest: float | None = None

    @property
    def flagged(self) -> bool:
        """True when the statement agrees too little with the rest of its scale."""
        return self.item_rest is not None and self.item_rest < ITEM_REST_FLAG


@dataclass(frozen=True)
class ScaleReport:
    """A scale's figures. ``shown`` is False below ``MIN_RESPONSES`` complete responses:
    then only its name, items and ``n`` are filled in and nothing else may be shown."""

    name: str
    kind: str
    n: int
    items: tuple[ItemReport, ...]
    alpha: float | None = None
    shown: bool = False

    @property
    def alpha_flagged(self) -> bool:
        """True when the statements hang together too loosely to trust the scale's score."""
        return self.alpha is not None and self.alpha < ALPHA_FLAG

    @property
    def flagged_items(self) -> int:
        return sum(1 for item in self.items if item.flagged)


def analyse_scale(scale: Scale) -> ScaleReport:
    """One scale's report (figures only at ``MIN_RESPONSES`` complete responses or more)."""
    n = len(scale.matrix)
    if n < MIN_RESPONSES or not scale.items:
        bare = tuple(ItemReport(id=i.id, text=i.text, key=i.key) for i in scale.items)
        return ScaleReport(name=scale.name, kind=scale.kind, n=n, items=bare)
    aligned = keyed(scale.matrix, [i.key for i in scale.items])
    means = item_means(scale.matrix)
    counts = item_distributions(scale.matrix)
    rests = item_rest_correlations(aligned)
    items = tuple(
        ItemReport(id=i.id, text=i.text, key=i.key, mean=m, counts=c, item_rest=r)
        for i, m, c, r in zip(scale.items, means, counts, rests, strict=True)
    )
    return ScaleReport(
        name=scale.name,
        kind=scale.kind,
        n=n,
        items=items,
        alpha=cronbach_alpha(aligned),
        shown=True,
    )


def analyse(scales: Iterable[Scale]) -> list[ScaleReport]:
    """A report per scale, in the order given."""
    return [analyse_scale(scale) for scale in scales]


def complete_cases(
    respondents: Iterable[Mapping[str, int]], item_ids: Sequence[str]
) -> tuple[tuple[int, ...], ...]:
    """The rows of the respondents who answered every one of ``item_ids`` (each respondent a
    mapping item id → value); anyone missing one is left out of this scale only."""
    rows = []
    for answers in respondents:
        try:
            rows.append(tuple(answers[item_id] for item_id in item_ids))
        except KeyError:
            continue
    return tuple(rows)


# -- the style lens -------------------------------------------------------------------------


@dataclass(frozen=True)
class SituationReport:
    """One situation: how many people chose a style for it, and how many chose each.
    ``shown`` is False below ``MIN_RESPONSES``: then only ``n`` may be shown."""

    id: str
    text: str
    n: int
    counts: tuple[int, ...] = ()  # in STYLES order
    shown: bool = False

    @property
    def shares(self) -> tuple[float, ...]:
        """The share (0..1) choosing each style, in STYLES order."""
        return tuple(c / self.n for c in self.counts) if self.n else ()

    @property
    def styles(self) -> list[tuple[str, int, float]]:
        """(style, count, share) in STYLES order, for display."""
        return list(zip(STYLES, self.counts, self.shares, strict=True))


@dataclass(frozen=True)
class StyleLensReport:
    """The style lens: ``n`` people chose a style for at least one current situation."""

    n: int
    situations: tuple[SituationReport, ...]

    @property
    def shown(self) -> bool:
        return self.n >= MIN_RESPONSES


def analyse_styles(
    situations: Sequence[tuple[str, str]], choices: Iterable[Mapping[str, str]]
) -> StyleLensReport:
    """The style lens over ``situations`` ((code, text), in order) and each respondent's
    choices (situation code → style). Choices of other situations or unknown styles are
    ignored."""
    codes = {code for code, _ in situations}
    tallies: dict[str, list[int]] = {code: [0] * len(STYLES) for code in codes}
    respondents = 0
    for chosen in choices:
        counted = False
        for code, style in chosen.items():
            if code in tallies and style in STYLES:
                tallies[code][STYLES.index(style)] += 1
                counted = True
        if counted:
            respondents += 1
    reports = []
    for code, text in situations:
        n = sum(tallies[code])
        if n < MIN_RESPONSES:
            reports.append(SituationReport(id=code, text=text, n=n))
        else:
            reports.append(
                SituationReport(id=code, text=text, n=n, counts=tuple(tallies[code]), shown=True)
            )
    return StyleLensReport(n=respondents, situations=tuple(reports))
