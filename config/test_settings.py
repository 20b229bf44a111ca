"""Settings for the test suite: fast hashing, in-memory cache and email, no manifest."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "results": CACHES["results"],  # noqa: F405
}
AXES_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The live server in browser tests speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# A file, not memory, for the SQLite test database: concurrency tests need real WAL locking
# between threads (an in-memory shared cache raises "database table is locked" instead).
# One directory per test process, so two test runs on one machine never share a database,
# removed when the process exits: Django's teardown deletes only the database file, and
# SQLite leaves its -wal and -shm files behind when a connection (another thread's) is
# never closed.
if "sqlite" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    _test_dir = tempfile.mkdtemp(prefix="trajectory-test-")
    atexit.register(shutil.rmtree, _test_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_test_dir, "db.sqlite3")}  # noqa: F405
