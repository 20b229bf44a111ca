"""What scoring gives back, and how a submitted assessment stores it (``ScoreResult``).

Pure Python, no Django; ``assessments.scoring`` computes these. A stored result is read back
with ``ScoreResult.from_dict`` exactly as it was written, whatever the scoring code has
become since.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

QUADRANT_LABELS: dict[str, str] = {
    "strategic-leader": "Strategic people leader",
    "strategic-ic": "Strategic individual contributor",
    "tactical-leader": "Tactical people leader",
    "tactical-ic": "Tactical individual contributor",
}
#: An axis is placed only when at least this share of its items is answered.
MIN_COVERAGE = 0.8

# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillScore:
    """A skill's score, 0..100, or None when none of its items was answered."""

    slug: str
    name: str
    group: str
    score: float | None
    answered: int
    total: int


@dataclass(frozen=True)
class Driver:
    """One answer and the points it moved an axis (signed: + towards the positive pole).

    The contributions of an axis's drivers add up to its position."""

    item_id: str
    text: str
    skill: str
    key: int
    value: int
    contribution: float


@dataclass(frozen=True)
class AxisResult:
    """Where a person sits on one axis, how sure we are, and which answers put them there.

    ``state`` is "insufficient" (position, band and confidence are None, drivers empty) when
    fewer than ``MIN_COVERAGE`` of the axis's items are answered or a pole has no answer;
    "balanced" when the band reaches zero (|position| ≤ band); "placed" otherwise.
    ``answered`` / ``total`` count the items of skills with a non-zero loading on this axis.
    ``drivers`` holds every answered item on the axis, largest |contribution| first."""

    axis: str
    position: float | None
    band: float | None
    answered: int
    total: int
    state: str
    label: str
    confidence: str | None
    drivers: tuple[Driver, ...]
    #: Instrument v2 only (None on a v1 result): the two pole scores P(+) and P(−), 0..100,
    #: the statements' position P(+) − P(−), and the week's split's own position.
    high_pole: float | None = None
    low_pole: float | None = None
    statements: float | None = None
    time: float | None = None

    @property
    def low(self) -> float | None:
        """Lower edge of the band, clipped to −100; None when not placed."""
        if self.position is None or self.band is None:
            return None
        return max(-100.0, self.position - self.band)

    @property
    def high(self) -> float | None:
        """Upper edge of the band, clipped to 100; None when not placed."""
        if self.position is None or self.band is None:
            return None
        return min(100.0, self.position + self.band)


@dataclass(frozen=True)
class StyleProfile:
    """The leadership-style lens: how often each style was chosen over the situations
    answered. It describes, never grades, and does not move the axes."""

    counts: Mapping[str, int] = field(hash=False)
    answered: int
    total: int

    @property
    def primary(self) -> tuple[str, ...]:
        """The style or styles chosen most often (several on a tie); none before an answer."""
        top = max(self.counts.values(), default=0)
        return tuple(style for style, n in self.counts.items() if n == top and top > 0)

    @property
    def range(self) -> int:
        """How many of the four styles were chosen at least once."""
        return sum(1 for n in self.counts.values() if n > 0)


@dataclass(frozen=True)
class TitleMatch:
    """How far a title is from the person: 0 is identical, 1 is as far as possible."""

    slug: str
    name: str
    distance: float


