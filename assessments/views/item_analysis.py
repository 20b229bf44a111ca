"""The item analysis page of the admin: how well the questionnaire's scales hold together."""

import csv

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments import item_analysis as ia
from assessments.selectors_item_analysis import item_analysis_input
from assessments.views.team_export import csv_safe

CSV_HEADER = [
    "scale", "kind", "item id", "text", "key", "n", "mean", "item-rest r", "flag",
    "count_1", "count_2", "count_3", "count_4", "count_5", "scale alpha", "scale flag",
    *(f"chose {style}" for style in ia.STYLES),
]  # fmt: skip
TOO_FEW = f"fewer than {ia.MIN_RESPONSES} responses: not shown"


def _r2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def csv_rows(scales: list[ia.ScaleReport], styles: ia.StyleLensReport) -> list[list]:
    """One row per statement of every scale, then one per situation of the style lens (its
    style counts in the last columns). Below the minimum a row names the item and n only."""
    no_values, no_styles = [None] * len(ia.VALUES), [None] * len(ia.STYLES)
    rows: list[list] = []
    for scale in scales:
        if not scale.shown:
            scale_flag = TOO_FEW
        else:
            scale_flag = f"alpha below {ia.ALPHA_FLAG}" if scale.alpha_flagged else ""
        for item in scale.items:
            if scale.shown:
                flag = f"item-rest below {ia.ITEM_REST_FLAG}" if item.flagged else ""
                mean, rest, counts = _r2(item.mean), _r2(item.item_rest), list(item.counts)
            else:
                flag, mean, rest, counts = TOO_FEW, None, None, no_values
            rows.append(
                [scale.name, scale.kind, item.id, item.text, item.key, scale.n, mean, rest, flag,
                 *counts, _r2(scale.alpha), scale_flag, *no_styles]
            )  # fmt: skip
    for situation in styles.situations:
        chosen = list(situation.counts) if situation.shown else no_styles
        flag = "" if situation.shown else TOO_FEW
        rows.append(
            ["Style lens", "style", situation.id, situation.text, None, situation.n, None, None,
             flag, *no_values, None, None, *chosen]
        )  # fmt: skip
    return [[csv_safe(cell) for cell in row] for row in rows]


@staff_member_required
@never_cache
@require_GET
def item_analysis(request: HttpRequest) -> HttpResponse:
    """Staff only (active ``is_staff`` accounts; anyone else, signed in or not, is sent to
    the admin login): per axis pole, per skill and for the style lens, the figures of the
    submitted self-assessments scored by instrument 2. ``?format=csv``: the same as a file.

    Figures are aggregates over at least ``MIN_RESPONSES`` people; no person is named.
    Four data queries whatever the number of results (see selectors_item_analysis)."""
    data = item_analysis_input()
    scales = ia.analyse(data.scales)
    styles = ia.analyse_styles(data.situations, data.style_choices)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="item-analysis-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        writer.writerows(csv_rows(scales, styles))
        return response
    context = {
        **admin.site.each_context(request),
        "title": "Item analysis",
        "results": data.results,
        "poles": [s for s in scales if s.kind == "pole"],
        "skills": [s for s in scales if s.kind == "skill"],
        "styles": styles,
        "style_names": ia.STYLES,
        "values": ia.VALUES,
        "min_responses": ia.MIN_RESPONSES,
        "alpha_flag": ia.ALPHA_FLAG,
        "item_rest_flag": ia.ITEM_REST_FLAG,
    }
    return TemplateResponse(request, "admin/item_analysis.html", context)
