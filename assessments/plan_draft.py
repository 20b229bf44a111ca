"""A transition plan as ``assessments.planning`` drafts it and a plan stores it (``PlanDraft``).

Pure Python, no Django.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HORIZONS: tuple[int, int, int] = (30, 60, 90)
#: The manager's moments in every plan: a check-in half way, a review at the end.
CHECK_IN_DAY = 45
REVIEW_DAY = 90


def _round(value: float) -> float:
    return round(value, 2) + 0.0


# --- outputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedAction:
    """A catalog action placed in the plan, with one sentence tying it to the person's gap."""

    action_id: str
    skill: str
    horizon: int
    title: str
    description: str
    why: str


@dataclass(frozen=True)
class FocusArea:
    """A skill to grow: the person's score, what the target expects, the gap, the gap
    weighted by how much the target relies on the skill, why it was chosen, and its actions
    in horizon order."""

    skill: str
    name: str
    score: float
    expected: int
    gap: float
    weighted_gap: float
    why: str
    actions: tuple[PlannedAction, ...]
    #: 1, 2 or 3: the area leads days 1–30, 31–60 or 61–90 (0 on plans made before phases).
    phase: int = 0
    #: Why it comes in this place, in one sentence with the numbers shown.
    order_why: str = ""


@dataclass(frozen=True)
class Strength:
    """A skill the target relies on where the person already meets the expectation."""

    skill: str
    name: str
    score: float
    expected: int
    why: str


@dataclass(frozen=True)
class LetGo:
    """A habit to hand over: a skill well above what the target expects that pulls against
    it (hands-on execution for a move to people leadership), with a way to do it."""

    skill: str
    name: str
    score: float
    expected: int
    why: str
    action: PlannedAction


@dataclass(frozen=True)
class PlanDraft:
    """A generated plan. ``focus`` is ranked (largest weighted gap first), 0..``MAX_FOCUS``
    long; ``no_gap`` is True exactly when there is nothing to focus on."""

    target: str
    target_name: str
    focus: tuple[FocusArea, ...]
    strengths: tuple[Strength, ...]
    no_gap: bool
    #: A practice the style lens calls for (assessments.planning.style_practice), if any.
    practice: PlannedAction | None = None
    let_go: LetGo | None = None
    #: More than one rung up: the intermediate rung is the 90-day milestone.
    milestone: str = ""
    milestone_name: str = ""
    rungs: int = 1

    @property
    def actions(self) -> tuple[PlannedAction, ...]:
        """Every planned action, by horizon, then by the rank of its focus area; the style
        practice last in its horizon."""
        extra = tuple(a for a in (self.practice, self.let_go and self.let_go.action) if a)
        return tuple(
            action
            for horizon in HORIZONS
            for action in (*(a for area in self.focus for a in area.actions), *extra)
            if action.horizon == horizon
        )

    def to_dict(self, *, actions: bool = True) -> dict[str, Any]:
        """A JSON-serialisable copy with floats rounded to 2 decimal places.

        ``PlanDraft.from_dict(p.to_dict()).to_dict() == p.to_dict()``. With ``actions=False``
        the focus areas come without their actions (a stored plan keeps those as rows)."""
        return {
            "target": self.target,
            "target_name": self.target_name,
            "focus": [
                {
                    "skill": f.skill,
                    "name": f.name,
                    "score": _round(f.score),
                    "expected": f.expected,
                    "gap": _round(f.gap),
                    "weighted_gap": _round(f.weighted_gap),
                    "why": f.why,
                    "phase": f.phase,
                    "order_why": f.order_why,
                    "actions": [_action_dict(a) for a in (f.actions if actions else ())],
                }
                for f in self.focus
            ],
            "strengths": [
                {
                    "skill": s.skill,
                    "name": s.name,
                    "score": _round(s.score),
                    "expected": s.expected,
                    "why": s.why,
                }
                for s in self.strengths
            ],
            "no_gap": self.no_gap,
            **({"practice": _action_dict(self.practice)} if self.practice and actions else {}),
            "let_go": None
            if self.let_go is None
            else {
                "skill": self.let_go.skill,
                "name": self.let_go.name,
                "score": _round(self.let_go.score),
                "expected": self.let_go.expected,
                "why": self.let_go.why,
                "action": _action_dict(self.let_go.action),
            },
            "milestone": self.milestone,
            "milestone_name": self.milestone_name,
            "rungs": self.rungs,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PlanDraft":
        """Rebuild a plan from ``to_dict()`` output (focus areas stored without their actions
        come back with none)."""
        return cls(
            target=data["target"],
            target_name=data["target_name"],
            focus=tuple(
                FocusArea(
                    skill=f["skill"],
                    name=f["name"],
                    score=float(f["score"]),
                    expected=int(f["expected"]),
                    gap=float(f["gap"]),
                    weighted_gap=float(f["weighted_gap"]),
                    why=f["why"],
                    actions=tuple(_action_from(a) for a in f.get("actions", ())),
                    phase=int(f.get("phase", 0)),
                    order_why=f.get("order_why", ""),
                )
                for f in data["focus"]
            ),
            strengths=tuple(
                Strength(
                    skill=s["skill"],
                    name=s["name"],
                    score=float(s["score"]),
                    expected=int(s["expected"]),
                    why=s["why"],
                )
                for s in data["strengths"]
            ),
            no_gap=bool(data["no_gap"]),
            practice=_action_from(data["practice"]) if data.get("practice") else None,
            let_go=_let_go_from(data.get("let_go")),
            milestone=data.get("milestone", ""),
            milestone_name=data.get("milestone_name", ""),
            rungs=int(data.get("rungs", 1)),
        )


def _action_dict(a: PlannedAction) -> dict[str, Any]:
    return {
        "action_id": a.action_id,
        "skill": a.skill,
        "horizon": a.horizon,
        "title": a.title,
        "description": a.description,
        "why": a.why,
    }


def _action_from(a: Mapping[str, Any]) -> PlannedAction:
    return PlannedAction(
        action_id=a["action_id"],
        skill=a["skill"],
        horizon=int(a["horizon"]),
        title=a["title"],
        description=a["description"],
        why=a["why"],
    )


def _let_go_from(data: Mapping[str, Any] | None) -> LetGo | None:
    if not data:
        return None
    return LetGo(
        skill=data["skill"],
        name=data["name"],
        score=float(data["score"]),
        expected=int(data["expected"]),
        why=data["why"],
        action=_action_from(data["action"]),
    )
