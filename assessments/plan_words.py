"""The plan's sentences: why each focus area, from the person's own answers, their manager's
rating, the style lens, the step up from their current title or the numbers; never judging.

Pure Python, no Django.
"""

import math
from collections.abc import Iterable

from assessments.scoring import keyed_u


class Sources:
    """The "why" of each focus area, each from a different source: the person's own answer,
    their manager's rating, the style lens, the step up from the current title, the numbers.
    No two focus areas share a sentence template."""

    LEADING = {"mentoring-coaching", "team-culture-empowerment", "leading-initiatives",
               "hiring-staffing", "influence-without-authority"}  # fmt: skip

    def __init__(self, target, current, answers, manager, style) -> None:
        self.target, self.current = target, current
        self.answers, self.manager, self.style = answers, manager, style
        self.used: set[str] = set()

    def why(self, g) -> str:
        numbers = _numbers(g, self.target.name)
        for name in ("manager", "answer", "style", "step", "numbers"):
            if name in self.used:
                continue
            sentence = getattr(self, f"_{name}")(g, numbers)
            if sentence:
                self.used.add(name)
                return sentence
        return numbers

    def _answer(self, g, numbers: str) -> str:
        return answer_why(g, self.target.name, self.answers.get(g.skill.slug, ()))

    def _manager(self, g, numbers: str) -> str:
        if g.skill.slug not in self.manager:
            return ""
        value, text = self.manager[g.skill.slug]
        return (
            f"Your manager rated you {value}/5 on ‘{' '.join(text.split()).rstrip('.')}’. {numbers}"
        )

    def _style(self, g, numbers: str) -> str:
        total = sum(self.style.values())
        if not total or g.skill.slug not in self.LEADING:
            return ""
        top = max(self.style, key=lambda k: (self.style[k], k))
        words = {"direct": "directing", "coach": "coaching", "support": "supporting",
                 "delegate": "delegating"}  # fmt: skip
        return (
            f"In the situations you reached most for {words.get(top, top)} "
            f"({self.style[top]} of {total}); {lower_first(g.skill.name)} is where "
            f"{self.target.name} asks you to widen that range. {numbers}"
        )

    def _step(self, g, numbers: str) -> str:
        if self.current is None:
            return ""
        now = int(self.current.expectations.get(g.skill.slug, 0))
        if g.expected <= now:
            return ""
        return (
            f"{self.current.name} is usually expected at {now} in "
            f"{lower_first(g.skill.name)} and {self.target.name} at {g.expected}: this is "
            f"one of the skills the step up asks most of. You are at {whole(g.score)}."
        )

    def _numbers(self, g, numbers: str) -> str:
        return numbers


def _numbers(g, target_name: str) -> str:
    shown_score, shown_gap = shown_numbers(g.score, g.expected)
    points = "point" if shown_gap == "1" else "points"
    return (
        f"{article(target_name)} {target_name} is expected at {g.expected} in "
        f"{lower_first(g.skill.name)}; you are at {shown_score}, which leaves {shown_gap} "
        f"{points} of room to grow."
    )


def answer_why(g, target_name: str, answers: Iterable) -> str:
    """Why this skill is in focus: the answer that pulled the score down most, then the
    numbers. For example: "You rated yourself 2/5 on ‘I regularly coach other PMs.’ A Director
    of PM is expected at 80 in mentoring and coaching; you are at 35, which leaves 45 points
    of room to grow." """
    shown_score, shown_gap = shown_numbers(g.score, g.expected)
    points = "point" if shown_gap == "1" else "points"
    numbers = (
        f"{article(target_name)} {target_name} is expected at {g.expected} in "
        f"{lower_first(g.skill.name)}; you are at {shown_score}, which leaves {shown_gap} "
        f"{points} of room to grow."
    )
    lowest = min(answers, key=lambda a: (keyed_u(a.value, a.key), a.id), default=None)
    if lowest is None:
        return numbers
    statement = " ".join(lowest.text.split())
    if keyed_u(lowest.value, lowest.key) < 0 and lowest.key < 0:
        # Agreeing with a reverse-keyed statement lowers the skill: say so, plainly.
        return (
            f"You rated yourself {lowest.value}/5 on ‘{statement.rstrip('.')}’, "
            f"which counts against this skill. {numbers}"
        )
    end = "" if statement.endswith((".", "?", "!")) else "."
    return f"You rated yourself {lowest.value}/5 on ‘{statement}’{end} {numbers}"


def shown_numbers(score: float, expected: int) -> tuple[str, str]:
    """Score and gap as shown in text, always consistent (shown gap = expected − shown
    score): whole numbers, or tenths when rounding to whole numbers would hide the gap."""
    whole = math.floor(score + 0.5)
    if expected - whole >= 1:
        return str(whole), str(expected - whole)
    tenth = math.floor(score * 10 + 0.5)
    return f"{tenth / 10:.1f}", f"{(expected * 10 - tenth) / 10:.1f}"


def whole(value: float) -> str:
    # Round half up: Python's round() would show 62.5 as 62.
    return str(math.floor(value + 0.5))


def article(name: str) -> str:
    return "An" if name[:1].upper() in ("A", "E", "I", "O") else "A"


def lower_first(name: str) -> str:
    """'Mentoring and coaching' → 'mentoring and coaching'; 'OKRs' stays as it is."""
    if len(name) >= 2 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
