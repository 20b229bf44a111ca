"""Rendered parts of submitted results and of plans, kept by each app server for a few minutes.

A submitted result never changes (its scores, wording and reference titles are frozen at
submission), so the body of its page — the map, the skill profile, "why you are here" — is the
same every time the same person looks at it. Drawing it is most of the page's cost, so each
process keeps the last few hundred bodies it drew, keyed by everything that goes into them
(the result, whose eyes, the trail of earlier results). Nothing is shared between servers and
nothing is written anywhere: an entry lives in memory only, for at most ``MAX_AGE`` seconds,
and only a request that has already passed the result's access check can reach it. Deleting a
result drops its entries in this process at once (``forget``).

A plan's body is kept the same way under its ``updated_at``, which every change to the plan
(an action's status or note, a rebuild) moves: a changed plan is drawn afresh. A manager's
team page is kept under their ``team_revision`` (accounts.models.team_changed), which every
change the page shows moves.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

MAX_ENTRIES = 300
MAX_AGE = 600  # seconds


class FragmentCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_age: float = MAX_AGE) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._entries: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: tuple, render: Callable[[], str]) -> str:
        """The cached text for key (whose first item is the result's id), else render()."""
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found and now - found[0] < self.max_age:
                self._entries.move_to_end(key)
                return found[1]
        text = render()
        with self._lock:
            self._entries[key] = (now, text)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return text

    def forget(self, result_id) -> None:
        with self._lock:
            for key in [k for k in self._entries if k[0] == result_id]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


results = FragmentCache()
plans = FragmentCache()
teams = FragmentCache()
