"""The catalog's one validator: what stops an import (shape, types, ranges, references and the
simple-structure rules of the axes) and what makes a valid catalog a poor one to score against
(the quality check, in ``roles.quality``). The import, the ``import_catalog`` command and the
admin's catalog check all use it.

Each axis is measured by statements of its own on each of its two poles (format version 2):
a statement feeds one skill and, with a ``pole``, places a person on that pole of one axis.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from roles.models import DevelopmentAction, Practice, Question, Situation, Track

FORMAT = "trajectory-catalog"
VERSION = 2
#: Active statements each pole needs at least.
MIN_STATEMENTS_PER_POLE = 6
#: How many more active statements one pole of an axis may have than the other.
MAX_POLE_IMBALANCE = 1
#: Active statements each skill needs at least (one of them reverse-keyed).
MIN_STATEMENTS_PER_SKILL = 2
#: How many active situations the leadership-style lens wants.
SITUATIONS_RANGE = (6, 8)
#: The levels an action's ``min_level`` and ``max_level`` may take (the ladders' levels).
ACTION_LEVELS = (1, 6)
#: Who can do an action in their current role: anyone, an individual contributor (no reports)
#: or a people leader.
ROLE_KINDS = tuple(DevelopmentAction.RoleKind.values)
ACTION_KINDS = tuple(DevelopmentAction.Kind.values)
#: "no … title sits at levels …", per role_kind.
TITLE_HOLDERS = {"": "", "ic": "individual contributor ", "leader": "people leader "}
#: Skills a move up tends to pull against: the check wants a let-go action for each of these
#: that the catalog has (a habit to hand over, and how).
LET_GO_SKILLS = ("hands-on-execution",)

#: Each axis and its two poles (+ pole, − pole), with the poles in words.
AXES: dict[str, tuple[str, str]] = {
    "strategic": ("strategic", "tactical"),
    "leadership": ("leader", "ic"),
}
POLE_NAMES: dict[str, str] = {
    "strategic": "strategic",
    "tactical": "tactical",
    "leader": "people leader",
    "ic": "individual contributor",
}
POLES = tuple(POLE_NAMES)
STYLES = Situation.STYLES

SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "tracks": {"slug": str, "name": str, "kind": str, "order": int, "summary": str},
    "skill_groups": {"slug": str, "name": str, "order": int, "intro": str},
    "skills": {"slug": str, "name": str, "group": str, "order": int, "description": str},
    "titles": {
        "slug": str,
        "name": str,
        "short_name": str,
        "track": str,
        "level": int,
        "summary": str,
        "contrast": str,
        "expected_strategic": int,
        "expected_leadership": int,
        "responsibilities": list,
        "expectations": dict,
    },
    "questions": {
        "id": str,
        "text": str,
        "skill": str,
        "pole": str,
        "key": int,
        "scale": str,
        "order": int,
        "active": bool,
    },
    "situations": {"id": str, "text": str, "order": int, "active": bool, "options": dict},
    "actions": {
        "id": str,
        "skill": str,
        "track": (str, type(None)),
        "role_kind": str,
        "min_level": int,
        "max_level": int,
        "kind": str,
        "horizon": int,
        "practice": str,
        "title": str,
        "description": str,
    },
}
IDENTITY = {
    "tracks": "slug",
    "skill_groups": "slug",
    "skills": "slug",
    "titles": "slug",
    "questions": "id",
    "situations": "id",
    "actions": "id",
}
#: The model a row of a section is, for a problem's target (model label, natural key).
TARGETS = {
    "skills": "roles.Skill",
    "titles": "roles.Role",
    "questions": "roles.Question",
    "situations": "roles.Situation",
    "actions": "roles.DevelopmentAction",
}
#: How the catalog check groups problems, in this order, with a heading each.
SECTION_HEADINGS = {
    "axes": "Axes and poles",
    "skills": "Skills",
    "questions": "Statements",
    "actions": "Development actions",
    "titles": "Titles",
    "situations": "Situations",
    "tracks": "Tracks",
    "skill_groups": "Skill groups",
    "file": "The file",
}

V1_MESSAGE = (
    "this is a version 1 catalog (skills with axis loadings); Trajectory now reads version 2, "
    "where each pole of each axis is measured by statements of its own. Export a fresh "
    "catalog with `manage.py export_catalog` (or start from the shipped "
    "roles/catalog/catalog.json) and make your edits in that."
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, and where it is: a JSON path such as skills[3].slug, or
    the thing the quality check looked at, such as "skill roadmapping".

    ``section`` groups problems on the check page (a key of ``SECTION_HEADINGS``); ``target``
    names the row to fix as (model label, natural key; an empty key for the model's list),
    when there is one, or, for a pole, the
    statements to look at as ("pole", "strategic") or ("pole", "strategic,tactical");
    ``refuses_import``
    marks the problems that make the import refuse a file; ``url`` is filled in by
    ``roles.services.catalog_check`` (the admin page where the target is fixed)."""

    where: str
    message: str
    section: str = ""
    target: tuple[str, str] | None = None
    refuses_import: bool = False
    url: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    @property
    def heading(self) -> str:
        return SECTION_HEADINGS.get(self.section, SECTION_HEADINGS["file"])


class CatalogInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalog")
        self.problems = problems


def _is_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and expected is not bool:
        return False  # True is an int to Python, never a number to us
    return isinstance(value, expected)


def _row_problem(section: str, row: Any, where: str, message: str) -> Problem:
    """A structural problem in one row of a section, aimed at that row's object if any."""
    ident = row.get(IDENTITY[section]) if isinstance(row, dict) else None
    target = (TARGETS[section], ident) if section in TARGETS and isinstance(ident, str) else None
    return Problem(where, message, section=section, target=target, refuses_import=True)


def validate_structure(data: Any) -> list[Problem]:
    """Every problem in the file's shape, types, ranges and references (each stops an import).

    A version 1 file gets one problem saying so, and nothing else."""
    return structure_problems(data)[0]


def structure_problems(data: Any) -> tuple[list[Problem], bool]:
    """The structural problems, and whether the file is well shaped (every section a list of
    objects with every field of the right type), which is all the quality check needs."""
    if not isinstance(data, dict):
        return [
            Problem("$", "the file must hold a JSON object", "file", refuses_import=True)
        ], False
    if data.get("version") == 1:
        return [Problem("version", V1_MESSAGE, "file", refuses_import=True)], False
    problems: list[Problem] = []
    malformed = False
    if data.get("format") != FORMAT:
        problems.append(Problem("format", f'must be "{FORMAT}"', "file", refuses_import=True))
    if data.get("version") != VERSION:
        problems.append(Problem("version", f"must be {VERSION}", "file", refuses_import=True))
    ids: dict[str, set] = {}
    for section, fields in SECTIONS.items():
        rows = data.get(section)
        ids[section] = set()
        if not isinstance(rows, list):
            problems.append(Problem(section, "must be a list", section, refuses_import=True))
            malformed = True
            continue
        for i, row in enumerate(rows):
            where = f"{section}[{i}]"
            if not isinstance(row, dict):
                problems.append(_row_problem(section, row, where, "must be an object"))
                malformed = True
                continue
            for name, expected in fields.items():
                if name not in row:
                    problems.append(_row_problem(section, row, f"{where}.{name}", "is missing"))
                    malformed = True
                elif not _is_type(row[name], expected):
                    problems.append(
                        _row_problem(section, row, f"{where}.{name}", "has the wrong type")
                    )
                    malformed = True
            for name in sorted(row.keys() - fields.keys()):
                problems.append(
                    _row_problem(section, row, f"{where}.{name}", "is not a known field")
                )
            ident = row.get(IDENTITY[section])
            if isinstance(ident, str):
                at = f"{where}.{IDENTITY[section]}"
                if ident in ids[section]:
                    problems.append(_row_problem(section, row, at, f'duplicate "{ident}"'))
                ids[section].add(ident)
                if not ident or not ident.replace("-", "").replace("_", "").isalnum():
                    problems.append(_row_problem(section, row, at, "must be a slug"))
    if malformed:
        return problems, False  # references and ranges only make sense on a well-shaped file
    problems += _validate_values(data, ids)
    return problems, True


