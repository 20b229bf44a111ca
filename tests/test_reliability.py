"""Nothing a person entered is lost or duplicated, whatever goes wrong."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment, Plan, PlanItem
from roles.models import Situation, SkillGroup
from roles.selectors import active_situations
from tests import factories
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def run_threads(target, count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def wrapped(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


# --- races --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_final_submit_sent_twice_at_once_gives_one_result_and_one_plan(catalog):
    alice = make_user("alice@example.com", "Alice Product")
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    url = reverse("assessments:review", args=[draft.pk])
    responses = []

    def submit(_):
        client = Client()
        client.force_login(alice)
        responses.append(client.post(url, {"shared_with_manager": "on"}))

    assert run_threads(submit, 2) == []
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("assessments:result", args=[draft.pk])}
    assert Assessment.objects.filter(subject=alice, status="submitted").count() == 1
    assert Plan.objects.filter(owner=alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_lose_nothing_and_never_see_a_locked_database(catalog):
    people = [make_user(f"writer{i}@example.com", f"Writer {i}") for i in range(8)]
    drafts = [factories.draft_for(person) for person in people]
    questions = list(services.active_questions().values_list("code", flat=True))
    situations = [s.code for s in active_situations()]
    assert len(questions) > 50 and situations

    def write(i):
        for n, code in enumerate(questions[:50]):
            services.answers_save(assessment=drafts[i], values={code: 1 + (i + n) % 5})
        services.answers_save(assessment=drafts[i], values=dict.fromkeys(questions[50:], 3))
        services.week_save(assessment=drafts[i], split=factories.EVEN_WEEK)
        styles = {code: Situation.STYLES[(i + n) % 4] for n, code in enumerate(situations)}
        services.styles_save(assessment=drafts[i], choices=styles)
        services.assessment_submit(assessment=drafts[i])

    errors = run_threads(write, 8)
    assert errors == [], errors[:1]
    assert Answer.objects.count() == 8 * len(questions)
    assert Assessment.objects.filter(status="submitted").count() == 8
    assert Plan.objects.count() == 8
    for i, draft in enumerate(drafts):
        assert (
            Answer.objects.get(assessment=draft, question_code=questions[7]).value
            == 1 + (i + 7) % 5
        )
        draft.refresh_from_db()
        assert draft.time_allocation == factories.EVEN_WEEK
        chosen = {code: c["style"] for code, c in draft.style_choices.items()}
        assert chosen == {code: Situation.STYLES[(i + n) % 4] for n, code in enumerate(situations)}


# --- a crash in the middle of a write ---------------------------------------------------


@pytest.mark.django_db
def test_a_crash_while_creating_the_plan_saves_nothing_and_asks_to_try_again(
    alice, catalog, monkeypatch
):
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    client = Client()
    client.force_login(alice)
    url = reverse("assessments:review", args=[draft.pk])

    def broken(*args, **kwargs):
        raise RuntimeError("writing the plan's actions failed")

    # The last write of a submit: the result and the plan rows are already written by then.
    monkeypatch.setattr(PlanItem.objects, "bulk_create", broken)
    response = client.post(url, {"shared_with_manager": "on"})
    assert response.status_code == 500
    assert "we could not submit just now, so nothing was changed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.result is None and draft.strategic is None
    assert draft.quadrant == "" and draft.placement == ""
    assert Answer.objects.filter(assessment=draft).count() == services.active_questions().count()
    assert draft.time_allocation == factories.EVEN_WEEK
    assert set(draft.style_choices) == {s.code for s in active_situations()}
    assert not Plan.objects.exists()

    monkeypatch.undo()
    retry = client.post(url, {"shared_with_manager": "on"})
    assert retry.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted" and Plan.objects.filter(assessment=draft).exists()


# --- the database goes away -----------------------------------------------------------


class Outage:
    """Every query fails with a connection error until .end() (what a dropped server does),
    from the start or from the first query whose SQL contains `starting_at`."""

    def __init__(self, monkeypatch, starting_at: str = "") -> None:
        self.monkeypatch = monkeypatch
        self.down = not starting_at
        self.starting_at = starting_at
        original_execute = CursorWrapper.execute
        original_many = CursorWrapper.executemany

        def failing(original):
            def execute(cursor, sql, *args, **kwargs):
                if self.starting_at and self.starting_at in str(sql):
                    self.down = True
                if self.down:
                    raise OperationalError("could not connect to server: Connection refused")
                return original(cursor, sql, *args, **kwargs)

            return execute

        monkeypatch.setattr(CursorWrapper, "execute", failing(original_execute))
        monkeypatch.setattr(CursorWrapper, "executemany", failing(original_many))

    def end(self) -> None:
        self.monkeypatch.undo()


@pytest.mark.django_db
def test_pages_answer_a_friendly_503_during_an_outage_and_recover_by_themselves(
    alice, catalog, monkeypatch
):
    done = factories.submitted(alice)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    outage = Outage(monkeypatch)
    for url in (reverse("home"), reverse("assessments:result", args=[done.pk])):
        response = client.get(url)
        assert response.status_code == 503, url
        html = response.content.decode()
        assert "Trajectory is taking a short break" in html and "Skip to content" in html
        assert "Traceback" not in html and "OperationalError" not in html
        assert response["Retry-After"] == "30"
    outage.end()
    assert client.get(reverse("assessments:result", args=[done.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_answers_posted_when_the_database_drops_mid_request_are_not_half_saved(
    catalog, monkeypatch
):
    alice = make_user("alice@example.com", "Alice Product")
    draft = factories.draft_for(alice)
    group = SkillGroup.objects.order_by("order").first()
    questions = list(services.active_questions().filter(skill__group=group))
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    url = reverse("assessments:page", args=[draft.pk, 1])
    client.get(url)
    # Let the request get as far as writing the answers, then lose the database.
    outage = Outage(monkeypatch, starting_at='INSERT INTO "assessments_answer"')
    response = client.post(url, {f"q-{q.code}": "4" for q in questions} | {"action": "next"})
    outage.end()
    assert response.status_code == 503
    assert not Answer.objects.filter(assessment=draft).exists()
    retry = client.post(url, {f"q-{q.code}": "4" for q in questions} | {"action": "next"})
    assert retry.status_code == 302
    assert Answer.objects.filter(assessment=draft).count() == len(questions)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="kills a real PostgreSQL connection; the SQLite run covers outages with the test above",
)
def test_a_killed_postgres_connection_gives_a_503_then_the_next_request_reconnects(catalog):
    alice = make_user("alice@example.com", "Alice Product")
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    assert client.get(reverse("account")).status_code == 200
    pid = connection.connection.info.backend_pid if connection.connection else None
    if pid is None:
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert client.get(reverse("account")).status_code == 503
    # Between requests Django closes a connection that errored (request_finished runs
    # close_old_connections; the test client switches that hook off, so call it here).
    close_old_connections()
    assert client.get(reverse("account")).status_code == 200


# --- oversized and malformed requests --------------------------------------------------


@pytest.fixture
def answering(alice, catalog):
    draft = factories.draft_for(alice)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    client.get(reverse("assessments:page", args=[draft.pk, 1]))
    return client, draft, reverse("assessments:page", args=[draft.pk, 1])


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_refused(answering, settings):
    client, draft, url = answering
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(url, {"q-backlog-delivery-1": "4", "note": "x" * 20_000})
    assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()


@pytest.mark.django_db
def test_a_truncated_multipart_post_is_refused(answering):
    client, draft, url = answering
    body = (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="q-backlog-delivery-1"\r\n\r\n4'
        b'\r\n--BOUNDARY\r\nContent-Disposition: form-data; name="q-backlog-del'
    )
    response = client.generic(
        "POST", url, body, content_type="multipart/form-data; boundary=BOUNDARY"
    )
    assert 400 <= response.status_code < 500
    assert not Answer.objects.filter(assessment=draft).exists()


@pytest.mark.django_db
def test_non_utf8_bytes_are_refused(answering):
    client, draft, url = answering
    response = client.generic(
        "POST",
        url,
        b"q-backlog-delivery-1=\xff\xfe4&action=\xc3\x28next",
        content_type="application/x-www-form-urlencoded",
    )
    assert 400 <= response.status_code < 500
    assert not Answer.objects.filter(assessment=draft).exists()


@pytest.mark.django_db
def test_a_post_with_ten_thousand_fields_is_refused(answering):
    client, draft, url = answering
    body = "&".join(f"f{i}=1" for i in range(10_000)) + "&q-backlog-delivery-1=4"
    response = client.generic(
        "POST", url, body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()


# --- backup and restore, migrations -----------------------------------------------------


def manage(*args: str, db: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SQLITE_PATH", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **db})
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, f"{args}: {result.stderr[-2000:]}"
    return result


def dump_of(db: dict[str, str]) -> list:
    """Every backed-up row, sorted."""
    # Django's JSON keeps times to the millisecond: a time whose milliseconds are 000 (but
    # not its microseconds) reads back as a whole second, and is written without them.
    text = manage("backup", "-", db=db).stdout.replace('.000Z"', 'Z"')
    rows = json.loads(text)
    return sorted(rows, key=lambda r: (r["model"], json.dumps(r)))


@pytest.fixture
def postgres_database():
    import psycopg

    name = f"trajectory_restore_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip_sqlite_to_sqlite_and_to_postgres(
    tmp_path, postgres_database
):
    source = {"SQLITE_PATH": str(tmp_path / "source.sqlite3")}
    manage("migrate", "--noinput", db=source)
    manage("import_catalog", db=source)
    manage("seed_demo", db=source)
    backup = tmp_path / "backup.json.gz"
    manage("backup", str(backup), db=source)
    expected = dump_of(source)
    assert any(r["model"] == "assessments.answer" for r in expected)
    assert any(r["model"] == "assessments.planitem" for r in expected)

    for target in ({"SQLITE_PATH": str(tmp_path / "copy.sqlite3")}, postgres_database):
        manage("migrate", "--noinput", db=target)
        manage("restore", str(backup), db=target)
        restored = dump_of(target)
        assert len(restored) == len(expected)
        assert restored == expected
        again = manage("restore", str(backup), db=target, check=False)
        assert again.returncode != 0 and "already holds data" in again.stderr


def test_every_migration_applies_backwards_and_forwards_on_a_database_with_data(tmp_path):
    db = {"SQLITE_PATH": str(tmp_path / "migrations.sqlite3")}
    manage("migrate", "--noinput", db=db)
    manage("import_catalog", db=db)
    manage("seed_demo", db=db)
    for app, earlier in (("assessments", "zero"), ("roles", "0001"), ("accounts", "zero")):
        manage("migrate", app, earlier, "--noinput", db=db)
        manage("migrate", "--noinput", db=db)
    plan = manage("showmigrations", "--plan", db=db).stdout
    assert "[ ]" not in plan


@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_for_the_sqlite_write_lock_then_starts():
    """Transactions begin IMMEDIATE with a busy timeout: a writer waits while another
    connection holds the write lock, and starts once that one commits."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows")
    import sqlite3
    import time

    path = connection.settings_dict["NAME"]
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    release = threading.Timer(0.15, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    with transaction.atomic():  # waits, then starts
        waited = time.monotonic() - started
    assert 0.1 < waited < 1
    other.close()
