"""Production settings for the benchmark, with persistent database connections on SQLite too.

config/settings.py applies CONN_MAX_AGE only to a DATABASE_URL database; the SQLite branch
opens (and configures) a new connection on every request. The benchmark measures the
configuration we recommend, so it adds CONN_MAX_AGE here; once config/settings.py sets it
for SQLite, this file changes nothing. `bench/run.py --settings config.settings` measures the
settings exactly as they ship.
"""

import os

from config.settings import *  # noqa: F403

DATABASES["default"].setdefault("CONN_MAX_AGE", int(os.environ.get("CONN_MAX_AGE", "600")))  # noqa: F405
