"""Geometry for the server-rendered SVG charts: plain numbers in, plain numbers out.

Templates draw; this module only turns positions in [-100, 100] into SVG coordinates, so the
same map serves the home page, a result, a comparison and the team page.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

MAP_SIZE = 420
MAP_MARGIN = 46
PLOT = MAP_SIZE - 2 * MAP_MARGIN


def map_x(position: float) -> float:
    """Strategic position (−100 tactical … +100 strategic) to an SVG x coordinate."""
    return round(MAP_MARGIN + (max(-100.0, min(100.0, position)) + 100) / 200 * PLOT, 1)


def map_y(position: float) -> float:
    """Leadership position (−100 IC … +100 leader) to an SVG y coordinate (leader at the top)."""
    return round(MAP_MARGIN + (100 - max(-100.0, min(100.0, position))) / 200 * PLOT, 1)


@dataclass(frozen=True)
class MapPoint:
    label: str
    x: float
    y: float
    cx: float
    cy: float
    kind: str = "title"  # "title" | "target" | "you" | "trail" | "report" | "manager"
    band_x: float = 0.0  # half-widths of the confidence band, in SVG units
    band_y: float = 0.0
    label_dx: float = 7.0
    anchor: str = "start"


def point(
    label: str,
    x: float,
    y: float,
    *,
    kind: str = "title",
    band_x: float | None = None,
    band_y: float | None = None,
) -> MapPoint:
    cx, cy = map_x(x), map_y(y)
    # Labels near the right edge are drawn to the left of their dot so they stay in the frame.
    right = cx > MAP_SIZE - MAP_MARGIN - 70
    return MapPoint(
        label=label,
        x=round(x),
        y=round(y),
        cx=cx,
        cy=cy,
        kind=kind,
        band_x=round((band_x or 0) / 200 * PLOT, 1),
        band_y=round((band_y or 0) / 200 * PLOT, 1),
        label_dx=-7.0 if right else 7.0,
        anchor="end" if right else "start",
    )


def spread_labels(points: Sequence[MapPoint]) -> list[MapPoint]:
    """Put a label left of its dot when a neighbour just to its right would collide with it."""
    result = list(points)
    for i, p in enumerate(result):
        crowded = any(abs(p.cy - q.cy) < 12 and 0 < q.cx - p.cx < 90 for q in points if q is not p)
        if crowded:
            result[i] = replace(p, label_dx=-7.0, anchor="end")
    return result


def clear_label(p: MapPoint, others: Sequence[MapPoint]) -> MapPoint:
    """Draw p's label on whichever side of its dot has no other label close by."""

    def crowded(side: str) -> bool:
        return any(
            abs(p.cy - q.cy) < 16
            and (0 < q.cx - p.cx < 95 if side == "start" else 0 < p.cx - q.cx < 95)
            for q in others
            if q is not p
        )

    if p.anchor == "start" and crowded("start") and not crowded("end") and p.cx > 90:
        return replace(p, label_dx=-7.0, anchor="end")
    return p


def make_room_for(dot: MapPoint, points: Sequence[MapPoint]) -> list[MapPoint]:
    """Move title labels that would run over this dot to the other side of their own dot."""
    return [
        replace(p, label_dx=-7.0, anchor="end")
        if p.kind in {"title", "target"}
        and p.anchor == "start"
        and abs(p.cy - dot.cy) < 12
        and 0 < dot.cx - p.cx < 90
        and p.cx > 90
        else p
        for p in points
    ]


def map_frame() -> dict[str, int]:
    """Constants the map template needs: edges, centre and size."""
    return {
        "size": MAP_SIZE,
        "left": MAP_MARGIN,
        "right": MAP_SIZE - MAP_MARGIN,
        "top": MAP_MARGIN,
        "bottom": MAP_SIZE - MAP_MARGIN,
        "mid": MAP_SIZE // 2,
        "plot": PLOT,
    }


def trail_path(points: Sequence[MapPoint]) -> str:
    """An SVG path through points in order (oldest first)."""
    if len(points) < 2:
        return ""
    head, *rest = points
    return f"M {head.cx} {head.cy} " + " ".join(f"L {p.cx} {p.cy}" for p in rest)


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    expected: float | None
    width: float
    expected_x: float | None


BAR_WIDTH = 240


def bars(rows: Iterable[tuple[str, float | None, float | None]]) -> list[Bar]:
    """(label, score 0..100, expected 0..100) to horizontal bar widths."""
    return [
        Bar(
            label=label,
            score=None if score is None else round(score),
            expected=expected,
            width=0 if score is None else round(score / 100 * BAR_WIDTH, 1),
            expected_x=None if expected is None else round(expected / 100 * BAR_WIDTH, 1),
        )
        for label, score, expected in rows
    ]
