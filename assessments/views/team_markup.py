"""The repeated markup of the team page, built in Python: a row of the people table, a row of
the skill heatmap, a person's point on the team map.

Fifty people a page make hundreds of cells; rendering them through template loops (or a
``format_html`` per cell) cost more than everything else on the page together, so the rows
are built here as plain strings, every value escaped as autoescaping would (``_e``), and the
templates print them. The markup, classes and accessibility attributes are the ones the
templates used (``_team_table.html``, ``_team_heatmap.html``, ``_map.html``), so the
stylesheet and the tests see the same page.
"""

import uuid
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessments import charts


def url_maker(name: str) -> Callable[[object], str]:
    """``reverse(name, args=[value])`` for a URL with one UUID argument, reversed once per
    request rather than once per row (fifty rows, three links each)."""
    placeholder = str(uuid.UUID(int=0))
    head, tail = reverse(name, args=[placeholder]).split(placeholder)
    return lambda value: f"{head}{value}{tail}"


def _e(value) -> str:
    """Escape one value for HTML text or an attribute (what autoescaping does)."""
    return escape(str(value))


_MUTED = '<span class="small text-body-secondary">{}</span>'


def table_row(row, report_url: Callable, result_url: Callable) -> SafeString:
    """One ``<tr>`` of the people table (a TeamRow): name and title, then the numbers of their
    latest shared result, or their state across the other six columns. Every value is
    escaped (``_e``); the rest is this module's own markup."""
    person = row.person
    title = ""
    if person.current_title:
        title = "<br>" + _MUTED.format(_e(person.current_title.short_name))
    name = (
        f'<th scope="row" class="fw-normal"><a href="{_e(report_url(person.public_id))}">'
        f"{_e(person.display_name)}</a>{title}</th>"
    )
    a = row.assessment
    if a is None:
        state = (
            f'<td colspan="6"><span class="team-state team-state-{_e(row.state)}">'
            f"{_e(row.state_label)}</span></td>"
        )
        return mark_safe(f"<tr>{name}{state}</tr>")  # noqa: S308 (escaped above)
    axes = "".join(
        '<td class="text-end text-nowrap">'
        + (f'<span class="num">{_e(cell["number"])}</span> ' if cell["number"] else "")
        + _MUTED.format(_e(cell["word"]))
        + "</td>"
        for cell in row.axes
    )
    progress = row.progress
    if progress["total"]:
        plan = (
            f'<span class="num">{int(progress["done"])} of {int(progress["total"])}</span> '
            '<span class="small text-body-secondary">done</span>'
            '<div class="progress progress-thin mt-1" aria-hidden="true">'
            f'<div class="progress-bar progress-{int(progress["percent"])}"></div></div>'
        )
    else:
        plan = _MUTED.format("No plan yet")
    submitted = _day(a.submitted_at)
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<tr>{name}<td class="text-nowrap"><a href="{_e(result_url(a.pk))}">{_e(submitted)}</a>'
        f"</td><td>{_e(a.quadrant_label or 'Not placed yet')}</td>{axes}"
        f'<td>{_e(a.target_title_name or "—")}</td><td class="team-progress">{plan}</td></tr>'
    )


def _day(value) -> str:
    """``{{ value|date:"j M Y" }}``: in the current time zone, the month abbreviated in the
    current language, as the filter (``django.utils.dateformat``) writes it, at a twentieth
    of its cost."""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS_3[local.month].title()} {local.year:04d}"


def heat_row(row, cells: list[dict], report_url: Callable) -> SafeString:
    """One ``<tr>`` of the skill heatmap: the person, then a cell per skill with its band as a
    class and its number as text (a dash, and words for screen readers, when unanswered)."""
    tds = "".join(
        _NO_ANSWERS
        if c["score"] is None
        else f'<td class="heat-cell heat-{int(c["band"])}">{int(c["score"])}</td>'
        for c in cells
    )
    person, url = row.person, report_url(row.person.public_id)
    return mark_safe(  # noqa: S308 (ints, constants and escaped text only)
        f'<tr><th scope="row" class="fw-normal heat-person"><a href="{_e(url)}">'
        f"{_e(person.display_name)}</a></th>{tds}</tr>"
    )


_NO_ANSWERS = (
    '<td class="heat-cell heat-none">—<span class="visually-hidden"> no answers</span></td>'
)


def report_points(points: list[charts.MapPoint]) -> SafeString:
    """The people on the team map (points of kind "report"), drawn as ``_map.html`` draws
    them: a dot and the person's label beside it."""
    return mark_safe(  # noqa: S308 (floats, constants and escaped labels only)
        "".join(
            f'<circle class="you-point" cx="{float(p.cx)}" cy="{float(p.cy)}" r="6"/>'
            f'<text x="{float(p.cx)}" y="{float(p.cy)}" dx="{-11 if p.anchor == "end" else 11}" '
            f'dy="-8" text-anchor="{"end" if p.anchor == "end" else "start"}" font-size="12" '
            'font-weight="700" paint-order="stroke" stroke="#fff" stroke-width="3">'
            f"{_e(p.label)}</text>"
            for p in points
            if p.kind == "report"
        )
    )
