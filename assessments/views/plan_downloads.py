"""A plan's downloads: Markdown (the whole plan, evidence included) and an iCalendar file
with the phases' ends and the manager's check-in (day 45) and review (day 90).

The owner, or staff holding ``assessments.view_all_results``; anyone else gets a 404.
"""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_GET

from assessments import ics, planning, services
from assessments.models import Plan, PlanItem
from assessments.plan_draft import CHECK_IN_DAY, REVIEW_DAY
from assessments.views.common import no_store
from assessments.views.plans import STATUS_LABELS, by_horizon, focus_rows, readable_plan

# --- downloads -----------------------------------------------------------------------------


def date_format(moment) -> str:
    return format_date(timezone.localtime(moment), "j F Y")


def _indented(text: str, indent: str = "  ") -> str:
    """Continuation lines indented, so a multi-line value stays inside its list item."""
    return text.replace("\r\n", "\n").replace("\n", "\n" + indent)


def _markdown_item(item: PlanItem) -> list[str]:
    """One action as a task-list item, its description, reason and note inside it."""
    box = "x" if item.status == PlanItem.Status.DONE else " "
    doing = " (in progress)" if item.status == PlanItem.Status.DOING else ""
    lines = [
        f"- [{box}] **{_indented(item.title)}**{doing} — {item.skill_name}",
        f"  {_indented(item.description)}",
    ]
    if item.why:
        lines.append(f"  *Why:* {_indented(item.why)}")
    if item.note:
        lines.append(f"  *Your note:* {_indented(item.note)}")
    if item.evidence:
        lines.append(f"  *What came of it:* {_indented(item.evidence)}")
    return lines


def _markdown_focus(draft: planning.PlanDraft, target_name: str) -> list[str]:
    """The focus areas, each with the numbers and the sentence the page shows."""
    lines = []
    if draft.no_gap:
        lines += [f"You already meet what {target_name} expects in every skill.", ""]
    for row in focus_rows(draft):
        area = row["area"]
        heading = f"Focus {area.phase}: " if area.phase else ""
        lines += [
            f"### {heading}{area.name}",
            "",
            f"You: {row['score']} · expected: {area.expected} · room to grow: {row['gap']}",
            "",
            *([area.order_why, ""] if area.order_why else []),
            area.why,
            "",
        ]
    if draft.let_go:
        lines += [f"### One habit to hand over: {draft.let_go.name}", "", draft.let_go.why, ""]
    return lines


def plan_as_markdown(plan: Plan, items: list[PlanItem]) -> str:
    """The plan as a Markdown document. Text appears exactly as written (a download, never
    rendered by us), with multi-line values kept inside their list item."""
    draft = planning.PlanDraft.from_dict(plan.content)
    progress = services.plan_progress(items)
    lines = [
        f"# Your plan towards {plan.target_name}",
        "",
        f"From your Trajectory result of {date_format(plan.result_submitted_at)}.",
        "",
        f"**Why this target:** {plan.target_reason}",
        "",
        *(
            [
                f"**Milestone at day 90:** {draft.milestone_name} ({plan.target_name} is "
                f"{draft.rungs} rungs up and stays the longer-range target).",
                "",
            ]
            if draft.milestone
            else []
        ),
        f"**Your manager:** a check-in on day {CHECK_IN_DAY} and a review on day {REVIEW_DAY}.",
        "",
        f"**Progress:** {progress['done']} of {progress['total']} actions done.",
        "",
        "## Where to focus",
        "",
    ]
    lines += _markdown_focus(draft, plan.target_name)
    for horizon in by_horizon(items):
        lines += [f"## {horizon['label']}", ""]
        for item in horizon["items"]:
            lines += _markdown_item(item)
        if not horizon["items"]:
            lines.append("Nothing planned for this stretch.")
        lines.append("")
    if draft.strengths:
        lines += ["## Strengths to build on", ""]
        lines += [f"- **{s.name}**: {s.why}" for s in draft.strengths]
        lines.append("")
    return "\n".join(lines)


def plan_as_ics(plan: Plan, items: list[PlanItem], plan_url: str) -> str:
    """All-day events: the end of each phase (days 30, 60, 90), and the manager's check-in
    (day 45) and review (day 90), named after the manager where there is one."""
    start = timezone.localdate(plan.created_at)
    manager = plan.owner.manager.display_name if plan.owner.manager_id else "your manager"
    events = [
        ics.Event(
            uid=f"plan-{plan.pk}-{kind}@trajectory",
            day=start + timedelta(days=day),
            summary=f"Trajectory {kind} with {manager}: day {day}",
            description=(
                f"Your plan towards {plan.target_name}: {text} Bring what came of the actions "
                f"you have done.\n\nOpen your plan: {plan_url}"
            ),
            url=plan_url,
        )
        for day, kind, text in (
            (CHECK_IN_DAY, "check-in", "half way; what is working, what to change."),
            (REVIEW_DAY, "review", "the end of the 90 days; what came of it, and what next."),
        )
    ]
    for horizon in by_horizon(items):
        days, progress = horizon["days"], horizon["progress"]
        actions = "\n".join(
            f"[{'x' if i.status == PlanItem.Status.DONE else ' '}] {i.title}"
            + (f" ({STATUS_LABELS[i.status].lower()})" if i.status == PlanItem.Status.DOING else "")
            for i in horizon["items"]
        )
        events.append(
            ics.Event(
                uid=f"plan-{plan.pk}-day-{days}@trajectory",
                day=start + timedelta(days=days),
                summary=f"Trajectory check-in: day {days}",
                description=(
                    f"Your plan towards {plan.target_name}, {horizon['label'].lower()}: "
                    f"{progress['done']} of {progress['total']} done.\n\n"
                    f"{actions or 'Nothing planned for this stretch.'}\n\n"
                    f"Open your plan: {plan_url}"
                ),
                url=plan_url,
            )
        )
    return ics.calendar(
        events,
        prodid="-//Trajectory//Transition plan//EN",
        stamp=plan.updated_at,
        name=f"Trajectory plan towards {plan.target_name}",
    )


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)


@login_required
@require_GET
def plan_markdown(request: HttpRequest, pk) -> HttpResponse:
    """The owner; staff with view_all_results. Anyone else: 404."""
    plan = readable_plan(request, pk)
    text = plan_as_markdown(plan, list(plan.items.all()))
    name = f"trajectory-plan-{plan.created_at:%Y-%m-%d}.md"
    return _download(text, "text/markdown; charset=utf-8", name)


@login_required
@require_GET
def plan_ics(request: HttpRequest, pk) -> HttpResponse:
    """The owner; staff with view_all_results. Anyone else: 404."""
    plan = readable_plan(request, pk)
    url = request.build_absolute_uri(reverse("assessments:plan", args=[plan.pk]))
    text = plan_as_ics(plan, list(plan.items.all()), url)
    name = f"trajectory-check-ins-{plan.created_at:%Y-%m-%d}.ics"
    return _download(text, "text/calendar; charset=utf-8", name)
