"""A result in words: the sentences and rows the result, team and comparison pages show.

Pure Python, no Django. Plain, second person, never judging: a position is a description,
not a grade. Reads results of both instruments: v1 (skills with axis loadings) exactly as they
were shown, v2 (each axis measured by its own statements) with its balanced axes, the week's
split, response-quality flags and the style lens.
"""

from assessments import scoring
from assessments.score_result import QUADRANT_LABELS, AxisResult, Driver, ScoreResult

#: Per axis: (− pole, + pole, the axis's name).
AXIS_WORDS: dict[str, tuple[str, str, str]] = {
    "strategic": ("tactical", "strategic", "Tactical ↔ strategic"),
    "leadership": (
        "individual contributor",
        "people leader",
        "Individual contributor ↔ people leader",
    ),
}
DRIVERS_PER_SIDE = 3
WEEK_NAMES: dict[str, str] = {
    "delivery": "Running delivery",
    "craft": "Product work with your own hands",
    "strategy": "Strategy, vision and roadmaps",
    "people": "Managing and growing people",
    "other": "Everything else",
}
#: The four styles of the lens, each described without a grade.
STYLE_WORDS: dict[str, tuple[str, str]] = {
    "direct": ("Directing", "you say what to do and how, and follow it closely"),
    "coach": ("Coaching", "you explain why, decide together and still guide closely"),
    "support": ("Supporting", "you ask and listen, and back the other person's decision"),
    "delegate": ("Delegating", "you hand the work over fully and stay available"),
}


#: A result's reading in one key (``Assessment.placement``) and in a few words.
PLACEMENT_LABELS: dict[str, str] = {
    **QUADRANT_LABELS,
    "balanced": "Balanced on both axes",
    "balanced-leader": "Balanced tactical ↔ strategic, people leader",
    "balanced-ic": "Balanced tactical ↔ strategic, individual contributor",
    "strategic-balanced": "Strategic, balanced individual contributor ↔ people leader",
    "tactical-balanced": "Tactical, balanced individual contributor ↔ people leader",
}


def placement_key(score: ScoreResult) -> str:
    """The reading as one key for ``Assessment.placement``: a quadrant, or "balanced" for an
    axis whose interval reaches the middle line; "" when an axis is not placed."""
    s, lead = score.strategic, score.leadership
    if scoring.INSUFFICIENT in (s.state, lead.state):
        return ""
    x = "balanced" if s.state == scoring.BALANCED else "strategic" if s.position > 0 else "tactical"
    y = "balanced" if lead.state == scoring.BALANCED else "leader" if lead.position > 0 else "ic"
    return "balanced" if x == y == "balanced" else f"{x}-{y}"


def minus(text: str) -> str:
    """A leading hyphen-minus made a true minus sign (−)."""
    return "\u2212" + text[1:] if text.startswith("-") else text


def signed(value: float) -> str:
    return minus(f"{round(value):+d}")


def axis_sentence(axis: AxisResult, you: str = "You") -> str:
    """The axis in one plain sentence, never a grade."""
    low, high, _ = AXIS_WORDS[axis.axis]
    if axis.state == scoring.INSUFFICIENT:
        who = "you" if you == "You" else you
        return (
            f"Not enough answers to place {who} on this axis "
            f"({axis.answered} of {axis.total} statements answered)."
        )
    if axis.state == scoring.BALANCED:
        return f"{you} sit between {low} and {high}: balanced, at {signed(axis.position)}."
    side = high if axis.position > 0 else low
    pos = round(axis.position)
    strength = "clearly" if abs(axis.position) >= 40 else "a little" if abs(pos) < 15 else ""
    verb = "lean" if you == "You" else "leans"
    return f"{you} {verb} {strength + ' ' if strength else ''}{side}, at {signed(axis.position)}."


def quadrant_of(score: ScoreResult) -> str:
    """The quadrant to show: v2 stores none for a balanced axis; a v1 result keeps the one it
    stored, except the mislabelled centre (a position of exactly 0 on an axis), shown as none."""
    if score.instrument == 1 and 0.0 in (score.strategic.position, score.leadership.position):
        return ""
    return score.quadrant


