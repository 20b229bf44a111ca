"""The transition plan: the page, its two writes (an action's status and note, the target) and
its downloads (Markdown, iCalendar check-ins).

Only the owner works on a plan. Staff holding ``assessments.view_all_results`` may read it
(the page and the downloads) but never change it. Anyone else, the owner's manager included,
gets a 404: a manager sees plan progress on the team page, not the plan itself.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from assessments import charts, ics, planning, services
from assessments.models import Plan, PlanItem, can_view_all
from assessments.scoring import TitleSpec
from assessments.views.common import bad_request, no_store, unexpected_post
from roles.models import DevelopmentAction, Role

HORIZON_LABELS: dict[int, str] = dict(DevelopmentAction.Horizon.choices)
STATUS_LABELS: dict[str, str] = dict(PlanItem.Status.choices)

MISSING = ("required", "invalid_choice")  # one plain message for an empty or unknown choice


# --- forms ---------------------------------------------------------------------------------


class PlanItemForm(forms.Form):
    """One action's status and note; ``codes`` are the action codes of this plan."""

    action = forms.ChoiceField(
        error_messages=dict.fromkeys(MISSING, "That action is not in this plan.")
    )
    status = forms.ChoiceField(
        choices=PlanItem.Status.choices,
        error_messages=dict.fromkeys(MISSING, "Choose a status: To do, Doing or Done."),
    )
    note = forms.CharField(required=False, strip=False)

    def __init__(self, *args, codes: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(code, code) for code in codes]

    def clean_note(self) -> str:
        # A browser counts a line break as one character but sends two (CRLF): normalise
        # first, so a note that fitted the textarea also fits here.
        note = self.cleaned_data["note"].replace("\r\n", "\n").strip()
        if len(note) > services.PLAN_NOTE_MAX_LENGTH:
            raise forms.ValidationError(
                f"A note can be at most {services.PLAN_NOTE_MAX_LENGTH} characters; "
                f"this one has {len(note)}."
            )
        return note


class TargetForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Role.objects.all(),
        to_field_name="slug",
        error_messages=dict.fromkeys(MISSING, "Choose one of the titles in the list."),
    )


def first_error(form: forms.Form) -> str:
    return next(iter(form.errors.values()))[0]


# --- reading -------------------------------------------------------------------------------


def readable_plan(request: HttpRequest, pk) -> Plan:
    """The requester's own plan, or any plan for staff with view_all_results; else 404.

    One row by primary key (with its result's date), then the rule in Python; an owner
    costs no permission queries."""
    plans = Plan.objects.annotate(result_submitted_at=F("assessment__submitted_at"))
    plan = get_object_or_404(plans, pk=pk)
    if plan.owner_id == request.user.pk:
        plan.owner = request.user  # already loaded
    elif not can_view_all(request.user):
        raise Http404
    return plan


def newer_plan(plan: Plan) -> Plan | None:
    """The owner's latest plan when it is not this one (made from a later result)."""
    newer = Plan.objects.filter(owner=plan.owner_id, created_at__gt=plan.created_at)
    return newer.order_by("-created_at").only("pk").first()


def by_horizon(items: list[PlanItem]) -> list[dict]:
    """Actions grouped as First 30 days / Days 31–60 / Days 61–90, each with its progress."""
    return [
        {
            "days": days,
            "label": label,
            "items": [i for i in items if i.horizon == days],
            "progress": services.plan_progress(i for i in items if i.horizon == days),
        }
        for days, label in HORIZON_LABELS.items()
    ]


def focus_rows(draft: planning.PlanDraft) -> list[dict]:
    """Focus areas with the numbers shown exactly as their sentences show them."""
    rows = []
    for area in draft.focus:
        score, gap = planning._shown_numbers(area.score, area.expected)
        bar = charts.bars([(area.name, area.score, area.expected)])[0]
        rows.append({"area": area, "score": score, "gap": gap, "bar": bar})
    return rows


def stretch_title(plan: Plan, roles: list[Role]) -> Role | None:
    """The next title up from the plan's target on the same ladder (for a no-gap plan)."""
    target = next((r for r in roles if r.pk == plan.target_title_id), None)
    if target is None:
        return None
    specs = {
        r.slug: TitleSpec(r.slug, r.short_name, r.track.slug, r.level, 0, 0, {}) for r in roles
    }
    up = planning.next_title_up(specs[target.slug], specs.values())
    return next((r for r in roles if up and r.slug == up.slug), None)


