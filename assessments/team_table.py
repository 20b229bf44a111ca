"""The rules of a manager's team page, in plain Python (no Django): what the filters and sort
accept, each person's row (state, label, positions in words, plan progress), the skill
heatmap's bands, the sort links and the points of the team map.

The reads that feed these (assessments.selectors) and the drawing (the ``_team_*.html``
templates) live elsewhere; everything here takes plain values and returns plain values.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from assessments import charts
from assessments.scoring import AXIS_LABELS, QUADRANT_LABELS

SHARED, NOT_SHARED, NOT_TAKEN = "shared", "not-shared", "not-taken"
STATUS_LABELS = {SHARED: "Shared a result", NOT_SHARED: "Not shared", NOT_TAKEN: "Not taken yet"}
SORTS = {
    "name": "Name",
    "strategic": "Tactical ↔ strategic",
    "leadership": "Individual contributor ↔ people leader",
    "progress": "Plan progress",
    "date": "Date",
}
#: People per page of the team table, heatmap and map.
PAGE_SIZE = 50
#: Heatmap colour bands: lower edges of the score bands, 0–100.
HEAT_BANDS = (0, 20, 40, 60, 80)


class Person(Protocol):
    """What the rules read of a direct report: an accounts.models.User, read by
    ``selectors.team_people`` (which adds ``has_submitted``)."""

    pk: Any
    has_submitted: bool

    @property
    def display_name(self) -> str: ...

    def get_short_name(self) -> str: ...


class Title(Protocol):
    """What the team map reads of a title on the ladders (a roles.models.Role)."""

    short_name: str
    expected_strategic: float
    expected_leadership: float


@dataclass(frozen=True)
class TeamQuery:
    """The GET filters (quadrant, status) and sort (``-`` prefix: descending) of the team page.

    Unknown values are ignored rather than refused: a stale bookmark still shows the team.
    """

    quadrant: str = ""
    status: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "TeamQuery":
        quadrant = params.get("quadrant", "")
        status = params.get("status", "")
        sort = params.get("sort", "name")
        return cls(
            quadrant=quadrant if quadrant in QUADRANT_LABELS else "",
            status=status if status in STATUS_LABELS else "",
            sort=sort if sort.lstrip("-") in SORTS else "name",
        )

    @property
    def current(self) -> dict[str, str]:
        return {"quadrant": self.quadrant, "status": self.status, "sort": self.sort}

    def matching(self, counts: "TeamCounts") -> int:
        """How many people the filters keep, from the counts of everyone (no second count)."""
        if self.quadrant:
            return counts.quadrants[self.quadrant] if self.status in ("", SHARED) else 0
        return counts.statuses[self.status] if self.status else counts.everyone


@dataclass(frozen=True)
class TeamCounts:
    """Everyone on the team, by status and (shared results) by quadrant; and how many people
    have each first name (a first name names a person on the map only when it is theirs
    alone)."""

    everyone: int
    statuses: dict[str, int]
    quadrants: dict[str, int]
    first_names: Counter


def progress(done: int, total: int) -> dict[str, int]:
    """Plan progress as the table shows it: actions done, actions, percent done."""
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


@dataclass
class TeamRow:
    """One direct report as their manager may see them: numbers only from a shared result.

    ``assessment`` is that result (an Assessment read with the row fields) or None."""

    person: Any
    label: str
    state: str
    assessment: Any = None
    progress: dict | None = None
    skills: dict[str, float | None] = field(default_factory=dict)
    skill_names: dict[str, str] = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return STATUS_LABELS[self.state]

    @property
    def axes(self) -> list[dict]:
        """Both positions as a signed number (``+12``, ``-3``: the template writes the minus
        sign) with the word for its side, never a bare number."""
        cells = []
        for name in ("strategic", "leadership"):
            value = getattr(self.assessment, name)
            high, low = AXIS_LABELS[name]
            if value is None:
                cells.append({"number": None, "word": "not placed"})
            else:
                n = round(value)
                word = "balanced" if n == 0 else high if n > 0 else low
                cells.append({"number": f"{n:+d}", "word": word})
        return cells

    def sort_value(self, key: str) -> Any:
        a = self.assessment
        if key == "name":
            return self.person.display_name.casefold()
        if a is None:
            return None
        if key == "progress":
            return self.progress["percent"] if self.progress and self.progress["total"] else None
        return {"strategic": a.strategic, "leadership": a.leadership, "date": a.submitted_at}[key]


def team_rows(
    people: Iterable[Person],
    results: Mapping[Any, Any],
    done_of: Mapping[Any, tuple[int, int]],
    first_names: Counter,
) -> list[TeamRow]:
    """A row per person, in their order. ``results``: person pk → the shared result they may
    be shown with (absent: none); ``done_of``: result pk → (done, total) plan actions;
    ``people`` carry ``has_submitted`` (whether they submitted any self-assessment at all)."""
    rows = []
    for person in people:
        short = person.get_short_name()
        label = short if first_names[short] == 1 else person.display_name
        a = results.get(person.pk)
        if a is None:
            state = NOT_SHARED if person.has_submitted else NOT_TAKEN
            rows.append(TeamRow(person=person, label=label, state=state))
            continue
        skills = {slug: score for slug, _name, score in a.skill_scores or ()}
        names = {slug: name for slug, name, _score in a.skill_scores or ()}
        row_progress = progress(*done_of.get(a.pk, (0, 0)))
        rows.append(TeamRow(person, label, SHARED, a, row_progress, skills, names))
    return rows


def sort_links(current: Mapping[str, str]) -> dict[str, dict]:
    """For each sortable column: the query string that sorts by it, and its aria-sort state."""
    links = {}
    key, descending = current["sort"].lstrip("-"), current["sort"].startswith("-")
    # Filters are kept; their values are validated keys, so they need no escaping.
    query = "&".join(f"{k}={v}" for k, v in current.items() if k != "sort" and v)
    for name in SORTS:
        if name == key:
            state = "descending" if descending else "ascending"
            next_sort = name if descending else f"-{name}"
        else:
            state = "none"
            # Names read A→Z first; numbers and dates read highest / newest first.
            next_sort = name if name == "name" else f"-{name}"
        links[name] = {
            "query": f"?sort={next_sort}" + (f"&{query}" if query else ""),
            "state": state,
        }
    return links


def heatmap(rows: Iterable[TeamRow]) -> tuple[list[dict], list[dict]]:
    """Skill columns (in the order results list them) and, per shared row, its cells: the
    score rounded and its colour band (None for both when the skill had no answers)."""
    rows = list(rows)
    columns: dict[str, str] = {}
    for row in rows:
        for slug, name in row.skill_names.items():
            columns.setdefault(slug, name)
    table = []
    for row in rows:
        if row.assessment is None:
            continue
        cells = []
        for slug in columns:
            score = row.skills.get(slug)
            band = None if score is None else sum(1 for edge in HEAT_BANDS[1:] if score >= edge)
            cells.append({"score": None if score is None else round(score), "band": band})
        table.append({"row": row, "cells": cells})
    return [{"slug": s, "name": n} for s, n in columns.items()], table


def team_map_points(rows: Iterable[TeamRow], titles: Iterable[Title]) -> list[charts.MapPoint]:
    """The titles as reference points, then each report with a placed result."""
    references = [
        charts.point(t.short_name, t.expected_strategic, t.expected_leadership, kind="title")
        for t in titles
    ]
    people = [
        charts.point(r.label, r.assessment.strategic, r.assessment.leadership, kind="report")
        for r in rows
        if r.assessment
        and r.assessment.strategic is not None
        and r.assessment.leadership is not None
    ]
    return charts.spread_labels(references) + charts.spread_labels(people)