def _validate_values(data: dict, ids: dict[str, set]) -> list[Problem]:
    problems: list[Problem] = []

    def add(section: str, i: int, field_name: str, message: str) -> None:
        row = data[section][i]
        problems.append(_row_problem(section, row, f"{section}[{i}]{field_name}", message))

    kinds = Counter()
    for i, track in enumerate(data["tracks"]):
        kinds[track["kind"]] += 1
        if track["kind"] not in Track.Kind.values:
            add("tracks", i, ".kind", 'must be "ic" or "leader"')
    for kind, n in kinds.items():
        if n > 1:
            problems.append(
                Problem("tracks", f'more than one track of kind "{kind}"', "tracks", None, True)
            )
    for i, skill in enumerate(data["skills"]):
        if skill["group"] not in ids["skill_groups"]:
            add("skills", i, ".group", f'unknown group "{skill["group"]}"')
    levels: set[tuple[str, int]] = set()
    for i, title in enumerate(data["titles"]):
        if title["track"] not in ids["tracks"]:
            add("titles", i, ".track", f'unknown track "{title["track"]}"')
        if (title["track"], title["level"]) in levels:
            add("titles", i, ".level", "two titles share this level on a track")
        levels.add((title["track"], title["level"]))
        if title["level"] < 0:
            add("titles", i, ".level", "must not be negative")
        for axis in ("expected_strategic", "expected_leadership"):
            if not -100 <= title[axis] <= 100:
                add("titles", i, f".{axis}", "must be between -100 and 100")
        for j, text in enumerate(title["responsibilities"]):
            if not isinstance(text, str) or not text.strip():
                add("titles", i, f".responsibilities[{j}]", "must be text")
        for slug, level in title["expectations"].items():
            if slug not in ids["skills"]:
                add("titles", i, f".expectations.{slug}", "unknown skill")
            elif not _is_type(level, int) or not 0 <= level <= 100:
                add("titles", i, f".expectations.{slug}", "must be a whole number 0–100")
    for i, question in enumerate(data["questions"]):
        if question["skill"] not in ids["skills"]:
            add("questions", i, ".skill", f'unknown skill "{question["skill"]}"')
        if question["key"] not in (1, -1):
            add("questions", i, ".key", "must be 1 or -1")
        if question["pole"] and question["pole"] not in POLES:
            add("questions", i, ".pole", 'must be "", "strategic", "tactical", "leader" or "ic"')
        elif question["pole"] and question["key"] == -1:
            add(
                "questions",
                i,
                ".key",
                f'must be 1 on a pole statement (pole "{question["pole"]}"): agreeing with a '
                "pole statement places a person on that pole; to measure the other way, write "
                "a statement for the other pole",
            )
        if question["scale"] not in Question.Scale.values:
            add("questions", i, ".scale", 'must be "agree" or "frequency"')
        if not question["text"].strip():
            add("questions", i, ".text", "must not be empty")
    for i, situation in enumerate(data["situations"]):
        if not situation["text"].strip():
            add("situations", i, ".text", "must not be empty")
        options = situation["options"]
        for style in STYLES:
            if style not in options:
                add("situations", i, f".options.{style}", "is missing")
            elif not isinstance(options[style], str) or not options[style].strip():
                add("situations", i, f".options.{style}", "must be text")
        for name in sorted(options.keys() - set(STYLES)):
            add(
                "situations",
                i,
                f".options.{name}",
                'is not a style (the styles are "direct", "coach", "support" and "delegate")',
            )
    for i, action in enumerate(data["actions"]):
        if action["skill"] not in ids["skills"]:
            add("actions", i, ".skill", f'unknown skill "{action["skill"]}"')
        if action["track"] is not None and action["track"] not in ids["tracks"]:
            add("actions", i, ".track", f'unknown track "{action["track"]}"')
        if action["horizon"] not in (30, 60, 90):
            add("actions", i, ".horizon", "must be 30, 60 or 90")
        if action["practice"] not in Practice.values:
            add("actions", i, ".practice", "unknown practice")
        if action["role_kind"] not in ROLE_KINDS:
            add("actions", i, ".role_kind", 'must be "", "ic" or "leader"')
        low, high = ACTION_LEVELS
        levels_ok = True
        for name in ("min_level", "max_level"):
            if not low <= action[name] <= high:
                add("actions", i, f".{name}", f"must be a level from {low} to {high}")
                levels_ok = False
        if levels_ok and action["min_level"] > action["max_level"]:
            add(
                "actions",
                i,
                ".max_level",
                f"must be at least min_level ({action['min_level']})",
            )
        if action["kind"] not in ACTION_KINDS:
            add("actions", i, ".kind", 'must be "step" or "let-go"')
        elif action["kind"] == "let-go" and action["horizon"] != 30:
            add(
                "actions",
                i,
                ".horizon",
                "must be 30 on a let-go action (a habit is handed over early in a plan)",
            )
    return problems


def pole_counts(data: dict) -> Counter:
    """Active statements per pole."""
    return Counter(q["pole"] for q in data["questions"] if q["active"] and q["pole"] in POLES)


def simple_structure_problems(data: dict) -> list[Problem]:
    """The axes' rules, which the import enforces as well as the check: every pole measured by
    at least ``MIN_STATEMENTS_PER_POLE`` active statements, and the two poles of an axis
    within ``MAX_POLE_IMBALANCE`` statement of each other (agreeing with everything cancels
    out only when the poles are balanced). Expects a structurally valid catalog."""
    problems: list[Problem] = []
    counts = pole_counts(data)
    for axis, (plus, minus) in AXES.items():
        for pole in (plus, minus):
            if counts[pole] < MIN_STATEMENTS_PER_POLE:
                problems.append(
                    Problem(
                        f"pole {pole}",
                        f"the {POLE_NAMES[pole]} pole has {counts[pole]} active statement(s); "
                        f"it needs at least {MIN_STATEMENTS_PER_POLE}",
                        "axes",
                        ("pole", pole),
                        refuses_import=True,
                    )
                )
        if abs(counts[plus] - counts[minus]) > MAX_POLE_IMBALANCE:
            problems.append(
                Problem(
                    f"axis {axis}",
                    f"the {POLE_NAMES[plus]} pole has {counts[plus]} active statement(s) and "
                    f"the {POLE_NAMES[minus]} pole {counts[minus]}; keep them within "
                    f"{MAX_POLE_IMBALANCE} of each other, or someone who agrees with "
                    "everything is pushed towards the larger pole",
                    "axes",
                    ("pole", f"{plus},{minus}"),
                    refuses_import=True,
                )
            )
    return problems


def import_problems(data: Any) -> list[Problem]:
    """Every problem that makes the import refuse a file: the structural ones and, on a
    well-shaped file, the axes' simple-structure rules."""
    problems, well_shaped = structure_problems(data)
    return problems + simple_structure_problems(data) if well_shaped else problems
