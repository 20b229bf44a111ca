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
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from assessments import charts, plan_words, planning, services
from assessments.models import Plan, PlanItem, can_view_all
from assessments.plan_draft import CHECK_IN_DAY, REVIEW_DAY
from assessments.scoring import TitleSpec
from assessments.views.common import bad_request, no_store, unexpected_post
from roles.models import DevelopmentAction, Role

HORIZON_LABELS: dict[int, str] = dict(DevelopmentAction.Horizon.choices)
HORIZON_LABELS_BY_PHASE = {1: 30, 2: 60, 3: 90}
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
    evidence = forms.CharField(
        required=False,
        max_length=services.EVIDENCE_MAX_LENGTH,
        error_messages={
            "max_length": f"What came of it can be at most {services.EVIDENCE_MAX_LENGTH} "
            "characters: a sentence or a link."
        },
    )

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


def phases(draft: planning.PlanDraft, items: list[PlanItem], earlier: dict) -> list[dict]:
    """The three phases: each with the focus area that leads it (and what came of last
    cycle's actions on its skill), its actions and progress; a finished phase is folded."""
    leads = {HORIZON_LABELS_BY_PHASE[area.phase]: area for area in draft.focus if area.phase}
    rows = by_horizon(items)
    for row in rows:
        row["lead"] = leads.get(row["days"])
        row["earlier"] = earlier.get(row["lead"].skill, []) if row["lead"] else []
        total, done = row["progress"]["total"], row["progress"]["done"]
        row["finished"] = bool(total) and done == total
    return rows


def manager_moments(plan: Plan) -> list[dict]:
    """The manager at the right moments: a check-in at day 45 and a review at day 90, dated
    from the plan's start, with the manager's name where there is one."""
    start = timezone.localdate(plan.created_at)
    manager = plan.owner.manager.display_name if plan.owner.manager_id else ""
    return [
        {"day": day, "date": start + timedelta(days=day), "kind": kind, "manager": manager}
        for day, kind in ((CHECK_IN_DAY, "check-in"), (REVIEW_DAY, "review"))
    ]


def earlier_evidence(plan: Plan) -> dict[str, list[str]]:
    """Skill → what came of the actions done in the owner's previous plan (a retake shows
    last cycle's evidence beside the skill)."""
    previous = Plan.objects.filter(owner=plan.owner_id, created_at__lt=plan.created_at)
    latest = previous.order_by("-created_at").values_list("pk", flat=True).first()
    if latest is None:
        return {}
    found: dict[str, list[str]] = {}
    rows = PlanItem.objects.filter(plan_id=latest, status=PlanItem.Status.DONE).exclude(evidence="")
    for skill, evidence in rows.values_list("skill_slug", "evidence"):
        found.setdefault(skill, []).append(evidence)
    return found


def focus_rows(draft: planning.PlanDraft) -> list[dict]:
    """Focus areas with the numbers shown exactly as their sentences show them."""
    rows = []
    for area in draft.focus:
        score, gap = plan_words.shown_numbers(area.score, area.expected)
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
        "horizons": phases(draft, items, earlier_evidence(plan) if is_owner else {}),
        "moments": manager_moments(plan),
        "progress": services.plan_progress(items),
        "stretch": stretch_title(plan, roles) if draft.no_gap else None,
        "saved": request.GET.get("saved", ""),  # the action just saved, marked "Saved"
        "statuses": PlanItem.Status.choices,
        "bar_width": charts.BAR_WIDTH,
        "note_max": services.PLAN_NOTE_MAX_LENGTH,
        "evidence_max": services.EVIDENCE_MAX_LENGTH,
    }
    return no_store(render(request, "assessments/plan.html", context))


# --- writes --------------------------------------------------------------------------------


@login_required
@require_POST
def plan_item(request: HttpRequest, pk) -> HttpResponse:
    """The owner only: set one action's status and note. Anyone else: 404."""
    plan = get_object_or_404(Plan.objects.owned_by(request.user), pk=pk)
    if reason := unexpected_post(request, {"action", "status", "note", "evidence"}):
        return bad_request(request, reason)
    codes = list(plan.items.values_list("action_code", flat=True))
    form = PlanItemForm(request.POST, codes=codes)
    if not form.is_valid():
        return bad_request(request, first_error(form))
    # A field the post does not carry (not from our form) is left as it is.
    kept = {name: form.cleaned_data[name] if name in request.POST else None
            for name in ("note", "evidence")}  # fmt: skip
    try:
        item = services.plan_item_update(
            plan=plan,
            action_code=form.cleaned_data["action"],
            status=form.cleaned_data["status"],
            **kept,
        )
    except PlanItem.DoesNotExist:  # the plan was regenerated in another tab meanwhile
        return bad_request(request, "That action is no longer in this plan.")
    if request.headers.get("Accept") == "application/json":  # the page's one-click script
        return JsonResponse(_progress_json(plan, item))
    url = reverse("assessments:plan", args=[plan.pk])
    query = urlencode({"saved": item.action_code})
    return redirect(f"{url}?{query}#item-{item.action_code}")


def _progress_json(plan: Plan, item: PlanItem) -> dict:
    """What the page updates after a one-click change: the item, its phase, the plan."""
    items = list(plan.items.only("horizon", "status"))
    phase = services.plan_progress(i for i in items if i.horizon == item.horizon)
    return {
        "action": item.action_code,
        "status": item.status,
        "status_label": STATUS_LABELS[item.status],
        "phase": {"days": item.horizon, **phase},
        "plan": services.plan_progress(items),
    }


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
