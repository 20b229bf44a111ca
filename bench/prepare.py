"""Django-side steps of the benchmark, run by bench/run.py in one backend's environment.

    python bench/prepare.py actors OUT.json      who loads which page, with session cookies
    python bench/prepare.py drafts N OUT.tsv     N complete drafts and their submit requests
    python bench/prepare.py queries ACTORS.json  queries and gzipped HTML per page (test client)

Sessions are created server-side (the session store, with the keys a sign-in writes), so no
password is hashed during the run. Drafts are bulk-inserted with the answers and snapshots
``services.answers_save`` would write; each one is then submitted once through the review form.
"""

import gzip
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from accounts.models import Session, User  # noqa: E402
from accounts.sessions import SessionStore  # noqa: E402
from assessments import services  # noqa: E402
from assessments.management.commands.seed_demo import (  # noqa: E402
    PATTERNS,
    answer_values,
    style_choices,
)
from assessments.management.commands.seed_scale import EMAIL_PREFIX, MANAGER_EMAIL  # noqa: E402
from assessments.models import Answer, Assessment  # noqa: E402
from config.middleware import LAST_SEEN, SIGNED_IN_AT  # noqa: E402
from roles.selectors import active_situations  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_data(user: User) -> dict:
    """What signing in leaves in the session, plus the timeout middleware's timestamps (so the
    first request does not write the session)."""
    now = int(timezone.now().timestamp())
    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        SIGNED_IN_AT: now,
        LAST_SEEN: now,
    }


def sessions_for(users: list[User]) -> dict[int, str]:
    """A fresh session per user, inserted in one go; returns user pk → session key."""
    store = SessionStore()
    expire = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows, keys = [], {}
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = store.encode(session_data(user))
        rows.append(
            Session(session_key=key, session_data=data, expire_date=expire, user_id=user.pk)
        )
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=500)
    return keys


def cookie(session_key: str = "", csrf: str = "") -> str:
    parts = []
    if session_key:
        parts.append(f"{settings.SESSION_COOKIE_NAME}={session_key}")
    if csrf:
        parts.append(f"{settings.CSRF_COOKIE_NAME}={csrf}")
    return "; ".join(parts)


