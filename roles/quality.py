"""The catalog check: what makes a structurally valid catalog a poor one to score against (a
skill without enough statements, a title without an expectation, too few situations, actions
that fit nobody), on top of ``roles.validation``'s rules. The admin's check page and
``import_catalog`` (as warnings) show it.
"""

from typing import Any

from roles.validation import (
    LET_GO_SKILLS,
    MIN_STATEMENTS_PER_SKILL,
    ROLE_KINDS,
    SITUATIONS_RANGE,
    TITLE_HOLDERS,
    Problem,
    simple_structure_problems,
    structure_problems,
)


def quality_problems(data: dict) -> list[Problem]:
    """What makes a valid catalog a poor one to score against (the admin's catalog check):
    the axes' rules first (which the import enforces too), then the warnings. Expects a
    structurally valid catalog."""
    problems = simple_structure_problems(data)
    active = [q for q in data["questions"] if q["active"]]
    with_actions = {a["skill"] for a in data["actions"]}
    steps = [a for a in data["actions"] if a["kind"] == "step"]
    for_ic = {a["skill"] for a in steps if a["role_kind"] in ("", "ic")}
    for_leader = {a["skill"] for a in steps if a["role_kind"] in ("", "leader")}
    let_go = {a["skill"] for a in data["actions"] if a["kind"] == "let-go"}
    for skill in data["skills"]:
        slug = skill["slug"]
        target = ("roles.Skill", slug)
        own = [q for q in active if q["skill"] == slug]
        if len(own) < MIN_STATEMENTS_PER_SKILL:
            problems.append(
                Problem(
                    f"skill {slug}",
                    f"has {len(own)} active statement(s); it needs at least "
                    f"{MIN_STATEMENTS_PER_SKILL}",
                    "skills",
                    target,
                )
            )
        if own and not any(q["key"] == -1 for q in own):
            problems.append(
                Problem(
                    f"skill {slug}",
                    "has no reverse-keyed active statement (key -1), so agreeing with "
                    "everything raises its score",
                    "skills",
                    target,
                )
            )
        if slug not in with_actions:
            problems.append(Problem(f"skill {slug}", "has no development action", "skills", target))
            continue
        for people, role_kind, can_do in (
            ("an individual contributor (no reports)", "ic", for_ic),
            ("a people leader", "leader", for_leader),
        ):
            if slug not in can_do:
                problems.append(
                    Problem(
                        f"skill {slug}",
                        f"has no step {people} can do in their current role (a step with "
                        f'role_kind "" or "{role_kind}")',
                        "actions",
                        target,
                    )
                )
        if slug in LET_GO_SKILLS and slug not in let_go:
            problems.append(
                Problem(
                    f"skill {slug}",
                    "has no let-go action: a move up pulls against this skill, so the plan "
                    "should say how to hand it over",
                    "actions",
                    target,
                )
            )
    kind_of_track = {track["slug"]: track["kind"] for track in data["tracks"]}
    for action in data["actions"]:
        if action["role_kind"] not in ROLE_KINDS:
            continue  # a structural problem already
        levels = {
            title["level"]
            for title in data["titles"]
            if action["role_kind"] in ("", kind_of_track.get(title["track"]))
        }
        if not any(action["min_level"] <= level <= action["max_level"] for level in levels):
            problems.append(
                Problem(
                    f"action {action['id']}",
                    f"fits no one: no {TITLE_HOLDERS[action['role_kind']]}title sits at "
                    f"levels {action['min_level']}–{action['max_level']}",
                    "actions",
                    ("roles.DevelopmentAction", action["id"]),
                )
            )
    for title in data["titles"]:
        missing = [s["slug"] for s in data["skills"] if s["slug"] not in title["expectations"]]
        if missing:
            problems.append(
                Problem(
                    f"title {title['slug']}",
                    "has no expectation for " + ", ".join(missing),
                    "titles",
                    ("roles.Role", title["slug"]),
                )
            )
    low, high = SITUATIONS_RANGE
    n = sum(1 for s in data["situations"] if s["active"])
    if not low <= n <= high:
        problems.append(
            Problem(
                "situations",
                f"there are {n} active situation(s); the leadership-style lens needs "
                f"{low} to {high}",
                "situations",
                ("roles.Situation", ""),
            )
        )
    return problems


def catalog_problems(data: Any) -> list[Problem]:
    """Every problem with a catalog in the JSON format: the structural ones and, on a
    well-shaped file, the quality ones (which include the simple-structure rules)."""
    problems, well_shaped = structure_problems(data)
    return problems + quality_problems(data) if well_shaped else problems
