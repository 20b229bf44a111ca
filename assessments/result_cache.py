"""Drawn bodies of submitted result pages, kept in each app server's memory.

Cache only what cannot change, keyed by its identity. A submitted result never changes: its
scores, its wording and its reference titles are frozen at submission. So the body of its page
(the map, the skill profile, "why you are here") is kept under a key naming everything it is
drawn from: the result's id; the version of the drawing (``BODY_VERSION`` in
assessments.views.results, bumped with every change to the body's templates or the code
feeding them); whose eyes (the subject, or someone else, by the name the body calls the
subject); and the ids of the subject's earlier results drawn as the trail (an admin may
delete one). Anything else that could change is drawn outside the body, on every request. So
no key ever goes stale and nothing is invalidated: an entry leaves only when the cache culls it
to stay within its size, or at its timeout. The cache is read only by a request that has
already passed the result's access check, so a deleted account's or an unshared result's
entry is out of reach even while it lasts.

Why Django's cache framework with a local-memory cache of its own (``CACHES["results"]``,
``LocMemCache``): it is bounded, thread-safe and private to the process (nothing about a
person is written anywhere), with no cache code of ours to maintain. Not the default cache:
that is the database cache, which would cost a query per read and store people's results in
a table.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import caches

ALIAS = "results"


def key(result_id: object, version: int, viewer: str, trail: Iterable[object]) -> str:
    """The cache key of one drawing of a result's body.

    ``viewer`` is whose eyes the body is drawn for; ``trail`` the ids of the earlier results it
    draws. Those two are hashed: a cache key holds at most 250 plain characters."""
    seen_by = repr((viewer, [str(earlier) for earlier in trail]))
    digest = hashlib.sha256(seen_by.encode()).hexdigest()
    return f"result-body:{result_id}:v{version}:{digest}"


def body(key: str, draw: Callable[[], str]) -> str:
    """The body kept under ``key``, else ``draw()`` (then kept)."""
    return caches[ALIAS].get_or_set(key, draw)