@dataclass(frozen=True)
class ScoreResult:
    """The full result of one assessment. ``quadrant`` is "" when either axis is
    insufficient; ``closest`` lists every title, nearest first (empty when the catalog has no
    titles or nothing was answered); ``answered`` / ``total`` count all items."""

    skills: tuple[SkillScore, ...]
    strategic: AxisResult
    leadership: AxisResult
    quadrant: str
    closest: tuple[TitleMatch, ...]
    answered: int
    total: int
    #: 1 for results scored by the first instrument (read back as stored), 2 since.
    instrument: int = 1
    #: Response-quality flags (FLAG_TEXTS in assessments.scoring), instrument 2 only.
    flags: tuple[str, ...] = ()
    #: The typical week's split (kind → percent), when given.
    time: Mapping[str, int] | None = field(default=None, hash=False)
    style: StyleProfile | None = None

    @property
    def quadrant_label(self) -> str:
        """The quadrant in words ("" when not placed)."""
        return QUADRANT_LABELS.get(self.quadrant, "")

    def to_dict(self, drivers_per_side: int | None = None) -> dict[str, Any]:
        """A JSON-serialisable copy with floats rounded to 2 decimal places.

        ``ScoreResult.from_dict(r.to_dict()).to_dict() == r.to_dict()``. With
        ``drivers_per_side``, each axis keeps only its strongest drivers towards each end (by
        their rounded contribution, in their order): what a result page shows, and a third of
        the size of a stored result that keeps every answer's driver."""
        return {
            "skills": [
                {
                    "slug": s.slug,
                    "name": s.name,
                    "group": s.group,
                    "score": _round(s.score),
                    "answered": s.answered,
                    "total": s.total,
                }
                for s in self.skills
            ],
            "strategic": _axis_to_dict(self.strategic, drivers_per_side),
            "leadership": _axis_to_dict(self.leadership, drivers_per_side),
            "quadrant": self.quadrant,
            "closest": [
                {"slug": m.slug, "name": m.name, "distance": _round(m.distance)}
                for m in self.closest
            ],
            "answered": self.answered,
            "total": self.total,
            "instrument": self.instrument,
            "flags": list(self.flags),
            "time": dict(self.time) if self.time is not None else None,
            "style": None
            if self.style is None
            else {
                "counts": dict(self.style.counts),
                "answered": self.style.answered,
                "total": self.style.total,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ScoreResult":
        """Rebuild a result from ``to_dict()`` output (e.g. read back from a JSON field)."""
        return cls(
            skills=tuple(
                SkillScore(
                    slug=s["slug"],
                    name=s["name"],
                    group=s["group"],
                    score=_float_or_none(s["score"]),
                    answered=int(s["answered"]),
                    total=int(s["total"]),
                )
                for s in data["skills"]
            ),
            strategic=_axis_from_dict(data["strategic"]),
            leadership=_axis_from_dict(data["leadership"]),
            quadrant=data["quadrant"],
            closest=tuple(
                TitleMatch(slug=m["slug"], name=m["name"], distance=float(m["distance"]))
                for m in data["closest"]
            ),
            answered=int(data["answered"]),
            total=int(data["total"]),
            instrument=int(data.get("instrument", 1)),
            flags=tuple(data.get("flags") or ()),
            time=data.get("time"),
            style=None
            if not data.get("style")
            else StyleProfile(
                counts=dict(data["style"]["counts"]),
                answered=int(data["style"]["answered"]),
                total=int(data["style"]["total"]),
            ),
        )


def _round(value: float | None) -> float | None:
    # Adding 0.0 turns -0.0 into 0.0, so JSON never shows "-0.0".
    return None if value is None else round(value, 2) + 0.0


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _axis_to_dict(axis: AxisResult, drivers_per_side: int | None = None) -> dict[str, Any]:
    drivers = [
        {
            "item_id": d.item_id,
            "text": d.text,
            "skill": d.skill,
            "key": d.key,
            "value": d.value,
            "contribution": _round(d.contribution),
        }
        for d in axis.drivers
    ]
    if drivers_per_side is not None:
        up = [d for d in drivers if d["contribution"] > 0][:drivers_per_side]
        down = [d for d in drivers if d["contribution"] < 0][:drivers_per_side]
        kept = {id(d) for d in up + down}
        drivers = [d for d in drivers if id(d) in kept]
    return {
        "axis": axis.axis,
        "position": _round(axis.position),
        "band": _round(axis.band),
        "answered": axis.answered,
        "total": axis.total,
        "state": axis.state,
        "label": axis.label,
        "confidence": axis.confidence,
        "drivers": drivers,
        **{
            name: _round(getattr(axis, name))
            for name in ("high_pole", "low_pole", "statements", "time")
            if getattr(axis, name) is not None
        },
    }


def _axis_from_dict(data: Mapping[str, Any]) -> AxisResult:
    return AxisResult(
        axis=data["axis"],
        position=_float_or_none(data["position"]),
        band=_float_or_none(data["band"]),
        answered=int(data["answered"]),
        total=int(data["total"]),
        state=data["state"],
        label=data["label"],
        confidence=data["confidence"],
        drivers=tuple(
            Driver(
                item_id=d["item_id"],
                text=d["text"],
                skill=d["skill"],
                key=int(d["key"]),
                value=int(d["value"]),
                contribution=float(d["contribution"]),
            )
            for d in data["drivers"]
        ),
        **{
            name: float(data[name])
            for name in ("high_pole", "low_pole", "statements", "time")
            if data.get(name) is not None
        },
    )


def pole_scores(result: ScoreResult) -> dict[str, dict[str, float | None]]:
    """Per axis, the two pole scores ("high": strategic or people leader; "low": tactical or
    individual contributor), 0..100; their difference is the statements' position."""
    return {
        axis.axis: {"high": _round(axis.high_pole), "low": _round(axis.low_pole)}
        for axis in (result.strategic, result.leadership)
    }