def actors(out: str) -> None:
    """The reader (the manager's report with the longest history, reading their own pages)
    and the manager (reading the team page); a half-answered draft for the questionnaire."""
    manager = User.objects.get(email=MANAGER_EMAIL)
    reader = (
        manager.reports.annotate(
            results=Count("assessments", filter=Q(assessments__kind=Assessment.Kind.SELF))
        )
        .filter(assessments__plan__isnull=False)
        .order_by("-results", "pk")
        .first()
    )
    latest = (
        Assessment.objects.submitted()
        .filter(subject=reader, kind=Assessment.Kind.SELF)
        .order_by("-submitted_at")
        .first()
    )
    draft = Assessment.objects.editable_by(reader).filter(subject=reader).first()
    if draft is None:
        draft = services.assessment_start(
            assessor=reader, subject=reader, current_title=reader.current_title, target_title=None
        )
        questions = list(services.active_questions())
        half = questions[: len(questions) // 2]
        services.answers_save(
            assessment=draft, values=answer_values(half, pattern="steady", seed=1)
        )
    keys = sessions_for([reader, manager])
    mine, theirs = cookie(keys[reader.pk]), cookie(keys[manager.pk])
    pages = {
        "signin": ("", reverse("login")),
        "questionnaire": (mine, reverse("assessments:page", args=[draft.pk, 1])),
        "results": (mine, reverse("assessments:result", args=[latest.pk])),
        "plan": (mine, reverse("assessments:plan", args=[latest.plan.pk])),
        "team": (theirs, reverse("assessments:team")),
    }
    data = {
        "reports": manager.reports.count(),
        "reader_results": reader.results,
        "assessments": Assessment.objects.count(),
        "pages": {name: {"cookie": c, "path": p} for name, (c, p) in pages.items()},
    }
    Path(out).write_text(json.dumps(data, indent=2))


@transaction.atomic
def make_drafts(n: int) -> list[tuple[str, str, str]]:
    """n complete drafts of distinct people who do not report to the scale manager (so the
    team page stays as seeded), each with a fresh session and CSRF cookie: the (path, cookie,
    body) of the POST that submits it. Complete drafts left over from an earlier batch are
    used first; the rest are inserted with the answers answers_save would write."""
    questions = list(services.active_questions())
    pool = User.objects.filter(email__startswith=f"{EMAIL_PREFIX}person-")
    drafts = list(
        Assessment.objects.filter(status=Assessment.Status.DRAFT, subject__in=pool)
        .annotate(answered=Count("answers"))
        .filter(answered=len(questions))
        .select_related("subject")[:n]
    )
    people = list(
        pool.exclude(assessments_written__status=Assessment.Status.DRAFT)
        .select_related("current_title")
        .order_by("?")[: n - len(drafts)]
    )
    rng = random.Random()
    situations = active_situations()
    new = []
    for p in people:
        pattern = rng.choice(sorted(PATTERNS))
        chosen = style_choices(situations, pattern=pattern)
        new.append(
            Assessment(
                subject=p,
                assessor=p,
                kind=Assessment.Kind.SELF,
                current_title=p.current_title,
                time_allocation=PATTERNS[pattern].week,
                style_choices={
                    s.code: {
                        "style": chosen[s.code],
                        "text": s.text,
                        "option": s.options()[chosen[s.code]],
                    }
                    for s in situations
                },
            )
        )
    Assessment.objects.bulk_create(new, batch_size=500)
    answers = []
    for draft in new:
        pattern = rng.choice(sorted(PATTERNS))
        values = answer_values(questions, pattern=pattern, seed=rng.randrange(99))
        for q in questions:
            answer = Answer(
                assessment=draft, question=q, question_code=q.code, text=q.text, key=q.key,
                pole=q.pole, skill_slug=q.skill.slug, skill_name=q.skill.name,
                value=values[q.code],
            )  # fmt: skip
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=1000)
    drafts += new
    keys = sessions_for([d.subject for d in drafts])
    requests = []
    for draft in drafts:
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        body = f"csrfmiddlewaretoken={csrf}&shared_with_manager=on"
        path = reverse("assessments:review", args=[draft.pk])
        requests.append((path, cookie(keys[draft.subject_id], csrf), body))
    return requests


def drafts(n: str, out: str) -> None:
    requests = make_drafts(int(n))
    lines = [f"POST\t{path}\t{c}\t{body}" for path, c, body in requests]
    Path(out).write_text("\n".join(lines) + "\n")
    print(len(lines))


def queries(actors_file: str) -> None:
    """Per page: database queries (after one warm-up request, as a returning visitor) and the
    gzipped HTML size; and the queries of one submit."""
    data = json.loads(Path(actors_file).read_text())
    client = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for name, page in data["pages"].items():
        client.cookies.clear()
        for part in filter(None, page["cookie"].split("; ")):
            key, value = part.split("=", 1)
            client.cookies[key] = value
        client.get(page["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        found[name] = {
            "status": response.status_code,
            "queries": len(captured),
            "html_gzip_bytes": len(gzip.compress(response.content)),
        }
    ((path, c, _),) = make_drafts(1)
    client.cookies.clear()
    client.cookies[settings.SESSION_COOKIE_NAME] = c.split(";")[0].split("=", 1)[1]
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, {"shared_with_manager": "on"})
    found["submit"] = {"status": response.status_code, "queries": len(captured)}
    print(json.dumps(found))


if __name__ == "__main__":
    commands = {"actors": actors, "drafts": drafts, "queries": queries}
    commands[sys.argv[1]](*sys.argv[2:])