def title_choices(roles: list[Role]) -> list[dict]:
    """All titles for the target select, one group per ladder."""
    tracks: dict[int, dict] = {}
    for role in roles:
        tracks.setdefault(role.track_id, {"name": role.track.name, "roles": []})
        tracks[role.track_id]["roles"].append(role)
    return list(tracks.values())


# --- the page ------------------------------------------------------------------------------


@login_required
@require_GET
def plan_page(request: HttpRequest, pk) -> HttpResponse:
    """The owner, to work on it; staff with view_all_results, read-only. Anyone else (the
    owner's manager included): 404. ``?print=1`` shows the printable, read-only layout."""
    plan = readable_plan(request, pk)
    is_owner = plan.owner_id == request.user.pk
    print_view = bool(request.GET.get("print"))
    items = list(plan.items.all())
    draft = planning.PlanDraft.from_dict(plan.content)
    roles = services.catalog().roles
    context = {
        "plan": plan,
        "draft": draft,
        "is_owner": is_owner,
        "editable": is_owner and not print_view,
        "print_view": print_view,
        "newer": newer_plan(plan) if is_owner else None,
        "tracks": title_choices(roles),
        "focus": focus_rows(draft),
        "horizons": by_horizon(items),
        "progress": services.plan_progress(items),
        "stretch": stretch_title(plan, roles) if draft.no_gap else None,
        "saved": request.GET.get("saved", ""),  # the action just saved, marked "Saved"
        "statuses": PlanItem.Status.choices,
        "bar_width": charts.BAR_WIDTH,
        "note_max": services.PLAN_NOTE_MAX_LENGTH,
    }
    return no_store(render(request, "assessments/plan.html", context))


# --- writes --------------------------------------------------------------------------------


@login_required
@require_POST
def plan_item(request: HttpRequest, pk) -> HttpResponse:
    """The owner only: set one action's status and note. Anyone else: 404."""
    plan = get_object_or_404(Plan.objects.owned_by(request.user), pk=pk)
    if reason := unexpected_post(request, {"action", "status", "note"}):
        return bad_request(request, reason)
    codes = list(plan.items.values_list("action_code", flat=True))
    form = PlanItemForm(request.POST, codes=codes)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    # A post without a note field (not from our form) leaves the note as it is.
    note = form.cleaned_data["note"] if "note" in request.POST else None
    try:
        item = services.plan_item_update(
            plan=plan,
            action_code=form.cleaned_data["action"],
            status=form.cleaned_data["status"],
            note=note,
        )
    except PlanItem.DoesNotExist:  # the plan was regenerated in another tab meanwhile
        return bad_request(request, "That action is no longer in this plan.")
    url = reverse("assessments:plan", args=[plan.pk])
    query = urlencode({"saved": item.action_code})
    return redirect(f"{url}?{query}#item-{item.action_code}")


@login_required
@require_POST
def plan_target(request: HttpRequest, pk) -> HttpResponse:
    """The owner only: aim the plan at another title and rebuild it. Actions already done,
    or with a note, stay. Anyone else: 404."""
    plan = get_object_or_404(
        Plan.objects.owned_by(request.user).select_related(
            "assessment__current_title", "assessment__subject"
        ),
        pk=pk,
    )
    if reason := unexpected_post(request, {"target"}):
        return bad_request(request, reason)
    form = TargetForm(request.POST)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    target = form.cleaned_data["target"]
    services.plan_create(assessment=plan.assessment, target=target, chosen=True)
    messages.success(
        request,
        f"Your plan now aims at {target.short_name}. Anything you had done or noted is still here.",
    )
    return redirect("assessments:plan", pk=plan.pk)


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
    return lines


def _markdown_focus(draft: planning.PlanDraft, target_name: str) -> list[str]:
    """The focus areas, each with the numbers and the sentence the page shows."""
    lines = []
    if draft.no_gap:
        lines += [f"You already meet what {target_name} expects in every skill.", ""]
    for row in focus_rows(draft):
        area = row["area"]
        lines += [
            f"### {area.name}",
            "",
            f"You: {row['score']} · expected: {area.expected} · room to grow: {row['gap']}",
            "",
            area.why,
            "",
        ]
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
    """Three all-day check-ins, 30, 60 and 90 days after the plan was made."""
    start = timezone.localdate(plan.created_at)
    events = []
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
