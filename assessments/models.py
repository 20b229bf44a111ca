"""Everything a person answers and gets back: assessments, answers, plans.

A submitted assessment is self-contained: its answers keep the wording, keying and skill of
the question they answered, and its scores are stored at submission (``result``). Catalog
edits after that never change it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from assessments.reading import PLACEMENT_LABELS
from assessments.scoring import QUADRANT_LABELS
from roles.models import DevelopmentAction, Question, Role

VIEW_ALL = "assessments.view_all_results"


def can_view_all(user) -> bool:
    """Staff holding ``assessments.view_all_results`` read every result and plan (read-only).

    Only staff: checking ``is_staff`` first also spares everyone else the two permission
    queries ``has_perm`` runs."""
    return user.is_authenticated and user.is_staff and user.has_perm(VIEW_ALL)


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssessmentQuerySet":
        """The one access path for reading assessments (the README's "Who sees what").

        Own self-assessments in any state; a direct report's submitted self-assessment when
        they shared it; a manager assessment to the manager who writes it (while they still
        manage that person) and to its subject once submitted; everything for staff holding
        ``assessments.view_all_results``. ``Assessment.is_visible_to`` is the same rule for
        one assessment in hand (a test holds the two to each other).
        """
        if not user.is_authenticated:
            return self.none()
        if can_view_all(user):
            return self.all()
        SELF, MANAGER = Assessment.Kind.SELF, Assessment.Kind.MANAGER
        SUBMITTED = Assessment.Status.SUBMITTED
        return self.filter(
            Q(kind=SELF, subject=user)
            | Q(kind=SELF, subject__manager=user, status=SUBMITTED, shared_with_manager=True)
            | Q(kind=MANAGER, assessor=user, subject__manager=user)
            | Q(kind=MANAGER, subject=user, status=SUBMITTED)
        )

    def editable_by(self, user) -> "AssessmentQuerySet":
        """Drafts this person may answer: their own, or one about a current direct report.
        (``Assessment.is_editable_by`` is the same rule for one assessment in hand.)"""
        if not user.is_authenticated:
            return self.none()
        return self.filter(status=Assessment.Status.DRAFT, assessor=user).filter(
            Q(kind=Assessment.Kind.SELF, subject=user)
            | Q(kind=Assessment.Kind.MANAGER, subject__manager=user)
        )

    def submitted(self) -> "AssessmentQuerySet":
        return self.filter(status=Assessment.Status.SUBMITTED)

    def for_results(self) -> "AssessmentQuerySet":
        return self.select_related(
            "subject", "assessor", "current_title", "target_title", "closest_title"
        )


class Assessment(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", "Self-assessment"
        MANAGER = "manager", "Manager assessment"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the (subject, kind, status, -submitted_at) index below, which starts with it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessments",
        db_index=False,
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments_written"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SELF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The titles are never searched by: no index (a submit rewrites this row, and each index
    # is one more write; deleting a title scans the table once, in the admin).
    current_title = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    target_title = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    shared_with_manager = models.BooleanField(
        default=True, help_text="The person's manager may see this submitted result."
    )

    class Aspiration(models.TextChoices):
        UNSURE = "", "Not sure yet"
        IC = "ic", "Deeper craft (individual contributor)"
        LEADER = "leader", "Leading people"

    aspiration = models.CharField(
        max_length=10,
        choices=Aspiration.choices,
        blank=True,
        help_text="The path the person wants next; the default target is its next rung.",
    )
    #: A typical week's split, kind of work → percent (assessments.scoring.TIME_KINDS).
    time_allocation = models.JSONField(null=True, blank=True)
    #: The style chosen per leadership situation: code → {"style", "text", "option"}, with
    #: the wording as answered (a catalog edit never changes a submitted result).
    style_choices = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # Computed once, at submission, and never again.
    strategic = models.FloatField(null=True, blank=True)
    leadership = models.FloatField(null=True, blank=True)
    # Both axes placed: "strategic-ic" and the like; otherwise "" (a balanced axis has none).
    quadrant = models.CharField(max_length=20, blank=True)
    # The reading in one key, a balanced axis included (assessments.reading.PLACEMENTS); ""
    # for results of the first instrument, which stored only a quadrant.
    placement = models.CharField(max_length=24, blank=True)
    confidence = models.CharField(max_length=10, blank=True)
    closest_title = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    closest_title_name = models.CharField(max_length=120, blank=True)
    current_title_name = models.CharField(max_length=120, blank=True)
    target_title_name = models.CharField(max_length=120, blank=True)
    result = models.JSONField(null=True, blank=True, editable=False)
    # The subject's latest shared, submitted self-assessment (at most one per person), so the
    # team page joins each report to one row instead of searching their history. Kept by
    # assessments.latest.latest_shared_refresh wherever that can change.
    is_latest_shared = models.BooleanField(default=False, editable=False)
    # A small copy of the per-skill scores in ``result`` ([slug, name, score] per skill), made
    # when the result is first marked (assessments.latest): the team heatmap reads fifty of
    # these instead of fifty whole stored results. Results never change, so neither does it.
    skill_scores = models.JSONField(null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        permissions = [("view_all_results", "Can see every person's results (read-only)")]
        indexes = [
            models.Index(fields=["subject", "kind", "status", "-submitted_at"]),
            # The team page reads everything it counts, filters and sorts by from the marked
            # rows here, never from the table (whose rows carry the large stored result).
            models.Index(
                fields=[
                    "subject",
                    "is_latest_shared",
                    "quadrant",
                    "strategic",
                    "leadership",
                    "submitted_at",
                    "id",
                ],
                condition=Q(is_latest_shared=True),
                name="latest_shared_team_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "assessor"],
                condition=Q(status="draft"),
                name="one_draft_per_assessor_and_subject",
            ),
            # One marked result per person. (The marker is in the key too, so that a lookup by
            # subject alone is not a one-row match here and SQLite's planner takes
            # latest_shared_team_idx, which holds every column the team page reads.)
            models.UniqueConstraint(
                fields=["subject", "is_latest_shared"],
                condition=Q(is_latest_shared=True),
                name="one_latest_shared_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(is_latest_shared=False)
                | Q(
                    kind="self",
                    status="submitted",
                    shared_with_manager=True,
                    skill_scores__isnull=False,
                ),
                name="latest_shared_is_a_shared_self_assessment",
            ),
            models.CheckConstraint(
                condition=(Q(kind="self") & Q(subject=F("assessor")))
                | (Q(kind="manager") & ~Q(subject=F("assessor"))),
                name="assessment_kind_matches_assessor",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_assessment_has_date",
            ),
            models.CheckConstraint(
                condition=Q(strategic__isnull=True)
                | (Q(strategic__gte=-100) & Q(strategic__lte=100)),
                name="assessment_strategic_range",
            ),
            models.CheckConstraint(
                condition=Q(leadership__isnull=True)
                | (Q(leadership__gte=-100) & Q(leadership__lte=100)),
                name="assessment_leadership_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.subject} ({self.get_status_display()})"

    @property
    def quadrant_label(self) -> str:
        """The reading in a few words: a quadrant, or "balanced" on an axis where the answers
        do not support a side ("" when not placed)."""
        if self.placement:
            return PLACEMENT_LABELS.get(self.placement, "")
        if self.quadrant and 0 in (self.strategic, self.leadership):
            return PLACEMENT_LABELS["balanced"]  # the first instrument's mislabelled centre
        return QUADRANT_LABELS.get(self.quadrant, "")

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_self(self) -> bool:
        return self.kind == self.Kind.SELF

    def is_visible_to(self, user) -> bool:
        """``AssessmentQuerySet.visible_to`` for one assessment (with its subject loaded)."""
        if not user.is_authenticated:
            return False
        if can_view_all(user):
            return True
        submitted = self.status == self.Status.SUBMITTED
        if self.kind == self.Kind.SELF:
            if self.subject_id == user.pk:
                return True
            return submitted and self.shared_with_manager and self.subject.manager_id == user.pk
        if self.kind == self.Kind.MANAGER:
            if self.assessor_id == user.pk and self.subject.manager_id == user.pk:
                return True
            return submitted and self.subject_id == user.pk
        return False

    def is_editable_by(self, user) -> bool:
        """``AssessmentQuerySet.editable_by`` for one assessment (with its subject loaded):
        a draft this person writes, about themselves or a current direct report."""
        if not user.is_authenticated or self.status != self.Status.DRAFT:
            return False
        if self.assessor_id != user.pk:
            return False
        if self.kind == self.Kind.SELF:
            return self.subject_id == user.pk
        return self.kind == self.Kind.MANAGER and self.subject.manager_id == user.pk


class Answer(models.Model):
    """One answer; it keeps the question's wording and keying as they were when answered."""

    # Answers are looked up by assessment (and code): the one_answer_per_question index serves
    # both, so neither column has an index of its own (every save of a page writes answers).
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    question_code = models.SlugField(db_index=False)
    text = models.TextField()
    key = models.SmallIntegerField()
    pole = models.CharField(max_length=10, blank=True)
    skill_slug = models.SlugField(db_index=False)
    skill_name = models.CharField(max_length=80)
    value = models.PositiveSmallIntegerField()
    note = models.TextField(
        blank=True, max_length=2000, help_text="Evidence for this answer (manager assessments)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_code"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="answer_value_1_to_5"
            ),
            models.CheckConstraint(condition=Q(key__in=[1, -1]), name="answer_key_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.question_code}: {self.value}"


class PlanQuerySet(models.QuerySet):
    def owned_by(self, user) -> "PlanQuerySet":
        """Plans a person may work on: their own. Staff read through the admin."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def progress_visible_to(self, user) -> "PlanQuerySet":
        """Plans whose progress (not content) this person may see: their own, a direct
        report's when that result is shared, every plan for staff with the permission."""
        if not user.is_authenticated:
            return self.none()
        if can_view_all(user):
            return self.all()
        return self.filter(
            Q(owner=user) | Q(owner__manager=user, assessment__shared_with_manager=True)
        )


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="plan")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    target_title = models.ForeignKey(  # never searched by: no index, as on Assessment
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    target_name = models.CharField(max_length=120)
    target_reason = models.TextField(blank=True)
    # planning.PlanDraft.to_dict(actions=False): the actions are the plan's items
    content = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Plan towards {self.target_name} for {self.owner}"


class PlanItem(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        DOING = "doing", "Doing"
        DONE = "done", "Done"

    # Items are looked up by plan (and code): the plan_item_unique index serves both, so
    # neither column has an index of its own (every submit writes a plan's items).
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items", db_index=False)
    action = models.ForeignKey(
        DevelopmentAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_code = models.SlugField(db_index=False)
    skill_slug = models.SlugField(db_index=False)
    skill_name = models.CharField(max_length=80)
    horizon = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    description = models.TextField()
    why = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TODO)
    note = models.TextField(blank=True, max_length=2000)
    # What came of a done action: a sentence or a link (shown to a manager the plan is shared
    # with, carried into the next plan beside its skill).
    evidence = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["horizon", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "action_code"], name="plan_item_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["todo", "doing", "done"]), name="plan_item_status"
            ),
            models.CheckConstraint(condition=Q(horizon__in=[30, 60, 90]), name="plan_item_horizon"),
        ]

    def __str__(self) -> str:
        return self.title
