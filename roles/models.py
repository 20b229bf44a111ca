"""The role catalog: tracks, titles, skills, questions and development actions.

Admins edit it; everything a person sees is computed from it. Submitted assessments keep a
snapshot of what they were answered against (see ``assessments.models.Answer``), so editing
or deleting catalog rows never changes a submitted result.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Versioned(models.Model):
    """Optimistic locking for admin edits: every save bumps the version, and a form opened
    on an older version is refused (see roles.admin.VersionedAdmin)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Track(models.Model):
    class Kind(models.TextChoices):
        IC = "ic", "Individual contributor"
        LEADER = "leader", "People leader"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class SkillGroup(models.Model):
    """A page of the questionnaire: a handful of related skills."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    intro = models.TextField(blank=True, help_text="Shown at the top of this questionnaire page.")

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Skill(Versioned):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    group = models.ForeignKey(SkillGroup, on_delete=models.PROTECT, related_name="skills")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class RoleQuerySet(models.QuerySet):
    def for_ladders(self) -> "RoleQuerySet":
        return self.select_related("track").order_by("track__order", "level")


class Role(Versioned):
    """A title on a track, ordered by level (a seniority scale shared by both tracks)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=40)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="roles")
    level = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)
    contrast = models.TextField(
        blank=True, help_text="How this title differs from its peer on the other track."
    )
    expected_strategic = models.SmallIntegerField(
        help_text="Expected position on the tactical (−100) ↔ strategic (+100) axis."
    )
    expected_leadership = models.SmallIntegerField(
        help_text="Expected position on the individual contributor (−100) ↔ people leader "
        "(+100) axis."
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = "title"
        verbose_name_plural = "titles"
        ordering = ["track__order", "level"]
        constraints = [
            models.UniqueConstraint(fields=["track", "level"], name="role_unique_level_per_track"),
            models.CheckConstraint(
                condition=Q(expected_strategic__gte=-100) & Q(expected_strategic__lte=100),
                name="role_expected_strategic_range",
            ),
            models.CheckConstraint(
                condition=Q(expected_leadership__gte=-100) & Q(expected_leadership__lte=100),
                name="role_expected_leadership_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roles:title", args=[self.slug])


class Responsibility(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="responsibilities")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "order", "pk"]
        verbose_name_plural = "responsibilities"

    def __str__(self) -> str:
        return self.text[:60]


class SkillExpectation(models.Model):
    """How strongly a title relies on a skill, 0–100."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="expectations")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="expectations")
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["role", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="expectation_unique_per_skill"),
            models.CheckConstraint(condition=Q(level__lte=100), name="expectation_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.skill} {self.level}"


class QuestionQuerySet(models.QuerySet):
    def active(self) -> "QuestionQuerySet":
        return self.filter(active=True)


class Question(Versioned):
    """A statement answered on a five-point scale. It feeds one skill's score, keyed + (agreeing
    raises the skill) or −; with a pole, it also places a person on that pole of one axis."""

    class Key(models.IntegerChoices):
        POSITIVE = 1, "+ (agreeing raises the skill)"
        REVERSE = -1, "− (agreeing lowers the skill)"

    class Pole(models.TextChoices):
        NONE = "", "— (the skill only)"
        STRATEGIC = "strategic", "Strategic"
        TACTICAL = "tactical", "Tactical"
        LEADER = "leader", "People leader"
        IC = "ic", "Individual contributor"

    class Scale(models.TextChoices):
        AGREE = "agree", "Agreement (strongly disagree … strongly agree)"
        FREQUENCY = "frequency", "Frequency (never … almost always)"

    code = models.SlugField(unique=True, help_text="Stable id used in the JSON catalog.")
    text = models.TextField()
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="questions")
    key = models.SmallIntegerField(choices=Key.choices, default=Key.POSITIVE)
    pole = models.CharField(
        max_length=10,
        choices=Pole.choices,
        blank=True,
        help_text="The one pole of one axis this statement places a person on, if any.",
    )
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.AGREE)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(key__in=[1, -1]), name="question_key_valid"),
            models.CheckConstraint(
                condition=Q(pole__in=["", "strategic", "tactical", "leader", "ic"]),
                name="question_pole_valid",
            ),
            # A pole statement describes doing that pole's work: agreeing places you there.
            models.CheckConstraint(
                condition=Q(pole="") | Q(key=1), name="question_pole_keyed_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Situation(Versioned):
    """A leadership situation for the style lens, with one option per style. The lens
    describes, never grades, and does not move the axes."""

    code = models.SlugField(unique=True, help_text="Stable id used in the JSON catalog.")
    text = models.TextField()
    direct = models.TextField(help_text="Tell them what to do and how; check closely.")
    coach = models.TextField(help_text="Explain why, decide together, still guide closely.")
    support = models.TextField(help_text="Ask, listen, let them decide with your backing.")
    delegate = models.TextField(help_text="Hand it over fully; stay available.")
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    STYLES = ("direct", "coach", "support", "delegate")

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.text[:80]

    def options(self) -> dict[str, str]:
        return {style: getattr(self, style) for style in self.STYLES}


class Practice(models.TextChoices):
    """The transition steps and leadership practices of the source article."""

    NONE = "", "—"
    STRATEGIC_THINKING = "strategic-thinking", "Strategic thinking"
    LEADING_INITIATIVES = "leading-initiatives", "Leading initiatives"
    EXECUTIVE_RELATIONSHIPS = "executive-relationships", "Relationships with senior executives"
    MENTORING = "mentoring", "Mentoring"
    EMPOWERMENT_VS_COMMAND = "empowerment-vs-command", "Balancing empowerment and command"
    INFLUENCE_OVER_AUTHORITY = "influence-over-authority", "Influence over authority"
    VISION_AND_PRINCIPLES = "vision-and-principles", "Vision and principles"
    ROADMAPS_BUSINESS_GOALS = "roadmaps-business-goals", "Roadmaps tied to business goals"
    REGULAR_CHECK_INS = "regular-check-ins", "Regular check-ins"


class DevelopmentAction(Versioned):
    """One thing a person can do in a 30/60/90-day plan, and who it fits: the kind of role
    they hold now (``role_kind``), their current level (``min_level``..``max_level``) and the
    ladder they are heading for (``track``). A "let-go" action is a habit to hand over, with a
    concrete way to do it; it belongs early in a plan."""

    class Horizon(models.IntegerChoices):
        DAYS_30 = 30, "First 30 days"
        DAYS_60 = 60, "Days 31–60"
        DAYS_90 = 90, "Days 61–90"

    class RoleKind(models.TextChoices):
        ANYONE = "", "Anyone"
        IC = "ic", "Individual contributor (no reports)"
        LEADER = "leader", "People leader (manages people)"

    class Kind(models.TextChoices):
        STEP = "step", "Step (something to do)"
        LET_GO = "let-go", "Let go (a habit to hand over)"

    code = models.SlugField(unique=True, help_text="Stable id used in the JSON catalog and plans.")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="actions")
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The ladder the person is heading for; leave empty when the step suits either.",
    )
    role_kind = models.CharField(
        "who can do it",
        max_length=10,
        choices=RoleKind.choices,
        blank=True,
        default="",
        help_text="In the person's current role: anyone, someone without reports, or someone "
        "who manages people.",
    )
    min_level = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text="The lowest current level (1–6) the action suits.",
    )
    max_level = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text="The highest current level (1–6) the action suits.",
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.STEP,
        help_text="A let-go action hands a habit over, says how in its description, and sits "
        "in the first 30 days.",
    )
    horizon = models.PositiveSmallIntegerField(choices=Horizon.choices)
    practice = models.CharField(max_length=40, choices=Practice.choices, blank=True)
    title = models.CharField(max_length=120)
    description = models.TextField()

    class Meta:
        ordering = ["skill__order", "horizon", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(horizon__in=[30, 60, 90]), name="action_horizon"),
            models.CheckConstraint(
                condition=Q(role_kind__in=["", "ic", "leader"]), name="action_role_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_level__gte=1)
                & Q(max_level__lte=6)
                & Q(min_level__lte=models.F("max_level")),
                name="action_level_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["step", "let-go"]), name="action_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="step") | Q(horizon=30), name="action_let_go_early"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.min_level is not None
            and self.max_level is not None
            and self.min_level > self.max_level
        ):
            errors["max_level"] = "Must be at least the lowest level."
        if self.kind == self.Kind.LET_GO and self.horizon not in (None, 30):
            errors["horizon"] = "A let-go action belongs in the first 30 days: hand it over early."
        if errors:
            raise ValidationError(errors)
