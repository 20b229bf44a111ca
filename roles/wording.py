"""Our catalog is written in our own words: no run of ``RUN`` words shared with a source text."""

import re
from collections.abc import Iterator

RUN = 8


def catalog_texts(data: dict) -> Iterator[tuple[str, str]]:
    """(where, text) for every sentence-bearing field of a catalog in the JSON format."""
    for section, key, fields in (
        ("tracks", "slug", ("name", "summary")),
        ("skill_groups", "slug", ("name", "intro")),
        ("skills", "slug", ("name", "description")),
        ("titles", "slug", ("name", "short_name", "summary", "contrast")),
        ("questions", "id", ("text",)),
        ("actions", "id", ("title", "description")),
    ):
        for row in data.get(section, []):
            for name in fields:
                yield f"{section} {row[key]}.{name}", row.get(name) or ""
    for title in data.get("titles", []):
        for i, text in enumerate(title.get("responsibilities", [])):
            yield f"titles {title['slug']}.responsibilities[{i}]", text
    for situation in data.get("situations", []):
        yield f"situations {situation['id']}.text", situation.get("text") or ""
        for style, text in (situation.get("options") or {}).items():
            yield f"situations {situation['id']}.options.{style}", text or ""


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    ws = words(text)
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def shared_runs(data: dict, source: str, n: int = RUN) -> list[tuple[str, str]]:
    """(where, the shared words) for every run of ``n`` words a catalog text shares with
    ``source``."""
    theirs = runs(source, n)
    return [
        (where, " ".join(run))
        for where, text in catalog_texts(data)
        for run in sorted(runs(text, n) & theirs)
    ]
