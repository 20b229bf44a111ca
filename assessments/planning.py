"""How Trajectory drafts a transition plan from a scored self-assessment and a target title.

Pure Python, standard library only, no Django: the Django layer passes in the person's skill
scores, the target title, the catalog's development actions and the person's answers, and
stores the returned ``PlanDraft`` as plan items.

The rules:

- gap = max(0, expected − score) for every skill with a score; weighted gap = gap × expected /
  100, because a title relies on a skill as much as it expects of it.
- Focus areas are the skills with the largest weighted gaps: the top ``MIN_FOCUS``, plus up to
  ``MAX_FOCUS`` in all when the extra ones still have a weighted gap of at least
  ``EXTRA_FOCUS_MIN_WEIGHTED_GAP``.
- Each focus area gets at most one catalog action per horizon (30, 60, 90 days), preferring a
  step written for the target's track over a generic one and never one written for the other
  track; no action appears twice and no horizon holds more than ``MAX_PER_HORIZON``.
- Strengths are skills the target relies on (expected ≥ ``STRENGTH_MIN_EXPECTED``) where the
  person already meets the expectation.
- Every sentence is built from the person's own numbers and answers, in plain second person:
  a gap is room to grow, not a failing.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assessments.plan_draft import (
    HORIZONS,
    FocusArea,
    LetGo,
    PlanDraft,
    PlannedAction,
    Strength,
)
from assessments.plan_words import (
    Sources,
    article,
    lower_first,
    shown_numbers,
    whole,
)
from assessments.scoring import SkillScore, TitleSpec

__all__ = [
    "HORIZONS",
    "ActionSpec",
    "AnsweredItem",
    "FocusArea",
    "PlanDraft",
    "PlannedAction",
    "Strength",
    "build_plan",
    "default_target",
    "next_title_up",
]

#: At most three focus areas, in sequence: the first leads days 1–30, then 31–60, 61–90.
MAX_FOCUS = 3
#: A strength must be a skill the target expects at least this much of.
STRENGTH_MIN_EXPECTED = 50
MAX_STRENGTHS = 5


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    """A catalog development step for one skill: for one track, or any (``track`` None),
    in the first 30, 60 or 90 days (``horizon``)."""

    id: str
    skill: str
    track: str | None
    horizon: int
    title: str
    description: str
    practice: str = ""
    #: Who can do it in their current role ("" anyone, "ic", "leader"), at which levels.
    role_kind: str = ""
    min_level: int = 1
    max_level: int = 6
    kind: str = "step"  # or "let-go": a habit to hand over


@dataclass(frozen=True)
class AnsweredItem:
    """One answer as the person gave it, with the wording and keying they answered."""

    id: str
    text: str
    skill: str
    key: int
    value: int


# --- building a plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Gap:
    skill: SkillScore
    score: float
    expected: int
    gap: float
    weighted_gap: float


def build_plan(
    *,
    skills: Sequence[SkillScore],
    target: TitleSpec,
    actions: Sequence[ActionSpec],
    answers: Sequence[AnsweredItem],
    style: Mapping[str, int] | None = None,
    current: TitleSpec | None = None,
    titles: Sequence[TitleSpec] = (),
    person_kind: str = "ic",
    manager: Mapping[str, tuple[int, str]] | None = None,
) -> PlanDraft:
    """Draft the plan for moving towards ``target`` from the person's ``skills`` scores.

    ``current`` is their title (its level sizes the actions; with ``titles`` it tells how far
    the target is), ``person_kind`` "ic" or "leader" (whether they manage people now: an
    individual contributor is never given a step that needs reports). ``answers`` are quoted
    to explain each focus area, ``manager`` (skill → the lowest rating a submitted manager
    assessment gave, and its statement) and ``style`` (style → times chosen) too."""
    gaps = _gaps(skills, target)
    ranked = sorted(
        (g for g in gaps if g.weighted_gap > 0),
        key=lambda g: (-g.weighted_gap, -g.expected, g.skill.slug),
    )[:MAX_FOCUS]
    level = current.level if current else 1
    suitable = [
        a
        for a in actions
        if a.horizon in HORIZONS
        and (a.track is None or a.track == target.track)
        and a.role_kind in ("", person_kind)
        and a.min_level <= level <= a.max_level
    ]
    steps = [a for a in suitable if a.kind != LET_GO]
    answers_by_skill: dict[str, list[AnsweredItem]] = {}
    for answer in answers:
        answers_by_skill.setdefault(answer.skill, []).append(answer)
    sources = Sources(target, current, answers_by_skill, manager or {}, style or {})
    used: set[str] = set()
    focus = tuple(
        _focus_area(g, phase, target, steps, used, sources)
        for phase, g in enumerate(ranked, start=1)
    )
    let_go = _let_go(gaps, target, [a for a in suitable if a.kind == LET_GO])
    milestone = _milestone(current, target, titles)
    strengths = _strengths(gaps, target, exclude=let_go.skill if let_go else "")
    return PlanDraft(
        target=target.slug,
        target_name=target.name,
        focus=focus,
        strengths=strengths,
        no_gap=not focus,
        practice=style_practice(style, steps, used),
        let_go=let_go,
        milestone=milestone.slug if milestone else "",
        milestone_name=milestone.name if milestone else "",
        rungs=_rungs(current, target, titles),
    )


def _gaps(skills: Sequence[SkillScore], target: TitleSpec) -> list["_Gap"]:
    gaps = []
    for skill in skills:
        if skill.score is None:
            continue
        expected = int(target.expectations.get(skill.slug, 0))
        gap = max(0.0, expected - skill.score)
        gaps.append(_Gap(skill, skill.score, expected, gap, gap * expected / 100))
    return gaps


ORDINALS = ("first", "second", "third")


def _focus_area(g, phase, target, steps, used, sources) -> FocusArea:
    """One focus area in its phase: its main step by the phase's end, and for a later phase
    a small step in the phase before when the catalog has one."""
    horizon = HORIZONS[phase - 1]
    own = [a for a in steps if a.skill == g.skill.slug and a.id not in used]
    main = min(own, key=lambda a: (abs(a.horizon - horizon), a.track is None, a.id), default=None)
    planned = []
    _, shown_gap = shown_numbers(g.score, g.expected)
    skill_words = lower_first(g.skill.name)
    if main is not None:
        used.add(main.id)
        early = min(
            (a for a in own if a.id not in used and a.horizon < horizon),
            key=lambda a: (a.horizon, a.id),
            default=None,
        )
        if early is not None and phase > 1:
            used.add(early.id)
            planned.append(
                _planned(
                    early,
                    HORIZONS[phase - 2],
                    f"A small first step on {skill_words} "
                    f"before its phase starts on day {HORIZONS[phase - 2] + 1}.",
                )
            )
        planned.append(
            _planned(
                main,
                horizon,
                f"Your {ORDINALS[phase - 1]} focus, {skill_words}: "
                f"{shown_gap} points to go by day {horizon}.",
            )
        )
    weighted = whole(g.weighted_gap)
    order = (
        f"{ORDINALS[phase - 1].capitalize()}: {shown_gap} points below {target.name}'s "
        f"{g.expected}, weighted by how much the role relies on it ({g.expected}%) = "
        f"{weighted}" + (", your largest." if phase == 1 else ".")
    )
    return FocusArea(
        skill=g.skill.slug,
        name=g.skill.name,
        score=g.score,
        expected=g.expected,
        gap=g.gap,
        weighted_gap=g.weighted_gap,
        why=sources.why(g),
        actions=tuple(planned),
        phase=phase,
        order_why=order,
    )


def _planned(action: ActionSpec, horizon: int, why: str) -> PlannedAction:
    return PlannedAction(
        action_id=action.id, skill=action.skill, horizon=horizon, title=action.title,
        description=action.description, why=why,
    )  # fmt: skip


#: A habit is named to hand over when the person is at least this far above the target.
LET_GO_SURPLUS = 20
LET_GO = "let-go"


def _let_go(gaps, target: TitleSpec, let_go_actions: Sequence[ActionSpec]) -> LetGo | None:
    """The habit to hand over: the skill furthest above what the target expects (by at least
    ``LET_GO_SURPLUS``) that the catalog has a let-go step for."""
    with_step = {a.skill: a for a in sorted(let_go_actions, key=lambda a: a.id)}
    candidates = [
        g for g in gaps if g.skill.slug in with_step and g.score - g.expected >= LET_GO_SURPLUS
    ]
    if not candidates:
        return None
    g = max(candidates, key=lambda g: (g.score - g.expected, g.skill.slug))
    action = with_step[g.skill.slug]
    why = (
        f"You are at {whole(g.score)} in {lower_first(g.skill.name)}, where {target.name} "
        f"is expected at {g.expected}. It is a strength that pulls against the move: the time "
        f"it takes is time the new role needs, so hand it over."
    )
    return LetGo(
        skill=g.skill.slug, name=g.skill.name, score=g.score, expected=g.expected, why=why,
        action=_planned(action, 30, "Hand this over in the first 30 days."),
    )  # fmt: skip


def _milestone(current, target: TitleSpec, titles: Sequence[TitleSpec]) -> TitleSpec | None:
    """More than one rung up: the next rung on the target's ladder is the 90-day milestone."""
    if current is None or not titles:
        return None
    try:
        step = default_target(current, titles, target.track)
    except ValueError:
        return None
    return step if step.slug != target.slug and step.level < target.level else None


