"""Catalog import and export (validated by ``roles.validation``).

The JSON format is documented in the README ("The catalog JSON format"). Export is
deterministic, so export → import into an empty database → export gives the same JSON, and
importing the same file twice changes nothing the second time.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.db import transaction
from django.urls import reverse

from roles.models import (
    DevelopmentAction,
    Question,
    Responsibility,
    Role,
    Situation,
    Skill,
    SkillExpectation,
    SkillGroup,
    Track,
)
from roles.quality import catalog_problems
from roles.validation import (
    FORMAT,
    SECTION_HEADINGS,
    VERSION,
    CatalogInvalid,
    Problem,
    import_problems,
    simple_structure_problems,
)

SHIPPED_CATALOG = Path(__file__).resolve().parent / "catalog" / "catalog.json"


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
                "pole": q.pole,
                "key": q.key,
                "scale": q.scale,
                "order": q.order,
                "active": q.active,
            }
            for q in Question.objects.select_related("skill").order_by("order", "code")
        ],
        "situations": [
            {
                "id": s.code,
                "text": s.text,
                "order": s.order,
                "active": s.active,
                "options": s.options(),
            }
            for s in Situation.objects.order_by("order", "code")
        ],
        "actions": [
            {
                "id": a.code,
                "skill": a.skill.slug,
                "track": a.track.slug if a.track else None,
                "role_kind": a.role_kind,
                "min_level": a.min_level,
                "max_level": a.max_level,
                "kind": a.kind,
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

    Rows are matched by slug (questions, situations and actions by id). Nothing absent from
    the file is deleted: retire a statement or a situation by importing it with "active":
    false. Raises CatalogInvalid with every problem when the file is not a valid catalog, or
    breaks the axes' simple-structure rules (``roles.validation.simple_structure_problems``),
    also counting the active statements already in the database that the file leaves out;
    then nothing changes.
    """
    problems = import_problems(data)
    if problems:
        raise CatalogInvalid(problems)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(data, report)
            leftover = simple_structure_problems(catalog_export())
            if leftover:
                # The file alone is fine: statements in the database but not in the file
                # tip the balance. Rolled back with the rest.
                raise CatalogInvalid(
                    [
                        replace(
                            p,
                            where=f"database {p.where}",
                            message=f"{p.message} (counting the active statements in the "
                            'database that the file does not list; list them with "active": '
                            "false to retire them)",
                        )
                        for p in leftover
                    ]
                )
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
                "pole": q["pole"],
                "key": q["key"],
                "scale": q["scale"],
                "order": q["order"],
                "active": q["active"],
            },
            report,
            "questions",
        )
    for s in data["situations"]:
        _upsert(
            Situation,
            {"code": s["id"]},
            {
                "text": s["text"],
                "order": s["order"],
                "active": s["active"],
                **{style: s["options"][style] for style in Situation.STYLES},
            },
            report,
            "situations",
        )
    for a in data["actions"]:
        _upsert(
            DevelopmentAction,
            {"code": a["id"]},
            {
                "skill": skills[a["skill"]],
                "track": tracks[a["track"]] if a["track"] else None,
                "role_kind": a["role_kind"],
                "min_level": a["min_level"],
                "max_level": a["max_level"],
                "kind": a["kind"],
                "horizon": a["horizon"],
                "practice": a["practice"],
                "title": a["title"],
                "description": a["description"],
            },
            report,
            "actions",
        )


#: Where the catalog check sends an admin to fix a problem's target: model label → the field
#: holding the natural key.
NATURAL_KEYS = {
    "roles.Skill": "slug",
    "roles.Role": "slug",
    "roles.Question": "code",
    "roles.Situation": "code",
    "roles.DevelopmentAction": "code",
}


def catalog_check() -> list[Problem]:
    """The catalog check on the live database: what an admin should fix, sorted by section
    (in ``roles.validation.SECTION_HEADINGS`` order), each problem with the URL of the admin
    page where it is fixed when there is one: the change page of its skill, title, statement,
    situation or action, or the active statements of a pole."""
    problems = catalog_problems(catalog_export())
    wanted: dict[str, set[str]] = {}
    for p in problems:
        if p.target and p.target[0] in NATURAL_KEYS:
            wanted.setdefault(p.target[0], set()).add(p.target[1])
    urls: dict[tuple[str, str], str] = {}
    for label, keys in wanted.items():
        model = apps.get_model(label)
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        key_field = NATURAL_KEYS[label]
        rows = model.objects.filter(**{f"{key_field}__in": keys}).values_list(key_field, "pk")
        urls.update({(label, key): reverse(f"{name}_change", args=[pk]) for key, pk in rows})
        urls[(label, "")] = reverse(f"{name}_changelist")
    statements = reverse("admin:roles_question_changelist")
    for p in problems:
        if p.target and p.target[0] == "pole":
            query = urlencode({"active__exact": 1, "pole__in": p.target[1]})
            urls[p.target] = f"{statements}?{query}"
    order = list(SECTION_HEADINGS)
    return sorted(
        (replace(p, url=urls.get(p.target, "")) if p.target else p for p in problems),
        key=lambda p: order.index(p.section) if p.section in order else len(order),
    )
