"""The catalog as each app server keeps it between requests.

Reading the catalog costs half a dozen queries and is needed by nearly every page of the
questionnaire, by every submit and by the plan. It changes only when an admin edits it, so each
process keeps one copy, loaded under the token of ``roles.models.CatalogRevision``. Every
catalog write (a save or delete through the admin or ``import_catalog``, a queryset update, a
bulk insert) stores a new random token in the same transaction; a request asks for the token
(one primary-key read) and reloads the copy when it differs. So an edit shows on every server
from the next request on, and a rolled-back edit leaves the old token in place, which no copy
was loaded under since. Without a revision row (a database just flushed) nothing is cached.

The copy holds model instances with their relations loaded; treat them as read-only.
"""

import threading
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch

from roles.models import (
    CatalogRevision,
    DevelopmentAction,
    Question,
    Responsibility,
    Role,
    Skill,
    SkillExpectation,
    SkillGroup,
)

_TABLE = CatalogRevision._meta.db_table
#: The token's read, for a query that brings it along with other things (accounts.sessions).
TOKEN_SQL = f"SELECT token FROM {_TABLE} WHERE id = 1"  # noqa: S608 (our table)
_lock = threading.Lock()
_copy: "Catalog | None" = None
_UNSEEN = object()
#: The token as this request already read it (with its session), or _UNSEEN.
_seen: ContextVar = ContextVar("catalog_token_seen", default=_UNSEEN)


@dataclass
class Catalog:
    token: str | None
    #: Active questions in questionnaire order, each with its skill and the skill's group.
    questions: list[Question]
    #: Questionnaire pages: skill groups with at least one active question, in order.
    pages: list[SkillGroup]
    #: Active questions per page (skill group id).
    by_group: dict[int, list[Question]]
    #: Every skill with its group, in (order, slug) order.
    skills: list[Skill]
    #: Every title for the ladders, with its track, expectations (and their skills) and
    #: responsibilities.
    roles: list[Role]
    #: Every development action with its skill and track.
    actions: list[DevelopmentAction]
    #: Skill group slug → name, every group.
    group_names: dict[str, str]
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def derived(self, name: str, build: Callable[["Catalog"], Any]) -> Any:
        """A value computed from this copy once (plain-data specs for scoring and planning)."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    @classmethod
    def load(cls, token: str | None) -> "Catalog":
        questions = list(
            Question.objects.filter(active=True)
            .select_related("skill__group")
            .order_by("order", "code")
        )
        by_group: dict[int, list[Question]] = {}
        groups: dict[int, SkillGroup] = {}
        for q in questions:
            by_group.setdefault(q.skill.group_id, []).append(q)
            groups.setdefault(q.skill.group_id, q.skill.group)
        pages = sorted(groups.values(), key=lambda g: (g.order, g.pk))
        expectations = SkillExpectation.objects.select_related("skill")
        roles = list(
            Role.objects.for_ladders().prefetch_related(
                Prefetch("expectations", queryset=expectations),
                Prefetch(
                    "responsibilities", queryset=Responsibility.objects.order_by("order", "pk")
                ),
            )
        )
        return cls(
            token=token,
            questions=questions,
            pages=pages,
            by_group=by_group,
            skills=list(Skill.objects.select_related("group").order_by("order", "slug")),
            roles=roles,
            actions=list(DevelopmentAction.objects.select_related("skill", "track")),
            group_names=dict(SkillGroup.objects.values_list("slug", "name")),
        )


def token() -> str | None:
    """The current revision token, as this request already read it, or else as this
    connection sees it now (one primary-key read)."""
    seen = _seen.get()
    if seen is not _UNSEEN:
        return seen
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def seen(now: str | None) -> None:
    """This request read the token (with its session): catalog reads in it need not again."""
    _seen.set(now)


def forget(**kwargs) -> None:
    """At the start and end of every request, and after a catalog write: read it afresh."""
    _seen.set(_UNSEEN)


def current() -> Catalog:
    """This process's copy of the catalog, reloaded when the catalog changed."""
    global _copy
    now = token()
    copy = _copy
    if copy is not None and now is not None and copy.token == now:
        return copy
    copy = Catalog.load(now)
    if now is not None:
        with _lock:
            _copy = copy
    return copy


def changed() -> None:
    """The catalog was written: a new token (in the writer's transaction), and this process
    drops its copy at once."""
    global _copy
    new = uuid.uuid4().hex
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_TABLE} SET token = %s WHERE id = 1", [new])  # noqa: S608
        missing = cursor.rowcount == 0
    if missing:
        CatalogRevision.objects.bulk_create(
            [CatalogRevision(pk=1, token=new)], ignore_conflicts=True
        )
    forget()
    with _lock:
        _copy = None