def _rungs(current, target: TitleSpec, titles: Sequence[TitleSpec]) -> int:
    """How many rungs the target is from the current title (1 when unknown)."""
    milestone = _milestone(current, target, titles)
    if milestone is None:
        return 1
    ladder = [t for t in titles if t.track == target.track]
    return 1 + sum(1 for t in ladder if milestone.level < t.level <= target.level)


def _strengths(gaps, target: TitleSpec, exclude: str) -> tuple[Strength, ...]:
    strong = sorted(
        (
            g
            for g in gaps
            if g.score >= g.expected
            and g.expected >= STRENGTH_MIN_EXPECTED
            and g.skill.slug != exclude
        ),
        key=lambda g: (-(g.score - g.expected), -g.score, g.skill.slug),
    )[:MAX_STRENGTHS]
    return tuple(
        Strength(
            skill=g.skill.slug,
            name=g.skill.name,
            score=g.score,
            expected=g.expected,
            why=(
                f"You are at {whole(g.score)} where {article(target.name).lower()} "
                f"{target.name} is expected at {g.expected}: a strength to build on."
            ),
        )
        for g in strong
    )


#: Where the style lens calls for a practice: a style chosen in at least half of the
#: situations, the practice that balances it, and the sentence saying why.
STYLE_PRACTICES: dict[str, tuple[str, str]] = {
    "delegate": (
        "regular-check-ins",
        "In {n} of {total} situations you handed the work over. Regular check-ins keep the "
        "people you hand work to supported without taking it back.",
    ),
    "direct": (
        "empowerment-vs-command",
        "In {n} of {total} situations you said what to do and how. Handing over a decision, "
        "with the goal and limits agreed, lets people grow into it.",
    ),
}


