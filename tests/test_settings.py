"""Settings come from the environment; production refuses an unsafe configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


PREPARED = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    for n in range(7):
        cursor.execute("SELECT %s + 1 AS trajectory_settings_check", [n])
    cursor.execute(
        "SELECT count(*) FROM pg_prepared_statements "
        "WHERE statement LIKE %s AND statement NOT LIKE %s",
        ["%trajectory_settings_check%", "%pg_prepared_statements%"],
    )
    print(cursor.fetchone()[0])
"""


@pytest.mark.parametrize(("setting", "prepared"), [(None, "1"), ("0", "0")])
def test_postgres_prepares_the_statements_a_connection_runs_again_and_again(setting, prepared):
    """Parameters are bound on the server and a statement run five times on a connection is
    prepared there; DATABASE_PREPARED_STATEMENTS=0 (for a pooler that cannot keep them) stops it."""
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}  # any database will do
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    result = settings_python(PREPARED, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [prepared]
