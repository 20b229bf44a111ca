"""The checks ``assessments.scoring.score`` runs on what it is given: a catalog that keeps its
own rules, answers 1..5 to known statements, a week adding up to 100, known styles.

Pure Python, no Django.
"""

from collections.abc import Mapping


def check_catalog(catalog, pole_names: Mapping[str, str]) -> None:
    slugs = [s.slug for s in catalog.skills]
    if len(set(slugs)) != len(slugs):
        raise ValueError("The catalog lists a skill twice.")
    known, ids = set(slugs), set()
    for item in catalog.items:
        if item.id in ids:
            raise ValueError(f"The catalog lists item {item.id!r} twice.")
        ids.add(item.id)
        if item.skill not in known:
            raise ValueError(f"Item {item.id!r} belongs to unknown skill {item.skill!r}.")
        if item.key not in (1, -1) or isinstance(item.key, bool):
            raise ValueError(f"Item {item.id!r} has key {item.key!r}; expected 1 or -1.")
        if item.pole and item.pole not in pole_names:
            raise ValueError(f"Item {item.id!r} has unknown pole {item.pole!r}.")


def check_answers(catalog, answers: Mapping[str, int]) -> dict[str, int]:
    ids = {item.id for item in catalog.items}
    values: dict[str, int] = {}
    for item_id, value in answers.items():
        if item_id not in ids:
            raise ValueError(f"Unknown item {item_id!r}.")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"Answer to {item_id!r} must be a whole number from 1 to 5.")
        values[item_id] = value
    return values


def check_time(time: Mapping[str, int] | None, kinds: Mapping) -> dict[str, int] | None:
    if not time:
        return None
    for kind, share in time.items():
        if kind not in kinds:
            raise ValueError(f"Unknown kind of work {kind!r}.")
        if isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= 100:
            raise ValueError(f"The share of {kind!r} must be a whole number from 0 to 100.")
    if sum(time.values()) != 100:
        raise ValueError("The shares of a week must add up to 100.")
    return dict(time)


def check_styles(catalog, styles: Mapping[str, str], known_styles) -> dict[str, str]:
    known = {s.id for s in catalog.situations}
    for situation, style in styles.items():
        if situation not in known:
            raise ValueError(f"Unknown situation {situation!r}.")
        if style not in known_styles:
            raise ValueError(f"Unknown style {style!r}.")
    return dict(styles)
