"""Catalog import, export and quality check.

The JSON format is documented in the README ("The catalog JSON format"). Export is
deterministic, so export → import into an empty database → export gives the same JSON, and
importing the same file twice changes nothing the second time.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from roles.models import (
    DevelopmentAction,
    Practice,
    Question,
    Responsibility,
    Role,
    Skill,
    SkillExpectation,
    SkillGroup,
    Track,
)

FORMAT = "trajectory-catalog"
VERSION = 1
SHIPPED_CATALOG = Path(__file__).resolve().parent / "catalog" / "catalog.json"
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


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        if not self.changed:
            return "No changes: the database already matches the file."
        parts = [f"{n} {kind} created" for kind, n in sorted(self.created.items()) if n]
        parts += [f"{n} {kind} updated" for kind, n in sorted(self.updated.items()) if n]
        return ", ".join(parts) + "."


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


def catalog_export() -> dict:
    """The whole catalog in the JSON format, in a stable order."""
    titles = Role.objects.for_ladders().prefetch_related("responsibilities", "expectations__skill")
    return {
        "format": FORMAT,
        "version": VERSION,
        "tracks": [
            {"slug": t.slug, "name": t.name, "kind": t.kind, "order": t.order, "summary": t.summary}
            for t in Track.objects.order_by("order", "slug")
        ],
        "skill_groups": [
            {"slug": g.slug, "name": g.name, "order": g.order, "intro": g.intro}
            for g in SkillGroup.objects.order_by("order", "slug")
        ],
        "skills": [
            {
                "slug": s.slug,
                "name": s.name,
                "group": s.group.slug,
                "order": s.order,
                "description": s.description,
                "strategic_loading": s.strategic_loading,
                "leadership_loading": s.leadership_loading,
            }
            for s in Skill.objects.select_related("group").order_by("order", "slug")
        ],
        "titles": [
            {
                "slug": r.slug,
                "name": r.name,
                "short_name": r.short_name,
                "track": r.track.slug,
                "level": r.level,
                "summary": r.summary,
                "contrast": r.contrast,
                "expected_strategic": r.expected_strategic,
                "expected_leadership": r.expected_leadership,
                "responsibilities": [x.text for x in r.responsibilities.all()],
                "expectations": {
                    e.skill.slug: e.level
                    for e in sorted(
                        r.expectations.all(), key=lambda e: (e.skill.order, e.skill.slug)
                    )
                },
            }
            for r in titles
        ],
        "questions": [
            {
                "id": q.code,
                "text": q.text,
                "skill": q.skill.slug,
                "key": q.key,
                "order": q.order,
                "active": q.active,
            }
            for q in Question.objects.select_related("skill").order_by("order", "code")
        ],
        "actions": [
            {
                "id": a.code,
                "skill": a.skill.slug,
                "track": a.track.slug if a.track else None,
                "horizon": a.horizon,
                "practice": a.practice,
                "title": a.title,
                "description": a.description,
            }
            for a in DevelopmentAction.objects.select_related("skill", "track").order_by(
                "skill__order", "horizon", "code"
            )
        ],
    }


def _upsert(model, lookup: dict, values: dict, report: ImportReport, kind: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        report.created[kind] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        if hasattr(obj, "version"):
            obj.version += 1  # an admin form opened before this import is now stale
            changed.append("version")
        obj.save(update_fields=changed)
        report.updated[kind] += 1
    return obj


class _DryRun(Exception):
    pass


def catalog_import(*, data: Any, dry_run: bool = False) -> ImportReport:
    """Create or update every catalog row the file describes, all or nothing.

    Rows are matched by slug (questions and actions by id). Nothing absent from the file is
    deleted: retire a question by importing it with "active": false. Raises CatalogInvalid
    with every problem when the file is not a valid catalog; then nothing changes.
    """
    problems = validate_structure(data)
    if problems:
        raise CatalogInvalid(problems)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(data, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _apply(data: dict, report: ImportReport) -> None:
    tracks = {
        t["slug"]: _upsert(
            Track,
            {"slug": t["slug"]},
            {k: t[k] for k in ("name", "kind", "order", "summary")},
            report,
            "tracks",
        )
        for t in data["tracks"]
    }
    groups = {
        g["slug"]: _upsert(
            SkillGroup,
            {"slug": g["slug"]},
            {k: g[k] for k in ("name", "order", "intro")},
            report,
            "skill groups",
        )
        for g in data["skill_groups"]
    }
    skills = {
        s["slug"]: _upsert(
            Skill,
            {"slug": s["slug"]},
            {
                "name": s["name"],
                "group": groups[s["group"]],
                "order": s["order"],
                "description": s["description"],
                "strategic_loading": float(s["strategic_loading"]),
                "leadership_loading": float(s["leadership_loading"]),
            },
            report,
            "skills",
        )
        for s in data["skills"]
    }
    # Levels are unique per track: move titles out of the way first so that a file which
    # swaps two levels imports cleanly.
    incoming = {t["slug"] for t in data["titles"]}
    existing = list(Role.objects.filter(slug__in=incoming))
    for role in existing:
        wanted = next(t for t in data["titles"] if t["slug"] == role.slug)
        if (role.track.slug, role.level) != (wanted["track"], wanted["level"]):
            role.level = 10_000 + role.pk
            role.save(update_fields=["level"])
    for t in data["titles"]:
        role = _upsert(
            Role,
            {"slug": t["slug"]},
            {
                "name": t["name"],
                "short_name": t["short_name"],
                "track": tracks[t["track"]],
                "level": t["level"],
                "summary": t["summary"],
                "contrast": t["contrast"],
                "expected_strategic": t["expected_strategic"],
                "expected_leadership": t["expected_leadership"],
            },
            report,
            "titles",
        )
        current = [r.text for r in role.responsibilities.all()]
        if current != t["responsibilities"]:
            role.responsibilities.all().delete()
            Responsibility.objects.bulk_create(
                Responsibility(role=role, text=text, order=i)
                for i, text in enumerate(t["responsibilities"], start=1)
            )
            report.updated["responsibility lists"] += 1
        for slug, level in t["expectations"].items():
            _upsert(
                SkillExpectation,
                {"role": role, "skill": skills[slug]},
                {"level": level},
                report,
                "expectations",
            )
    for q in data["questions"]:
        _upsert(
            Question,
            {"code": q["id"]},
            {
                "text": q["text"],
                "skill": skills[q["skill"]],
                "key": q["key"],
                "order": q["order"],
                "active": q["active"],
            },
            report,
            "questions",
        )
    for a in data["actions"]:
        _upsert(
            DevelopmentAction,
            {"code": a["id"]},
            {
                "skill": skills[a["skill"]],
                "track": tracks[a["track"]] if a["track"] else None,
                "horizon": a["horizon"],
                "practice": a["practice"],
                "title": a["title"],
                "description": a["description"],
            },
            report,
            "actions",
        )


def catalog_check() -> list[Problem]:
    """The catalog check on the live database: what an admin should fix."""
    return quality_problems(catalog_export())