def style_practice(
    style: Mapping[str, int] | None, actions: Sequence[ActionSpec], used: set[str]
) -> PlannedAction | None:
    """One practice the style lens calls for, or None: regular check-ins for a mostly
    delegating style, handing over a decision for a mostly directing one."""
    total = sum((style or {}).values())
    for chosen, (practice, why) in STYLE_PRACTICES.items():
        n = (style or {}).get(chosen, 0)
        if total and n * 2 >= total:
            pick = next((a for a in actions if a.practice == practice and a.id not in used), None)
            if pick is not None:
                return PlannedAction(
                    action_id=pick.id, skill=pick.skill, horizon=pick.horizon, title=pick.title,
                    description=pick.description, why=why.format(n=n, total=total),
                )  # fmt: skip
    return None


def next_title_up(target: TitleSpec, titles: Iterable[TitleSpec]) -> TitleSpec | None:
    """The title one level above ``target`` on the same track (lowest higher level, ties by
    slug), or None when ``target`` is at the top of its track."""
    higher = [t for t in titles if t.track == target.track and t.level > target.level]
    return min(higher, key=lambda t: (t.level, t.slug), default=None)


def default_target(current: TitleSpec | None, titles: Sequence[TitleSpec], track: str) -> TitleSpec:
    """The title a plan aims at unless the person picks one: the next rung on ``track`` (the
    path the person wants: the leadership ladder, or the craft ladder).

    - No current title: the lowest title on that track.
    - Current title on that track: the next level up there (itself at the top).
    - Otherwise: the lowest title on that track at or above the current level (the top one
      when every one is below).

    Raises ValueError when ``titles`` has no title on ``track``."""
    ladder = sorted((t for t in titles if t.track == track), key=_ladder_order)
    if not ladder:
        raise ValueError(f"No title on the track {track!r}.")
    if current is None:
        return ladder[0]
    if current.track == track:
        return next_title_up(current, ladder) or current
    return next((t for t in ladder if t.level >= current.level), ladder[-1])


def _ladder_order(title: TitleSpec) -> tuple[int, str]:
    return (title.level, title.slug)


def _round(value: float) -> float:
    # Adding 0.0 turns -0.0 into 0.0, so JSON never shows "-0.0".
    return round(value, 2) + 0.0
