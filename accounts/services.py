"""Reporting lines: who manages whom, read and set in bulk.

A person has at most one manager (``User.manager``). Admins set it one at a time in the admin,
or for many people at once from a CSV file (``manage.py import_org``), which goes through
``reporting_lines_import`` here: the file is checked as a whole and applied in one transaction,
so a file with any problem changes nothing.

Nothing here is cached: access checks read ``User.manager`` from the database on every request,
so a change of manager takes effect on the very next request.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import Session, User

ORG_COLUMNS = ("email", "manager_email")


def direct_reports(manager: User) -> QuerySet[User]:
    """The people who report to ``manager`` now (active accounts only), by name.

    The one access path for a manager's view of a person: scoping to it is the check.
    """
    if not manager.is_authenticated:
        return User.objects.none()
    return User.objects.filter(manager=manager, is_active=True).select_related("current_title")


# --- bulk import ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRow:
    """One data row of an org file. ``line`` is its row number in the file (the header is 1)."""

    line: int
    email: str
    manager_email: str


class OrgFileInvalid(Exception):
    """The file cannot be applied; ``problems`` says why, each naming its row number(s)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


@dataclass
class OrgImportResult:
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # email, before, after
    unchanged: int = 0

    @property
    def summary(self) -> str:
        return f"{len(self.changed)} reporting line(s) changed, {self.unchanged} already as listed."


def org_rows_parse(text: str) -> list[OrgRow]:
    """Read an org CSV (header row ``email,manager_email``; extra columns are ignored).

    Emails are trimmed and compared case-insensitively. Raises OrgFileInvalid when a column is
    missing or a row has no email. Entirely blank lines are skipped.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in ORG_COLUMNS if column not in header]
    if missing:
        raise OrgFileInvalid(
            [
                f"Row 1 (header): missing column(s) {', '.join(missing)}; "
                "expected email,manager_email."
            ]
        )
    reader.fieldnames = header
    rows, problems = [], []
    for record in reader:
        line = reader.line_num
        email = (record.get("email") or "").strip().lower()
        manager_email = (record.get("manager_email") or "").strip().lower()
        if not email:
            problems.append(f"Row {line}: the email cell is empty.")
            continue
        rows.append(OrgRow(line=line, email=email, manager_email=manager_email))
    if problems:
        raise OrgFileInvalid(problems)
    return rows


def org_problems(rows: Iterable[OrgRow], managers: Mapping[str, str | None]) -> list[str]:
    """Everything wrong with applying ``rows`` to the current reporting lines.

    ``managers`` maps every known email to its current manager's email (or None). Pure: no
    database access. Checks unknown emails, people listed twice, self-references and cycles in
    the reporting lines the file would produce (including cycles through people not listed).
    """
    rows = list(rows)
    problems: list[str] = []
    lines_by_email: dict[str, list[int]] = {}
    for row in rows:
        lines_by_email.setdefault(row.email, []).append(row.line)
    for email, lines in lines_by_email.items():
        if len(lines) > 1:
            problems.append(f"Rows {_join(lines)}: {email} is listed more than once.")
    for row in rows:
        if row.email not in managers:
            problems.append(f"Row {row.line}: no account has the email {row.email}.")
        if row.manager_email and row.manager_email not in managers:
            problems.append(
                f"Row {row.line}: no account has the manager email {row.manager_email}."
            )
        if row.manager_email and row.manager_email == row.email:
            problems.append(f"Row {row.line}: {row.email} cannot be their own manager.")
    if problems:
        return problems
    after = dict(managers)
    after.update({row.email: row.manager_email or None for row in rows})
    line_of = {row.email: row.line for row in rows}
    for cycle in _cycles(after):
        lines = sorted(line_of[email] for email in cycle if email in line_of)
        if len(cycle) < 2 or not lines:
            continue  # a self-reference (reported above), or an old loop this file does not touch
        chain = " → ".join([*cycle, cycle[0]])
        where = f"Rows {_join(lines)}" if len(lines) > 1 else f"Row {lines[0]}"
        problems.append(f"{where}: these reporting lines would form a loop ({chain}).")
    return problems


def _cycles(managers: Mapping[str, str | None]) -> list[list[str]]:
    """Each loop in the manager graph once, starting from its alphabetically first member."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[list[str]] = []
    for start in sorted(managers):
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = managers.get(node)
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            first = cycle.index(min(cycle))
            found.append(cycle[first:] + cycle[:first])
        for member in path:
            state[member] = 2
    return found


def _join(lines: Iterable[int]) -> str:
    lines = [str(n) for n in lines]
    return ", ".join(lines[:-1]) + " and " + lines[-1] if len(lines) > 1 else lines[0]


@transaction.atomic
def reporting_lines_import(*, rows: Iterable[OrgRow], dry_run: bool = False) -> OrgImportResult:
    """Set each listed person's manager (an empty manager email clears it), all or nothing.

    Raises OrgFileInvalid (changing nothing) when ``org_problems`` finds anything. With
    ``dry_run`` the checks run and the result is reported, but nothing is saved.
    """
    rows = list(rows)
    # Lock every account: a concurrent import or admin edit could otherwise close a loop that
    # neither change makes on its own.
    people = list(User.objects.select_for_update().only("pk", "email", "manager_id"))
    by_email = {person.email.lower(): person for person in people}
    email_of = {person.pk: person.email.lower() for person in people}
    managers = {
        email: email_of.get(person.manager_id) if person.manager_id else None
        for email, person in by_email.items()
    }
    problems = org_problems(rows, managers)
    if problems:
        raise OrgFileInvalid(problems)
    result = OrgImportResult()
    to_update = []
    for row in rows:
        person = by_email[row.email]
        new_manager = by_email[row.manager_email] if row.manager_email else None
        if person.manager_id == (new_manager.pk if new_manager else None):
            result.unchanged += 1
            continue
        result.changed.append((row.email, managers[row.email] or "", row.manager_email))
        person.manager = new_manager
        to_update.append(person)
    if not dry_run:
        # Moves the former and the new managers' team revisions (UserQuerySet.bulk_update).
        User.objects.bulk_update(to_update, ["manager"])
    return result


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the person and everything of theirs: assessments by and about them, answers,
    plans, sessions, sign-in attempts and admin history about them. People who reported to
    them simply have no manager afterwards.Their assessments and plans go with them (the
    foreign keys cascade)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    user_id = str(user.pk)
    Session.objects.filter(user=user).delete()  # expired ones too (deleting the user would)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=user.email).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=user_id
    ).delete()
    user.delete()
