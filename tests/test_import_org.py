"""Reporting lines in bulk: `manage.py import_org FILE.csv`, all or nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.services import (
    OrgFileInvalid,
    OrgRow,
    org_problems,
    org_rows_parse,
    reporting_lines_import,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(alice, bob, charlie, erin, dave):
    """alice → bob, erin → charlie; bob, charlie and dave have no manager."""
    return {"alice": alice, "bob": bob, "charlie": charlie, "erin": erin, "dave": dave}


def run(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_org", str(path), *args, stdout=out)
    return out.getvalue()


def managers() -> dict[str, str | None]:
    return {
        u.email: (u.manager.email if u.manager else None)
        for u in User.objects.select_related("manager")
    }


def test_it_sets_changes_and_clears_managers(tmp_path, org):
    out = run(
        tmp_path,
        "email,manager_email\n"
        "dave@example.com,bob@example.com\n"
        "erin@example.com,bob@example.com\n"
        "alice@example.com,\n"
        "bob@example.com,charlie@example.com\n",
    )
    assert managers() == {
        "alice@example.com": None,
        "bob@example.com": "charlie@example.com",
        "charlie@example.com": None,
        "dave@example.com": "bob@example.com",
        "erin@example.com": "bob@example.com",
    }
    assert "4 reporting line(s) changed, 0 already as listed." in out
    assert "erin@example.com: charlie@example.com → bob@example.com" in out
    assert "alice@example.com: bob@example.com → (no manager)" in out


def test_emails_match_whatever_their_case_and_spacing(tmp_path, org):
    run(tmp_path, "Email , Manager_Email\n  DAVE@Example.com , Bob@EXAMPLE.com \n")
    org["dave"].refresh_from_db()
    assert org["dave"].manager == org["bob"]


def test_rows_already_as_listed_are_counted_and_left_alone(tmp_path, org):
    out = run(tmp_path, "email,manager_email\nalice@example.com,bob@example.com\n")
    assert "0 reporting line(s) changed, 1 already as listed." in out


def test_extra_columns_blank_lines_and_a_byte_order_mark_are_fine(tmp_path, org):
    run(tmp_path, "\ufeffname,email,manager_email\n\nDave,dave@example.com,bob@example.com\n")
    org["dave"].refresh_from_db()
    assert org["dave"].manager == org["bob"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "email,manager_email\ndave@example.com,bob@example.com\nnobody@example.com,\n",
            "Row 3: no account has the email nobody@example.com.",
        ),
        (
            "email,manager_email\ndave@example.com,ghost@example.com\n",
            "Row 2: no account has the manager email ghost@example.com.",
        ),
        (
            "email,manager_email\ndave@example.com,bob@example.com\n"
            "erin@example.com,\ndave@example.com,charlie@example.com\n",
            "Rows 2 and 4: dave@example.com is listed more than once.",
        ),
        (
            "email,manager_email\ndave@example.com,bob@example.com\nerin@example.com,erin@example.com\n",
            "Row 3: erin@example.com cannot be their own manager.",
        ),
        (
            "email,manager_email\ndave@example.com,bob@example.com\nbob@example.com,dave@example.com\n",
            "Rows 2 and 3: these reporting lines would form a loop "
            "(bob@example.com → dave@example.com → bob@example.com).",
        ),
        (
            # A loop through a line that is already in place: bob → alice → bob.
            "email,manager_email\ndave@example.com,charlie@example.com\nbob@example.com,alice@example.com\n",
            "Row 3: these reporting lines would form a loop "
            "(alice@example.com → bob@example.com → alice@example.com).",
        ),
        (
            "email,boss\ndave@example.com,bob@example.com\n",
            "Row 1 (header): missing column(s) manager_email",
        ),
        ("manager_email\nbob@example.com\n", "Row 1 (header): missing column(s) email"),
        ("", "Row 1 (header): missing column(s) email, manager_email"),
        ("email,manager_email\n,bob@example.com\n", "Row 2: the email cell is empty."),
    ],
)
def test_a_file_with_any_problem_changes_nothing_and_names_the_row(tmp_path, org, text, message):
    before = managers()
    with pytest.raises(CommandError) as error:
        run(tmp_path, text)
    assert "Nothing was changed" in str(error.value)
    assert message in str(error.value)
    assert managers() == before


def test_every_problem_is_reported_at_once(tmp_path, org):
    with pytest.raises(CommandError) as error:
        run(
            tmp_path,
            "email,manager_email\nx@example.com,\ny@example.com,\nbob@example.com,bob@example.com\n",
        )
    text = str(error.value)
    assert "Row 2:" in text and "Row 3:" in text and "Row 4:" in text


def test_a_long_loop_names_every_row_in_it(org):
    rows = [
        OrgRow(2, "alice@example.com", "dave@example.com"),
        OrgRow(3, "dave@example.com", "erin@example.com"),
        OrgRow(4, "erin@example.com", "alice@example.com"),
    ]
    current = dict.fromkeys(("alice@example.com", "dave@example.com", "erin@example.com"))
    (problem,) = org_problems(rows, current)
    assert problem.startswith("Rows 2, 3 and 4: these reporting lines would form a loop")


def test_an_old_loop_the_file_does_not_touch_does_not_block_it():
    current = {"a@x": "b@x", "b@x": "a@x", "c@x": None, "d@x": None}
    assert org_problems([OrgRow(2, "c@x", "d@x")], current) == []


def test_a_dry_run_checks_and_reports_but_saves_nothing(tmp_path, org):
    out = run(tmp_path, "email,manager_email\ndave@example.com,bob@example.com\n", "--dry-run")
    assert "Dry run, nothing saved: 1 reporting line(s) changed" in out
    org["dave"].refresh_from_db()
    assert org["dave"].manager is None


def test_an_unreadable_file_is_a_clear_error(tmp_path, org):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_org", str(tmp_path / "missing.csv"))


def test_the_service_is_all_or_nothing(org):
    rows = org_rows_parse(
        "email,manager_email\ndave@example.com,bob@example.com\nerin@example.com,zed@example.com\n"
    )
    with pytest.raises(OrgFileInvalid) as error:
        reporting_lines_import(rows=rows)
    assert error.value.problems == ["Row 3: no account has the manager email zed@example.com."]
    org["dave"].refresh_from_db()
    assert org["dave"].manager is None


def test_a_large_org_imports_in_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    people = [make_user(f"p{n}@example.com", f"P {n}") for n in range(40)]
    text = "email,manager_email\n" + "".join(
        f"{p.email},{'bob@example.com' if n % 2 else 'charlie@example.com'}\n"
        for n, p in enumerate(people)
    )
    # Lock and read every account, then one bulk update (plus the savepoint around it) and one
    # update of the managers' team revisions.
    with django_assert_max_num_queries(7):
        result = reporting_lines_import(rows=org_rows_parse(text))
    assert len(result.changed) == 40
    assert User.objects.filter(manager=org["bob"]).count() == 21  # 20 + alice
