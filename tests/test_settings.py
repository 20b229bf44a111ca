"""Settings come from the environment; production refuses an unsafe configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "trajectory.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://trajectory.example.com",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Browser tests relax async safety in this process; a deployment never would.
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": "django-insecure-short"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_development_runs_with_a_throwaway_key():
    result = manage("check", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def settings_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python under config.settings in development (DEBUG=1), with the
    database settings given in ``env`` and none taken over from the test run."""
    unset = {"DATABASE_URL", "DATABASE_PREPARED_STATEMENTS"}
    inherited = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_file_is_opened_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = settings_python(code, SQLITE_PATH=str(tmp_path / "wal.sqlite3"))
    assert result.stdout.strip() == "wal", result.stderr


def test_sqlite_writers_wait_for_the_lock_instead_of_failing():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.DATABASES['default']['OPTIONS']; print(o['transaction_mode'], o['timeout'])"
    )
    result = settings_python(code)
    mode, timeout = result.stdout.split()
    assert mode == "IMMEDIATE"
    assert int(timeout) >= 5


def test_postgres_gets_persistent_health_checked_connections():
    result = settings_python(
        "from django.conf import settings; import django; django.setup(); "
        "d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/trajectory",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "600", "True"]


def test_a_sqlite_database_url_connects_with_the_sqlite_options(tmp_path):
    """DATABASE_URL=sqlite:///path gets the default file's options (and none of PostgreSQL's)."""
    code = (
        "import django; django.setup(); from django.db import connection, transaction; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "with transaction.atomic(): c.execute('CREATE TABLE t (x integer)')\n"
        "c.execute('SELECT count(*) FROM t'); o = connection.settings_dict['OPTIONS']; "
        "print(mode, c.fetchone()[0], o['transaction_mode'], o['timeout'], sorted(o))"
    )
    path = tmp_path / "from-url.sqlite3"
    result = settings_python(code, DATABASE_URL=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    mode, count, transaction_mode, timeout, *_ = result.stdout.split()
    assert (mode, count, transaction_mode, timeout) == ("wal", "0", "IMMEDIATE", "20")
    assert "prepare_threshold" not in result.stdout and "server_side_binding" not in result.stdout
    assert path.exists()


@pytest.mark.django_db
def test_postgres_prepares_the_statements_a_connection_runs_again_and_again():
    """Parameters are bound on the server and a statement run five times on a connection is
    prepared there (on the test run's own connection, which the run closes itself)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    with connection.cursor() as cursor:
        for n in range(7):
            cursor.execute("SELECT %s + 1 AS trajectory_settings_check", [n])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement NOT LIKE %s",
            ["%trajectory_settings_check%", "%pg_prepared_statements%"],
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(("setting", "threshold"), [(None, "5"), ("1", "5"), ("0", "None")])
def test_database_prepared_statements_0_turns_preparing_off(setting, threshold):
    """For a pooler that cannot keep prepared statements; parameters stay bound on the server."""
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/trajectory"}
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    result = settings_python(
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['prepare_threshold'], o['server_side_binding'])",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [threshold, "True"]