def placement_summary(score: ScoreResult) -> str:
    """Where the result sits, in words, without forcing a side the answers do not support."""
    s, lead = score.strategic, score.leadership
    if scoring.INSUFFICIENT in (s.state, lead.state):
        return "Not placed yet: too few answers"
    if s.state == scoring.BALANCED and lead.state == scoring.BALANCED:
        return "Near the centre of the map"
    if s.state == scoring.BALANCED:
        return f"Balanced between tactical and strategic, leaning {lead.label}"
    if lead.state == scoring.BALANCED:
        return f"Leaning {s.label}, balanced between individual contributor and people leader"
    return QUADRANT_LABELS.get(quadrant_of(score), "") or "Near the centre of the map"


def drivers_by_side(axis: AxisResult) -> dict[str, list[Driver]]:
    """The answers that moved the axis most, towards each end."""
    towards_high = [d for d in axis.drivers if d.contribution > 0][:DRIVERS_PER_SIDE]
    towards_low = [d for d in axis.drivers if d.contribution < 0][:DRIVERS_PER_SIDE]
    return {"high": towards_high, "low": towards_low}


def axis_rows(score: ScoreResult, you: str = "You") -> list[dict]:
    """Each axis with its words, its sentence, the answers that moved it most and, on v2, how
    the statements and the week make its position."""
    rows = []
    for axis in (score.strategic, score.leadership):
        row = {
            "axis": axis,
            "words": AXIS_WORDS[axis.axis],
            "sentence": axis_sentence(axis, you),
            "drivers": drivers_by_side(axis),
        }
        if axis.statements is not None:
            row["sum"] = position_sum(axis)
        rows.append(row)
    return rows


def position_sum(axis: AxisResult) -> str:
    """How a v2 position is made, in numbers: the pole scores, and the week when given."""
    low, high, _ = AXIS_WORDS[axis.axis]
    statements = (
        f"{high} statements {axis.high_pole:.0f} − {low} statements {axis.low_pole:.0f} "
        f"= {signed(axis.statements)}"
    )
    if axis.time is None:
        return f"{statements}; position {signed(axis.position)}"
    weight = scoring.TIME_WEIGHT
    return (
        f"{statements}; your week {signed(axis.time)}; position = {1 - weight:.2f} × "
        f"{signed(axis.statements)} + {weight:.2f} × {signed(axis.time)} = {signed(axis.position)}"
    )


def week_rows(score: ScoreResult) -> list[dict]:
    """The week's split as answered, each kind with the side it pulls towards."""
    if not score.time:
        return []
    rows = []
    for kind, share in score.time.items():
        pulls = [
            AXIS_WORDS[axis][1 if sign > 0 else 0]
            for axis, sign in scoring.TIME_KINDS[kind].items()
            if sign
        ]
        rows.append({"name": WEEK_NAMES[kind], "share": share, "pulls": " and ".join(pulls)})
    return rows


def flag_texts(score: ScoreResult) -> list[str]:
    """What each response-quality flag of this result means, in plain words."""
    return [scoring.FLAG_TEXTS[flag] for flag in score.flags if flag in scoring.FLAG_TEXTS]


def style_reading(score: ScoreResult) -> dict | None:
    """The style lens: each style with how often it was chosen, the style reached for most,
    the range, and one sentence; never a grade. None before the lens existed."""
    style = score.style
    if style is None or not style.answered:
        return None
    rows = [
        {"name": name, "meaning": meaning, "count": style.counts.get(key, 0), "key": key}
        for key, (name, meaning) in STYLE_WORDS.items()
    ]
    primary = [STYLE_WORDS[key][0].lower() for key in style.primary]
    if style.range >= 3:
        range_words = "you move between styles as the situation asks"
    elif style.range == 2:
        range_words = "you move between two styles"
    else:
        range_words = "you reach for one style whatever the situation"
    return {
        "rows": rows,
        "answered": style.answered,
        "total": style.total,
        "primary": primary,
        "range": style.range,
        "sentence": f"You reach most for {' and '.join(primary)}, and {range_words}.",
    }
