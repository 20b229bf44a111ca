"""Plain SQL for the reads and writes on the busiest paths: every questionnaire page and every
submit.

Building a query through the ORM costs several times as long as running it (a draft read by
its id: 1.7 ms to build and run on SQLite, 0.5 ms as written here). These functions give the
same rows the ORM would, and write the same rows (tests/test_reads.py holds them to it on both
databases); the rules they apply are the ones the ORM querysets state, spelled out in their
docstrings.
"""

import json
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from assessments.models import Answer, Assessment, Plan, PlanItem

_ASSESSMENT_COLUMNS = [f.column for f in Assessment._meta.concrete_fields]


def _quoted(*names: str) -> str:
    """The names quoted for the database, comma-separated (worked out once per list)."""
    return _quoted_for(connection.vendor, names)


@cache
def _quoted_for(vendor: str, names: tuple[str, ...]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _assessment_id(pk) -> object:
    """The id as the database stores it (a UUID on PostgreSQL, 32 hex digits on SQLite)."""
    return Assessment._meta.pk.get_db_prep_value(pk, connection)


def draft_of(pk, assessor) -> Assessment | None:
    """The draft ``pk`` if ``assessor`` is its assessor (as
    ``Assessment.objects.filter(pk=pk, assessor=assessor, status=DRAFT).first()``)."""
    sql = (
        f"SELECT {_quoted(*_ASSESSMENT_COLUMNS)} FROM {_quoted(Assessment._meta.db_table)} "  # noqa: S608 (our columns)
        "WHERE id = %s AND assessor_id = %s AND status = %s"
    )
    params = [_assessment_id(pk), assessor.pk, Assessment.Status.DRAFT.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else _assessment_from_row(row)


def _assessment_from_row(row) -> Assessment:
    """An Assessment from a row of its columns, converted as the ORM converts them (a
    RawQuerySet would do the same, at several times the cost for one row)."""
    values = list(row)
    for position, converters, column in _assessment_converters(connection.vendor):
        for converter in converters:
            values[position] = converter(values[position], column, connection)
    return Assessment.from_db(connection.alias, _ASSESSMENT_ATTNAMES, values)


_ASSESSMENT_ATTNAMES = [f.attname for f in Assessment._meta.concrete_fields]


@cache
def _assessment_converters(vendor: str) -> list[tuple[int, list, object]]:
    """Per column that needs it: its position, its converters (the backend's, then the
    field's) and the column expression they take."""
    found = []
    for position, field in enumerate(Assessment._meta.concrete_fields):
        column = field.get_col(Assessment._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if converters:
            found.append((position, converters, column))
    return found


def answer_values(pk) -> dict[str, tuple[int, str]]:
    """Question code → (value, note) of every answer of assessment ``pk``."""
    return {code: (value, note) for code, value, note in _answers(pk, "value", "note")}


class AnswerRow(NamedTuple):
    """What scoring and planning read of an answer (lighter than an Answer instance)."""

    question_code: str
    text: str
    key: int
    skill_slug: str
    value: int


def answer_rows(pk) -> list[AnswerRow]:
    """Every answer of assessment ``pk`` as scoring reads it, in the order answers are kept
    (``Answer.Meta.ordering``: by id)."""
    return [AnswerRow(*row) for row in _answers(pk, *AnswerRow._fields[1:], ordered=True)]


def _answers(pk, *fields: str, ordered: bool = False) -> list[tuple]:
    sql = (
        f"SELECT {_quoted('question_code', *fields)} FROM {_quoted(Answer._meta.db_table)} "  # noqa: S608 (our columns)
        "WHERE assessment_id = %s" + (" ORDER BY id" if ordered else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_assessment_id(pk)])
        return cursor.fetchall()


def carried_from_latest_plan(owner_id) -> dict[str, tuple[str, str]]:
    """Action code → (status, note) of every action in ``owner_id``'s most recent plan (by
    ``created_at``), or nothing when they have none: what a new plan carries over."""
    items, plans = PlanItem._meta.db_table, Plan._meta.db_table
    sql = (
        f"SELECT action_code, status, note FROM {_quoted(items)} WHERE plan_id = ("  # noqa: S608 (our tables)
        f"SELECT id FROM {_quoted(plans)} WHERE owner_id = %s ORDER BY created_at DESC LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner_id])
        return {code: (status, note) for code, status, note in cursor.fetchall()}


def plan_insert(plan: Plan) -> None:
    """Insert a new ``plan`` as ``plan.save()`` would (``created_at`` and ``updated_at`` set
    to now, the instance then marked as saved)."""
    fields = Plan._meta.concrete_fields
    values = [f.get_db_prep_save(f.pre_save(plan, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(_plan_insert_sql(connection.vendor), values)
    plan._state.adding, plan._state.db = False, connection.alias


@cache
def _plan_insert_sql(vendor: str) -> str:
    fields = Plan._meta.concrete_fields
    columns, placeholders = _quoted(*(f.column for f in fields)), ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {_quoted(Plan._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 (our columns)


def plan_items_insert(plan: Plan, items: list[PlanItem]) -> None:
    """Insert a new plan's actions in one statement, as ``PlanItem.objects.bulk_create(items)``
    would (``updated_at`` set to now); their ids are not read back.

    On PostgreSQL the rows travel as one JSON document (``json_to_recordset``): one
    parameter that psycopg encodes at C speed, where a placeholder per value (195 for 15
    actions) had psycopg parse the statement again on every call, and one statement whatever
    the number of actions, so it is prepared once per connection."""
    if not items:
        return
    now = timezone.now()
    plan_id = PlanItem._meta.get_field("plan").get_db_prep_save(plan.pk, connection)
    stamp = connection.ops.adapt_datetimefield_value(now)
    for item in items:
        item.updated_at = now
    attnames = [f.attname for f in _ITEM_VALUES]
    if connection.vendor == "postgresql":
        rows = [{a: getattr(i, a) for a in attnames} for i in items]
        params = [plan_id, stamp, json.dumps(rows)]
    else:
        params = [v for i in items for v in (plan_id, stamp, *(getattr(i, a) for a in attnames))]
    with connection.cursor() as cursor:
        cursor.execute(_plan_items_sql(connection.vendor, len(items)), params)


#: A plan item's columns other than its id, its plan and its time stamp: all plain values.
_ITEM_VALUES = [
    f
    for f in PlanItem._meta.concrete_fields
    if not f.primary_key and f.attname not in ("plan_id", "updated_at")
]


@cache
def _plan_items_sql(vendor: str, count: int) -> str:
    """PostgreSQL: one statement for any ``count``; elsewhere a row of placeholders each."""
    table = _quoted(PlanItem._meta.db_table)
    columns = _quoted("plan_id", "updated_at", *(f.column for f in _ITEM_VALUES))
    if vendor == "postgresql":
        names = [_quoted(f.attname) for f in _ITEM_VALUES]
        record = ", ".join(
            f"{n} {f.db_type(connection)}" for n, f in zip(names, _ITEM_VALUES, strict=True)
        )
        picked = ", ".join(f"r.{n}" for n in names)
        return (
            f"INSERT INTO {table} ({columns}) SELECT %s, %s, {picked} "  # noqa: S608 (our columns)
            f"FROM json_to_recordset(%s::json) AS r({record})"
        )
    row = "(" + ", ".join(["%s"] * (len(_ITEM_VALUES) + 2)) + ")"
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * count)}"  # noqa: S608 (our columns)


def draft_update(pk, fields: dict[str, object], seen) -> int:
    """Write ``fields`` (attribute name → value) to assessment ``pk`` only if it is still a
    draft last changed at ``seen``, as ``Assessment.objects.filter(pk=pk, status=DRAFT,
    updated_at=seen).update(**fields)`` would; the number of rows written (0 or 1)."""
    opts = Assessment._meta
    params = [opts.get_field(n).get_db_prep_save(v, connection) for n, v in fields.items()]
    stamp = opts.get_field("updated_at").get_db_prep_save(seen, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            _draft_update_sql(connection.vendor, tuple(fields)),
            [*params, _assessment_id(pk), Assessment.Status.DRAFT.value, stamp],
        )
        return cursor.rowcount


@cache
def _draft_update_sql(vendor: str, names: tuple[str, ...]) -> str:
    opts = Assessment._meta
    columns = ", ".join(f"{_quoted(opts.get_field(n).column)} = %s" for n in names)
    return (
        f"UPDATE {_quoted(opts.db_table)} SET {columns} "  # noqa: S608 (our columns)
        "WHERE id = %s AND status = %s AND updated_at = %s"
    )
