"""The About page's worked example: a small answer set scored by ``assessments.scoring`` itself
at render time, so the page can never drift from the code."""

from assessments import scoring

#: (pole, statement, answer): three statements a pole keeps the example short.
ANSWERS: tuple[tuple[str, str, int], ...] = (
    ("strategic", "I make decisions about where the product should be in a year or more.", 4),
    ("strategic", "I decide which customer problems are worth solving next.", 5),
    ("strategic", "I look at the market when I weigh a roadmap change.", 3),
    ("tactical", "I set the order of the backlog for the next sprint.", 4),
    ("tactical", "I unblock engineers when a release runs into trouble.", 3),
    ("tactical", "I write acceptance criteria for the features we build.", 2),
    ("leader", "I hold 1:1s with people whose growth I am responsible for.", 2),
    ("leader", "I take part in hiring decisions for product roles.", 1),
    ("leader", "I give feedback on performance to people who report to me.", 2),
    ("ic", "I run discovery interviews myself.", 5),
    ("ic", "I write the specs for my area myself.", 4),
    ("ic", "I pull and analyse the product numbers myself.", 4),
)
WEEK: dict[str, int] = {"delivery": 20, "craft": 40, "strategy": 30, "people": 0, "other": 10}


def example() -> tuple[list[dict], dict[str, int], scoring.ScoreResult]:
    """The example's statements (with their answers and u), its week and its result."""
    items = tuple(
        scoring.ItemSpec(id=f"example-{i}", skill="example", key=1, text=text, pole=pole)
        for i, (pole, text, _) in enumerate(ANSWERS, start=1)
    )
    catalog = scoring.CatalogSpec(
        skills=(scoring.SkillSpec(slug="example", name="Example", group="example"),),
        items=items,
        titles=(),
    )
    answers = {item.id: value for item, (_, _, value) in zip(items, ANSWERS, strict=True)}
    result = scoring.score(catalog, answers, WEEK)
    rows = [
        {"pole": scoring.POLE_NAMES[pole], "text": text, "answer": value, "u": (value - 3) / 2}
        for pole, text, value in ANSWERS
    ]
    return rows, dict(WEEK), result
