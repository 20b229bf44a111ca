"""The catalog as the pure core (``scoring``, ``planning``) reads it: plain specs from rows."""

from assessments import planning, scoring
from roles.models import DevelopmentAction, Role, Track
from roles.selectors import Catalog


def title_spec(role: Role, expectations: dict[str, int]) -> scoring.TitleSpec:
    return scoring.TitleSpec(
        slug=role.slug,
        name=role.short_name,
        track=role.track.slug,
        level=role.level,
        strategic=role.expected_strategic,
        leadership=role.expected_leadership,
        expectations=expectations,
    )


def title_specs(catalog: Catalog | None = None) -> tuple[scoring.TitleSpec, ...]:
    """Every title with the levels it expects per skill."""
    catalog = catalog or Catalog()
    expected = catalog.expectations
    return tuple(title_spec(r, expected.get(r.pk, {})) for r in catalog.roles)


def skill_specs(catalog: Catalog | None = None) -> tuple[scoring.SkillSpec, ...]:
    return tuple(
        scoring.SkillSpec(slug=s.slug, name=s.name, group=s.group.slug)
        for s in (catalog or Catalog()).skills
    )


def situation_specs(catalog: Catalog | None = None) -> tuple[scoring.SituationSpec, ...]:
    return tuple(
        scoring.SituationSpec(id=s.code, text=s.text) for s in (catalog or Catalog()).situations
    )


def action_specs(actions: list[DevelopmentAction]) -> list[planning.ActionSpec]:
    return [
        planning.ActionSpec(
            id=a.code,
            skill=a.skill.slug,
            track=a.track.slug if a.track else None,
            horizon=a.horizon,
            title=a.title,
            description=a.description,
            practice=a.practice,
            role_kind=a.role_kind,
            min_level=a.min_level,
            max_level=a.max_level,
            kind=a.kind,
        )
        for a in actions
    ]


def default_target_for(
    current: Role | None, roles: list[Role] | None = None, path: str = ""
) -> Role | None:
    """The next rung on the path the person wants — ``path`` "ic" (deeper craft) or "leader"
    (leading people; also when unsure) — from a current title (no query when the caller
    passes the titles, with their tracks)."""
    roles = roles if roles is not None else Catalog().roles
    specs = [title_spec(r, {}) for r in roles]  # the ladder is all this needs
    kind = Track.Kind.IC if path == Track.Kind.IC else Track.Kind.LEADER
    track = next((r.track.slug for r in roles if r.track.kind == kind), "")
    current_spec = next((t for t in specs if current and t.slug == current.slug), None)
    try:
        spec = planning.default_target(current_spec, specs, track)
    except ValueError:
        return None
    return next(r for r in roles if r.slug == spec.slug)
