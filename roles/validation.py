"""The catalog's one validator: what stops an import (shape, types, ranges, references) and
what makes a valid catalog a poor one to score against (the quality check). The import, the
``import_catalog`` command and the admin's catalog check all use it.
"""

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from roles.models import Practice, Track

FORMAT = "trajectory-catalog"
VERSION = 1
MIN_QUESTIONS_PER_POLE = 4

SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "tracks": {"slug": str, "name": str, "kind": str, "order": int, "summary": str},
    "skill_groups": {"slug": str, "name": str, "order": int, "intro": str},
    "skills": {
        "slug": str,
        "name": str,
        "group": str,
        "order": int,
        "description": str,
        "strategic_loading": (int, float),
        "leadership_loading": (int, float),
    },
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
        "key": int,
        "order": int,
        "active": bool,
    },
    "actions": {
        "id": str,
        "skill": str,
        "track": (str, type(None)),
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
    "actions": "id",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, and where it is (a JSON path such as skills[3].slug)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CatalogInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalog")
        self.problems = problems


def _is_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and expected is not bool:
        return False  # True is an int to Python, never a number to us
    return isinstance(value, expected)


def validate_structure(data: Any) -> list[Problem]:
    """Every problem that would stop an import: shape, types, ranges and references."""
    if not isinstance(data, dict):
        return [Problem("$", "the file must hold a JSON object")]
    problems: list[Problem] = []
    malformed = False
    if data.get("format") != FORMAT:
        problems.append(Problem("format", f'must be "{FORMAT}"'))
    if data.get("version") != VERSION:
        problems.append(Problem("version", f"must be {VERSION}"))
    ids: dict[str, set] = {}
    for section, fields in SECTIONS.items():
        rows = data.get(section)
        ids[section] = set()
        if not isinstance(rows, list):
            problems.append(Problem(section, "must be a list"))
            malformed = True
            continue
        for i, row in enumerate(rows):
            where = f"{section}[{i}]"
            if not isinstance(row, dict):
                problems.append(Problem(where, "must be an object"))
                malformed = True
                continue
            for name, expected in fields.items():
                if name not in row:
                    problems.append(Problem(f"{where}.{name}", "is missing"))
                    malformed = True
                elif not _is_type(row[name], expected):
                    problems.append(Problem(f"{where}.{name}", "has the wrong type"))
                    malformed = True
            for name in row.keys() - fields.keys():
                problems.append(Problem(f"{where}.{name}", "is not a known field"))
            ident = row.get(IDENTITY[section])
            if isinstance(ident, str):
                if ident in ids[section]:
                    problems.append(Problem(f"{where}.{IDENTITY[section]}", f'duplicate "{ident}"'))
                ids[section].add(ident)
                if not ident or not ident.replace("-", "").replace("_", "").isalnum():
                    problems.append(Problem(f"{where}.{IDENTITY[section]}", "must be a slug"))
    if malformed:
        return problems  # references and ranges only make sense on a well-shaped file
    problems += _validate_values(data, ids)
    return problems


def _in(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low <= value <= high


def _validate_values(data: dict, ids: dict[str, set]) -> list[Problem]:
    problems: list[Problem] = []
    kinds = Counter()
    for i, track in enumerate(data["tracks"]):
        kinds[track["kind"]] += 1
        if track["kind"] not in Track.Kind.values:
            problems.append(Problem(f"tracks[{i}].kind", 'must be "ic" or "leader"'))
    for kind, n in kinds.items():
        if n > 1:
            problems.append(Problem("tracks", f'more than one track of kind "{kind}"'))
    for i, skill in enumerate(data["skills"]):
        if skill["group"] not in ids["skill_groups"]:
            problems.append(Problem(f"skills[{i}].group", f'unknown group "{skill["group"]}"'))
        for axis in ("strategic_loading", "leadership_loading"):
            if not _in(skill[axis], -1, 1):
                problems.append(Problem(f"skills[{i}].{axis}", "must be between -1 and 1"))
    levels: set[tuple[str, int]] = set()
    for i, title in enumerate(data["titles"]):
        where = f"titles[{i}]"
        if title["track"] not in ids["tracks"]:
            problems.append(Problem(f"{where}.track", f'unknown track "{title["track"]}"'))
        if (title["track"], title["level"]) in levels:
            problems.append(Problem(f"{where}.level", "two titles share this level on a track"))
        levels.add((title["track"], title["level"]))
        if title["level"] < 0:
            problems.append(Problem(f"{where}.level", "must not be negative"))
        for axis in ("expected_strategic", "expected_leadership"):
            if not -100 <= title[axis] <= 100:
                problems.append(Problem(f"{where}.{axis}", "must be between -100 and 100"))
        for j, text in enumerate(title["responsibilities"]):
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(f"{where}.responsibilities[{j}]", "must be text"))
        for slug, level in title["expectations"].items():
            if slug not in ids["skills"]:
                problems.append(Problem(f"{where}.expectations.{slug}", "unknown skill"))
            elif not _is_type(level, int) or not 0 <= level <= 100:
                problems.append(
                    Problem(f"{where}.expectations.{slug}", "must be a whole number 0–100")
                )
    for i, question in enumerate(data["questions"]):
        if question["skill"] not in ids["skills"]:
            problems.append(
                Problem(f"questions[{i}].skill", f'unknown skill "{question["skill"]}"')
            )
        if question["key"] not in (1, -1):
            problems.append(Problem(f"questions[{i}].key", "must be 1 or -1"))
        if not question["text"].strip():
            problems.append(Problem(f"questions[{i}].text", "must not be empty"))
    for i, action in enumerate(data["actions"]):
        if action["skill"] not in ids["skills"]:
            problems.append(Problem(f"actions[{i}].skill", f'unknown skill "{action["skill"]}"'))
        if action["track"] is not None and action["track"] not in ids["tracks"]:
            problems.append(Problem(f"actions[{i}].track", f'unknown track "{action["track"]}"'))
        if action["horizon"] not in (30, 60, 90):
            problems.append(Problem(f"actions[{i}].horizon", "must be 30, 60 or 90"))
        if action["practice"] not in Practice.values:
            problems.append(Problem(f"actions[{i}].practice", "unknown practice"))
    return problems


def quality_problems(data: dict) -> list[Problem]:
    """What makes a valid catalog a poor one to score against (the admin's catalog check)."""
    problems: list[Problem] = []
    skills = {s["slug"]: s for s in data["skills"]}
    active = [q for q in data["questions"] if q["active"] and q["skill"] in skills]
    for axis, (low, high) in {
        "strategic_loading": ("tactical", "strategic"),
        "leadership_loading": ("individual contributor", "people leader"),
    }.items():
        for pole, sign in ((low, -1), (high, 1)):
            n = sum(1 for q in active if skills[q["skill"]][axis] * sign > 0)
            if n < MIN_QUESTIONS_PER_POLE:
                problems.append(
                    Problem(
                        f"axis {axis.removesuffix('_loading')}",
                        f"the {pole} pole has {n} active question(s); it needs at least "
                        f"{MIN_QUESTIONS_PER_POLE}",
                    )
                )
    for slug, skill in skills.items():
        for axis in ("strategic_loading", "leadership_loading"):
            if not _in(skill[axis], -1, 1):
                problems.append(Problem(f"skill {slug}", f"{axis} is outside [-1, 1]"))
        own = [q for q in active if q["skill"] == slug]
        if not own:
            problems.append(Problem(f"skill {slug}", "has no active question"))
        elif not any(q["key"] == -1 for q in own):
            problems.append(Problem(f"skill {slug}", "has no reverse-keyed active question"))
        if not any(a["skill"] == slug for a in data["actions"]):
            problems.append(Problem(f"skill {slug}", "has no development action"))
    for title in data["titles"]:
        missing = sorted(skills.keys() - title["expectations"].keys())
        if missing:
            problems.append(
                Problem(f"title {title['slug']}", "has no expectation for " + ", ".join(missing))
            )
    return problems


def catalog_problems(data: Any) -> list[Problem]:
    """Every problem with a catalog in the JSON format: the structural ones, and, when there
    are none, the quality ones."""
    return validate_structure(data) or quality_problems(data)
