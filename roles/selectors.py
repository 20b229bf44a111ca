"""Reads of the catalog that several pages share.

The catalog is read from the database by the request that needs it, through the ORM, and kept
for that request only: an admin's edit shows on the next request, on every server, with
nothing to invalidate. ``Catalog`` reads each part the first time it is asked for, so a page
pays only for what it uses.
"""

from functools import cached_property

from roles.models import (
    DevelopmentAction,
    Question,
    Role,
    Situation,
    Skill,
    SkillExpectation,
    SkillGroup,
)


def active_questions():
    """Active questions in questionnaire order, each with its skill and the skill's group."""
    return Question.objects.active().select_related("skill__group").order_by("order", "code")


def active_situations() -> list[Situation]:
    """Active leadership-style situations, in order."""
    return list(Situation.objects.filter(active=True).order_by("order", "code"))


def questionnaire_pages() -> list[SkillGroup]:
    """Questionnaire pages: skill groups with at least one active question, in order."""
    return list(
        SkillGroup.objects.filter(skills__questions__active=True).distinct().order_by("order", "pk")
    )


class Catalog:
    """The catalog as one request reads it; treat what it holds as read-only."""

    @cached_property
    def questions(self) -> list[Question]:
        """Active questions in questionnaire order, with their skills and groups."""
        return list(active_questions())

    @cached_property
    def pages(self) -> list[SkillGroup]:
        """Questionnaire pages: skill groups with at least one active question, in order."""
        groups = {q.skill.group_id: q.skill.group for q in self.questions}
        return sorted(groups.values(), key=lambda g: (g.order, g.pk))

    @cached_property
    def skills(self) -> list[Skill]:
        """Every skill with its group, in (order, slug) order."""
        return list(Skill.objects.select_related("group").order_by("order", "slug"))

    @cached_property
    def roles(self) -> list[Role]:
        """Every title with its track, ladder by ladder, lowest level first."""
        return list(Role.objects.for_ladders())

    @cached_property
    def expectations(self) -> dict[int, dict[str, int]]:
        """Title id → skill slug → the level that title expects."""
        found: dict[int, dict[str, int]] = {}
        rows = SkillExpectation.objects.values_list("role_id", "skill__slug", "level")
        for role_id, slug, level in rows.order_by("skill__order", "skill__slug"):
            found.setdefault(role_id, {})[slug] = level
        return found

    @cached_property
    def actions(self) -> list[DevelopmentAction]:
        """Every development action with its skill and track."""
        return list(DevelopmentAction.objects.select_related("skill", "track"))

    @cached_property
    def situations(self) -> list[Situation]:
        """Active leadership-style situations, in order."""
        return active_situations()

    @cached_property
    def group_names(self) -> dict[str, str]:
        """Skill group slug → name, every group."""
        return dict(SkillGroup.objects.values_list("slug", "name"))
