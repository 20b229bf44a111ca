"""A minimal iCalendar (RFC 5545) writer for all-day events: plain data in, text out.

Only what the plan's check-ins need: a VCALENDAR with PRODID and VERSION holding all-day
VEVENTs. Text values are escaped (backslash, semicolon, comma, newline), content lines end in
CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

MAX_OCTETS = 75
_UNITS = re.compile(r"\\.|.", re.DOTALL)


@dataclass(frozen=True)
class Event:
    """An all-day event on ``day``. ``uid`` must be globally unique and stable, so that
    importing the same calendar twice updates the events instead of duplicating them."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT property value (RFC 5545 §3.3.11): backslash first, then ; , and newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded (RFC 5545 §3.1): no physical line longer than 75 octets;
    each continuation starts with a single space. Multi-byte characters and backslash
    escapes stay whole."""
    pieces: list[str] = []
    current, size = "", 0
    # An escape like "\n" is kept whole too: unfolding would restore it, but naive readers
    # that split lines before unescaping would not.
    for unit in _UNITS.findall(line):
        width = len(unit.encode("utf-8"))
        if size + width > MAX_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += unit
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("DTSTAMP needs an aware datetime")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, prodid: str, stamp: datetime, name: str = "") -> str:
    """The whole calendar as text with CRLF line endings (ending in CRLF).

    ``stamp`` (an aware datetime) becomes every event's DTSTAMP: pass the time the data last
    changed, so the same plan always gives the same file."""
    dtstamp = _stamp(stamp)
    lines = ["BEGIN:VCALENDAR", f"PRODID:{prodid}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
