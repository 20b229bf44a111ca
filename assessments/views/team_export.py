"""The team page as a CSV file: the same people, filters and sort, every page at once."""

import csv
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.team_table import TeamQuery, TeamRow, heatmap
from assessments.views.common import no_store
from assessments.views.team import team_or_404

HEADER = [
    "Name", "Email", "Status", "Submitted", "Quadrant", "Tactical-strategic", "IC-people leader",
    "Current title", "Target title", "Closest title", "Plan actions done", "Plan actions",
]  # fmt: skip


def csv_safe(value: object) -> str | int | float:
    """A cell a spreadsheet will not run: text that starts like a formula gets a leading '.

    Numbers the app computed stay numbers (so a position of -12 sorts as a number)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rounded(value: float | None) -> int | None:
    return None if value is None else round(value)


def csv_cells(row: TeamRow, skill_slugs: list[str]) -> list:
    """One person's cells: who they are and their state, then (a shared result only) its
    numbers, titles, plan progress and a score per skill column."""
    cells: list = [row.person.display_name, row.person.email, row.state_label]
    a = row.assessment
    if a is not None:
        cells += [
            f"{timezone.localtime(a.submitted_at):%Y-%m-%d}", a.quadrant_label,
            _rounded(a.strategic), _rounded(a.leadership), a.current_title_name,
            a.target_title_name, a.closest_title_name, row.progress["done"],
            row.progress["total"], *(_rounded(row.skills.get(slug)) for slug in skill_slugs),
        ]  # fmt: skip
    return [csv_safe(cell) for cell in cells]


@login_required
@require_GET
def team_csv(request: HttpRequest) -> HttpResponse:
    """A person with current direct reports: the same people as the team page (same filters
    and sort) as CSV; only shared, submitted results carry numbers. Anyone else: 404.

    Three queries however large the team: the people, their results, their plan progress."""
    team = team_or_404(request.user)
    query = TeamQuery.from_params(request.GET)
    people = list(selectors.team_people(selectors.team_filtered(team, query)))
    # No first names counted: the file names everyone in full (labels are for the map).
    rows = selectors.team_rows_for(request.user, people, Counter())
    columns, _ = heatmap(rows)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="team-results-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([*HEADER, *(c["name"] for c in columns)])
    slugs = [c["slug"] for c in columns]
    writer.writerows(csv_cells(row, slugs) for row in rows)
    return no_store(response)
