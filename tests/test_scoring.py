"""The scoring rules (assessments/scoring.py): plain data in, plain data out, no database.

The fixture catalog is shaped like the real one: skills on both poles of both axes, three
statements per skill with exactly one reverse-keyed, and titles whose expected position is
computed from their own skill expectations. Hypothesis builds further catalogs for the
properties every catalog must have.
"""

import ast
import json
import math
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import (
    MIN_COVERAGE,
    QUADRANT_LABELS,
    CatalogSpec,
    ItemSpec,
    ScoreResult,
    SkillSpec,
    TitleSpec,
    score,
)

ROOT = Path(__file__).resolve().parent.parent

# slug, name, group, strategic loading, leadership loading
SKILLS = (
    SkillSpec("backlog-delivery", "Backlog and delivery", "delivery", -0.9, -0.4),
    SkillSpec("hands-on-execution", "Hands-on execution", "delivery", -0.5, -0.9),
    SkillSpec("product-analytics", "Product analytics", "delivery", -0.4, -0.6),
    SkillSpec("vision-principles", "Vision and principles", "strategy", 0.9, 0.5),
    SkillSpec("roadmapping", "Roadmapping", "strategy", 0.6, 0.0),
    SkillSpec("market-insight", "Market and competitor insight", "strategy", 0.8, 0.0),
    SkillSpec("stakeholder-alignment", "Stakeholder alignment", "influence", 0.3, 0.2),
    SkillSpec("mentoring-coaching", "Mentoring and coaching", "people", 0.1, 0.9),
    SkillSpec("hiring-staffing", "Hiring and staffing", "people", 0.2, 1.0),
    SkillSpec("team-culture", "Team culture and empowerment", "people", 0.2, 0.9),
)
TACTICAL_IC = {"backlog-delivery", "hands-on-execution", "product-analytics"}
STRATEGIC_ONLY = ("roadmapping", "market-insight")  # no leadership loading


def _items(skills: tuple[SkillSpec, ...]) -> tuple[ItemSpec, ...]:
    """Three statements per skill: -1 and -3 keyed +, -2 reverse-keyed."""
    return tuple(
        ItemSpec(f"{s.slug}-{n}", s.slug, -1 if n == 2 else 1, f"Statement {n} on {s.name}.")
        for s in skills
        for n in (1, 2, 3)
    )


def expected_position(skills: tuple[SkillSpec, ...], profile: Mapping[str, float]) -> tuple:
    """The product's axis formula written out independently: where a profile sits."""
    result = []
    for axis in ("strategic", "leadership"):
        pos = [(getattr(s, axis), profile[s.slug]) for s in skills if getattr(s, axis) > 0]
        neg = [(-getattr(s, axis), profile[s.slug]) for s in skills if getattr(s, axis) < 0]
        result.append(
            sum(a * v for a, v in pos) / sum(a for a, _ in pos)
            - sum(a * v for a, v in neg) / sum(a for a, _ in neg)
        )
    return tuple(result)


# Expected score per skill, in SKILLS order; multiples of 25 so that answers can hit them.
PROFILES = {
    # slug: (name, track, level, expectations)
    "associate-pm": ("Associate PM", "pm", 1, (75, 75, 50, 25, 25, 25, 25, 0, 0, 25)),
    "product-manager": ("PM", "pm", 2, (75, 75, 75, 25, 50, 50, 50, 25, 0, 25)),
    "senior-pm": ("Senior PM", "pm", 3, (75, 50, 75, 50, 75, 50, 75, 25, 25, 25)),
    "principal-pm": ("Principal PM", "pm", 4, (50, 50, 75, 75, 75, 75, 75, 50, 25, 50)),
    "group-pm": ("Group PM", "leadership", 3, (50, 25, 50, 50, 75, 50, 75, 75, 75, 75)),
    "director-pm": ("Director of PM", "leadership", 4, (25, 25, 50, 75, 75, 75, 100, 100, 75, 100)),
    "vp-product": ("VP of Product", "leadership", 5, (25, 0, 50, 100, 100, 100, 100, 75, 100, 100)),
}


def _title(slug: str) -> TitleSpec:
    name, track, level, levels = PROFILES[slug]
    expectations = {s.slug: e for s, e in zip(SKILLS, levels, strict=True)}
    x, y = expected_position(SKILLS, expectations)
    return TitleSpec(slug, name, track, level, x, y, expectations)


CATALOG = CatalogSpec(
    skills=SKILLS, items=_items(SKILLS), titles=tuple(_title(slug) for slug in PROFILES)
)


def answers_for(catalog: CatalogSpec, scores: Mapping[str, float]) -> dict[str, int]:
    """Answers that give each skill exactly ``scores[slug]`` (a multiple of 25), consistently:
    every statement of the skill gets the same keyed u."""
    answers = {}
    for item in catalog.items:
        u = scores[item.skill] / 50 - 1
        answers[item.id] = int(3 + 2 * u * item.key)
    return answers


def every(catalog: CatalogSpec, value: int) -> dict[str, int]:
    return {item.id: value for item in catalog.items}


def reversed_answers(answers: Mapping[str, int]) -> dict[str, int]:
    return {item_id: 6 - v for item_id, v in answers.items()}


# A decisive person: everything strategic and people-leading at the top, tactical IC at 0.
STRATEGIC_LEADER = {s.slug: 0 if s.slug in TACTICAL_IC else 100 for s in SKILLS}
TACTICAL_IC_PERSON = {s.slug: 100 if s.slug in TACTICAL_IC else 0 for s in SKILLS}


# --- hypothesis strategies -----------------------------------------------------------------

loadings = st.one_of(st.just(0.0), st.floats(-1, 1, allow_nan=False))
pole_loadings = st.floats(0.05, 1, allow_nan=False)
values = st.integers(1, 5)


@st.composite
def catalogs(draw: Callable, one_reverse_in_three: bool = False) -> CatalogSpec:
    """A random catalog. Skill 0 loads + on both axes and skill 1 − on both, so every axis has
    two poles; the rest load anywhere. With ``one_reverse_in_three`` every skill has three
    statements, exactly one reverse-keyed, like the real catalog."""
    n_skills = draw(st.integers(2, 7))
    skills = []
    for k in range(n_skills):
        if k == 0:
            strategic, leadership = draw(pole_loadings), draw(pole_loadings)
        elif k == 1:
            strategic, leadership = -draw(pole_loadings), -draw(pole_loadings)
        else:
            strategic, leadership = draw(loadings), draw(loadings)
        skills.append(SkillSpec(f"s{k}", f"Skill {k}", f"g{k % 3}", strategic, leadership))
    items = []
    for s in skills:
        if one_reverse_in_three:
            keys = [1, 1, 1]
            keys[draw(st.integers(0, 2))] = -1
        else:
            keys = draw(st.lists(st.sampled_from([1, -1]), min_size=1, max_size=4))
        items += [
            ItemSpec(f"{s.slug}-{j}", s.slug, key, f"Item {j}.") for j, key in enumerate(keys)
        ]
    titles = []
    for t in range(draw(st.integers(0, 3))):
        titles.append(
            TitleSpec(
                slug=f"t{t}",
                name=f"Title {t}",
                track=draw(st.sampled_from(["pm", "leadership"])),
                level=draw(st.integers(1, 6)),
                strategic=draw(st.integers(-100, 100)),
                leadership=draw(st.integers(-100, 100)),
                expectations={s.slug: draw(st.integers(0, 100)) for s in skills[:3]},
            )
        )
    return CatalogSpec(tuple(skills), tuple(items), tuple(titles))


@st.composite
def scored_cases(draw: Callable, full: bool = False) -> tuple[CatalogSpec, dict[str, int]]:
    """A catalog and answers to some (or, with ``full``, all) of its statements."""
    catalog = draw(catalogs())
    choice = values if full else st.sampled_from([None, 1, 2, 3, 4, 5])
    answers = {}
    for item in catalog.items:
        value = draw(choice)
        if value is not None:
            answers[item.id] = value
    return catalog, answers


def _axis_coverage(catalog: CatalogSpec, answers: Mapping[str, int], axis: str) -> tuple:
    skills = {s.slug: getattr(s, axis) for s in catalog.skills}
    on_axis = [i for i in catalog.items if skills[i.skill] != 0]
    answered = [i for i in on_axis if i.id in answers]
    poles = {skills[i.skill] > 0 for i in answered}
    return len(answered), len(on_axis), poles == {True, False}


# --- properties ----------------------------------------------------------------------------


@given(scored_cases())
def test_every_number_stays_within_its_bounds(case: tuple) -> None:
    catalog, answers = case
    result = score(catalog, answers)
    for skill in result.skills:
        assert skill.score is None or 0 <= skill.score <= 100
        assert (skill.score is None) == (skill.answered == 0)
    for axis in (result.strategic, result.leadership):
        if axis.position is None:
            assert axis.band is None and axis.low is None and axis.high is None
            continue
        assert -100 <= axis.position <= 100
        assert axis.band >= 0
        assert -100 <= axis.low <= axis.position <= axis.high <= 100
    for match in result.closest:
        assert 0 <= match.distance <= 1


@given(scored_cases())
def test_reversing_every_answer_mirrors_both_axes_exactly(case: tuple) -> None:
    catalog, answers = case
    result = score(catalog, answers)
    mirrored = score(catalog, reversed_answers(answers))
    for axis, mirror in (
        (result.strategic, mirrored.strategic),
        (result.leadership, mirrored.leadership),
    ):
        assert mirror.state == axis.state
        assert mirror.band == axis.band
        if axis.position is None:
            assert mirror.position is None
        else:
            assert mirror.position == -axis.position
    for skill, mirror in zip(result.skills, mirrored.skills, strict=True):
        if skill.score is not None:
            assert mirror.score == pytest.approx(100 - skill.score, abs=1e-9)


@given(scored_cases(full=True))
def test_contributions_add_up_to_the_position(case: tuple) -> None:
    catalog, answers = case
    result = score(catalog, answers)
    for axis in (result.strategic, result.leadership):
        assert axis.position is not None  # every statement answered, both poles exist
        assert math.fsum(d.contribution for d in axis.drivers) == pytest.approx(
            axis.position, abs=1e-6
        )
        assert len(axis.drivers) == axis.answered


@given(scored_cases())
def test_an_axis_is_placed_only_on_enough_answers_on_both_poles(case: tuple) -> None:
    catalog, answers = case
    result = score(catalog, answers)
    for axis in (result.strategic, result.leadership):
        answered, total, both_poles = _axis_coverage(catalog, answers, axis.axis)
        assert (axis.answered, axis.total) == (answered, total)
        enough = total > 0 and answered / total >= MIN_COVERAGE and both_poles
        assert (axis.state != "insufficient") == enough
        assert (result.quadrant == "") == (
            result.strategic.position is None or result.leadership.position is None
        )


@given(scored_cases())
def test_an_axis_reads_balanced_exactly_when_its_band_crosses_zero(case: tuple) -> None:
    catalog, answers = case
    for axis in (score(catalog, answers).strategic, score(catalog, answers).leadership):
        if axis.position is not None:
            assert (axis.state == "balanced") == (axis.low <= 0 <= axis.high)
            assert (axis.label == "balanced") == (axis.state == "balanced")


@given(catalogs(one_reverse_in_three=True))
def test_agreeing_with_everything_lands_in_the_centre_whatever_the_loadings(
    catalog: CatalogSpec,
) -> None:
    result = score(catalog, every(catalog, 5))
    for axis in (result.strategic, result.leadership):
        assert axis.position == pytest.approx(0, abs=1e-9)
        assert axis.state == "balanced"


@given(scored_cases())
def test_a_result_survives_the_round_trip_through_json(case: tuple) -> None:
    catalog, answers = case
    data = score(catalog, answers).to_dict()
    restored = ScoreResult.from_dict(json.loads(json.dumps(data)))
    assert restored.to_dict() == data
    assert ScoreResult.from_dict(restored.to_dict()) == restored


# --- worked example ------------------------------------------------------------------------


def test_a_small_case_matches_the_formulas_worked_by_hand() -> None:
    catalog = CatalogSpec(
        skills=(
            SkillSpec("p", "P", "g", 1.0, 0.0),
            SkillSpec("q", "Q", "g", 0.5, 0.0),
            SkillSpec("n", "N", "g", -1.0, 0.0),
        ),
        items=(
            ItemSpec("p1", "p", 1, "P one."),
            ItemSpec("p2", "p", -1, "P two."),
            ItemSpec("q1", "q", 1, "Q one."),
            ItemSpec("n1", "n", 1, "N one."),
        ),
        titles=(),
    )
    result = score(catalog, {"p1": 5, "p2": 2, "q1": 1, "n1": 4})

    assert [s.score for s in result.skills] == [87.5, 0.0, 75.0]
    axis = result.strategic
    # (1.0 × 87.5 + 0.5 × 0) / 1.5 − 75
    assert axis.position == pytest.approx(87.5 / 1.5 - 75)
    contributions = {d.item_id: d.contribution for d in axis.drivers}
    assert contributions == pytest.approx(
        {"p1": 50 / 1.5 / 2, "p2": 25 / 1.5 / 2, "q1": -25 / 1.5, "n1": -25.0}
    )
    assert [d.item_id for d in axis.drivers] == ["n1", "p1", "q1", "p2"]
    # + pole: keyed u (1, 0.5, −1), population sd √(78/108); − pole: a single answer, sd 1.
    se_pos = 50 * math.sqrt(78 / 108) / math.sqrt(3)
    assert axis.band == pytest.approx(1.96 * math.hypot(se_pos, 50.0))
    assert (axis.state, axis.label, axis.confidence) == ("balanced", "balanced", "low")
    assert result.leadership.state == "insufficient"  # no skill loads on it
    assert result.closest == ()


# --- the fixture catalog -------------------------------------------------------------------


def test_neutral_answers_land_at_the_centre_and_read_balanced() -> None:
    result = score(CATALOG, every(CATALOG, 3))
    assert (result.strategic.position, result.leadership.position) == (0, 0)
    assert (result.strategic.label, result.leadership.label) == ("balanced", "balanced")
    assert all(s.score == 50 for s in result.skills)


def test_agreeing_with_every_statement_lands_at_the_centre_not_in_a_corner() -> None:
    result = score(CATALOG, every(CATALOG, 5))
    assert result.strategic.position == pytest.approx(0, abs=1e-9)
    assert result.leadership.position == pytest.approx(0, abs=1e-9)
    assert result.strategic.state == result.leadership.state == "balanced"


def test_a_decisive_consistent_person_is_placed_with_high_confidence() -> None:
    result = score(CATALOG, answers_for(CATALOG, STRATEGIC_LEADER))
    assert (result.strategic.position, result.leadership.position) == (100, 100)
    for axis in (result.strategic, result.leadership):
        assert axis.state == "placed"
        assert axis.confidence == "high"
        assert axis.band <= 15
    assert (result.strategic.label, result.leadership.label) == ("strategic", "people leader")
    # Perfectly uniform answers still leave doubt: the spread is floored at 0.25.
    # Strategic: 21 statements on the + pole, 9 on the − pole.
    floor = 50 * 0.25
    assert result.strategic.band == pytest.approx(1.96 * math.hypot(floor / 21**0.5, floor / 3))
    assert result.quadrant == "strategic-leader"
    assert result.quadrant_label == "Strategic people leader"


def test_reversing_a_strategic_leader_gives_a_tactical_individual_contributor() -> None:
    result = score(CATALOG, reversed_answers(answers_for(CATALOG, STRATEGIC_LEADER)))
    assert (result.strategic.position, result.leadership.position) == (-100, -100)
    assert (result.strategic.label, result.leadership.label) == (
        "tactical",
        "individual contributor",
    )
    assert result.quadrant == "tactical-ic"


def test_a_slight_lean_inside_the_band_reads_balanced() -> None:
    answers = every(CATALOG, 3)
    answers["vision-principles-1"] = 4
    axis = score(CATALOG, answers).strategic
    assert axis.position > 0
    assert axis.low < 0 < axis.high
    assert (axis.state, axis.label) == ("balanced", "balanced")


def test_inconsistent_paired_answers_widen_the_band() -> None:
    # Both people have the same skill scores (mean keyed u ±0.5), so the same position.
    consistent, inconsistent = {}, {}
    for item in CATALOG.items:
        sign = -1 if item.skill in TACTICAL_IC else 1
        consistent[item.id] = 3 + sign * item.key  # keyed u = 0.5 × sign on every item
        # Agree with both the + statements and the − one: keyed u (1, −0.5, 1) × sign.
        inconsistent[item.id] = 3 + 2 * sign if item.key == 1 else 3 + sign
    steady, erratic = score(CATALOG, consistent), score(CATALOG, inconsistent)
    for a, b in ((steady.strategic, erratic.strategic), (steady.leadership, erratic.leadership)):
        assert a.position == pytest.approx(b.position)
        assert b.band > a.band


def test_an_axis_with_under_80_percent_answered_reads_not_enough_answers() -> None:
    answers = answers_for(CATALOG, STRATEGIC_LEADER)
    for slug in STRATEGIC_ONLY:
        for n in (1, 2, 3):
            del answers[f"{slug}-{n}"]
    del answers["vision-principles-1"]  # 23 of the 30 strategic statements
    result = score(CATALOG, answers)
    assert (result.strategic.answered, result.strategic.total) == (23, 30)
    assert result.strategic.position is None
    assert result.strategic.band is None
    assert result.strategic.label == "not enough answers"
    assert result.strategic.confidence is None
    assert result.leadership.state == "placed"  # 23 of 24
    assert result.quadrant == ""


def test_an_axis_with_exactly_80_percent_answered_is_placed() -> None:
    answers = answers_for(CATALOG, STRATEGIC_LEADER)
    for slug in STRATEGIC_ONLY:
        for n in (1, 2, 3):
            del answers[f"{slug}-{n}"]
    result = score(CATALOG, answers)
    assert (result.strategic.answered, result.strategic.total) == (24, 30)
    assert result.strategic.state == "placed"
    assert result.quadrant == "strategic-leader"


def test_a_pole_without_answers_reads_not_enough_answers() -> None:
    catalog = CatalogSpec(
        skills=(SkillSpec("up", "Up", "g", 1.0, 0.0), SkillSpec("down", "Down", "g", -1.0, 0.0)),
        items=(
            *(ItemSpec(f"up{n}", "up", 1, "Up.") for n in range(5)),
            ItemSpec("down0", "down", 1, "Down."),
        ),
        titles=(),
    )
    result = score(catalog, {f"up{n}": 5 for n in range(5)})  # 5 of 6 answered
    assert result.strategic.state == "insufficient"
    assert result.strategic.label == "not enough answers"


def test_drivers_are_every_answered_item_on_the_axis_largest_first() -> None:
    answers = answers_for(CATALOG, TACTICAL_IC_PERSON)
    answers["roadmapping-2"] = 3
    del answers["market-insight-1"]
    result = score(CATALOG, answers)
    strategic_ids = [d.item_id for d in result.strategic.drivers]
    assert sorted(strategic_ids) == sorted(answers)
    sizes = [abs(d.contribution) for d in result.strategic.drivers]
    assert sizes == sorted(sizes, reverse=True)
    # Roadmapping and market insight do not load on leadership.
    leadership_ids = {d.item_id for d in result.leadership.drivers}
    assert not any(i.startswith(STRATEGIC_ONLY) for i in leadership_ids)
    driver = next(d for d in result.strategic.drivers if d.item_id == "roadmapping-2")
    assert (driver.value, driver.key, driver.contribution) == (3, -1, 0)


def test_a_skill_without_answers_has_no_score() -> None:
    answers = every(CATALOG, 4)
    for n in (1, 2, 3):
        del answers[f"hiring-staffing-{n}"]
    hiring = next(s for s in score(CATALOG, answers).skills if s.slug == "hiring-staffing")
    assert (hiring.score, hiring.answered, hiring.total) == (None, 0, 3)


def test_skills_come_back_in_catalog_order_with_counts() -> None:
    result = score(CATALOG, every(CATALOG, 4))
    assert [s.slug for s in result.skills] == [s.slug for s in SKILLS]
    assert (result.answered, result.total) == (30, 30)


@pytest.mark.parametrize("slug", list(PROFILES))
def test_answering_exactly_like_a_title_puts_that_title_first(slug: str) -> None:
    title = _title(slug)
    result = score(CATALOG, answers_for(CATALOG, title.expectations))
    assert result.closest[0].slug == slug
    assert result.closest[0].distance == pytest.approx(0, abs=1e-9)
    assert len(result.closest) == len(PROFILES)
    distances = [m.distance for m in result.closest]
    assert distances == sorted(distances)


def test_title_distance_mixes_map_distance_and_profile_distance_half_and_half() -> None:
    result = score(CATALOG, answers_for(CATALOG, STRATEGIC_LEADER))
    x, y = result.strategic.position, result.leadership.position
    for match in result.closest:
        title = _title(match.slug)
        on_map = math.hypot(x - title.strategic, y - title.leadership) / (200 * math.sqrt(2))
        gaps = [(STRATEGIC_LEADER[k] - title.expectations[k]) / 100 for k in STRATEGIC_LEADER]
        profile = math.sqrt(sum(g * g for g in gaps) / len(gaps))
        assert match.distance == pytest.approx(0.5 * on_map + 0.5 * profile)
    assert result.closest[0].slug == "vp-product"


def test_titles_at_the_same_distance_go_lowest_level_first() -> None:
    twin = {s.slug: 50 for s in SKILLS}
    catalog = CatalogSpec(
        skills=SKILLS,
        items=_items(SKILLS),
        titles=(
            TitleSpec("zeta", "Zeta", "pm", 3, 0, 0, twin),
            TitleSpec("beta", "Beta", "pm", 3, 0, 0, twin),
            TitleSpec("alpha", "Alpha", "pm", 5, 0, 0, twin),
        ),
    )
    result = score(catalog, every(catalog, 3))
    assert [m.slug for m in result.closest] == ["beta", "zeta", "alpha"]


def test_closest_title_uses_the_skill_profile_alone_when_an_axis_is_not_placed() -> None:
    answers = answers_for(CATALOG, STRATEGIC_LEADER)
    for slug in STRATEGIC_ONLY:
        for n in (1, 2, 3):
            del answers[f"{slug}-{n}"]
    del answers["vision-principles-1"]
    result = score(CATALOG, answers)
    scores = {s.slug: s.score for s in result.skills if s.score is not None}
    for match in result.closest:
        expected = _title(match.slug).expectations
        rms = math.sqrt(
            sum(((v - expected[k]) / 100) ** 2 for k, v in scores.items()) / len(scores)
        )
        assert match.distance == pytest.approx(rms)


def test_a_skill_missing_from_a_titles_expectations_counts_as_expected_zero() -> None:
    catalog = CatalogSpec(
        skills=SKILLS,
        items=_items(SKILLS),
        titles=(
            TitleSpec("silent", "Silent", "pm", 1, 0, 0, {}),
            TitleSpec("zeros", "Zeros", "pm", 2, 0, 0, {s.slug: 0 for s in SKILLS}),
        ),
    )
    silent, zeros = score(catalog, every(catalog, 4)).closest
    assert silent.distance == pytest.approx(zeros.distance)


def test_nothing_answered_places_nobody_and_matches_no_title() -> None:
    result = score(CATALOG, {})
    assert result.strategic.state == result.leadership.state == "insufficient"
    assert result.quadrant == ""
    assert result.closest == ()
    assert all(s.score is None for s in result.skills)


@pytest.mark.parametrize("value", [0, 6, -1, "3", 3.0, True, None])
def test_an_answer_outside_one_to_five_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        score(CATALOG, {"roadmapping-1": value})


def test_an_answer_to_an_unknown_item_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown item"):
        score(CATALOG, {"no-such-item": 3})


@pytest.mark.parametrize(
    "catalog",
    [
        CatalogSpec(SKILLS, (ItemSpec("x", "no-such-skill", 1, "X."),), ()),
        CatalogSpec(SKILLS, (ItemSpec("x", "roadmapping", 2, "X."),), ()),
        CatalogSpec((SkillSpec("s", "S", "g", 1.5, 0.0),), (), ()),
        CatalogSpec(SKILLS, (ItemSpec("x", "roadmapping", 1, "X."),) * 2, ()),
    ],
    ids=["unknown skill", "bad key", "loading out of range", "duplicate item"],
)
def test_a_catalog_that_breaks_its_rules_is_refused(catalog: CatalogSpec) -> None:
    with pytest.raises(ValueError):
        score(catalog, {})


def test_the_fixture_result_survives_the_round_trip() -> None:
    answers = answers_for(CATALOG, STRATEGIC_LEADER)
    answers["team-culture-2"] = 4
    data = score(CATALOG, answers).to_dict()
    assert json.loads(json.dumps(data)) == data
    restored = ScoreResult.from_dict(data)
    assert restored.to_dict() == data
    assert restored.strategic.drivers[0].item_id == data["strategic"]["drivers"][0]["item_id"]


def test_every_quadrant_has_a_label() -> None:
    assert set(QUADRANT_LABELS) == {
        f"{x}-{y}" for x in ("strategic", "tactical") for y in ("leader", "ic")
    }


# --- the pure core stays pure --------------------------------------------------------------


CORE = ["scoring", "score_result", "planning", "plan_draft", "charts", "ics"]


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_only_the_standard_library(module: str) -> None:
    tree = ast.parse((ROOT / "assessments" / f"{module}.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    for name in imported:
        core = {f"assessments.{m}" for m in CORE}
        assert name.split(".")[0] in sys.stdlib_module_names or name in core, name
    assert "django" not in {name.split(".")[0] for name in imported}


def test_importing_the_core_loads_no_django() -> None:
    code = (
        "import sys; import assessments.scoring, assessments.planning, assessments.charts, "
        "assessments.ics; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_pole_averages_differ_by_exactly_the_position():
    from assessments.scoring import CatalogSpec, ItemSpec, SkillSpec, pole_averages, score

    skills = (
        SkillSpec("a", "A", "g", 1.0, 0.5),
        SkillSpec("b", "B", "g", 0.5, -1.0),
        SkillSpec("c", "C", "g", -1.0, 0.8),
        SkillSpec("d", "D", "g", -0.4, -0.6),
    )
    items = tuple(
        ItemSpec(f"{s.slug}{k}", s.slug, key, "x") for s in skills for k, key in enumerate((1, -1))
    )
    result = score(CatalogSpec(skills, items, ()), {i.id: 1 + n % 5 for n, i in enumerate(items)})
    poles = pole_averages(skills, result.skills)
    for axis in ("strategic", "leadership"):
        position = getattr(result, axis).position
        if position is not None:
            assert poles[axis]["high"] - poles[axis]["low"] == pytest.approx(position, abs=1e-9)


def test_a_stored_result_can_keep_only_the_strongest_drivers_each_way() -> None:
    answers = answers_for(CATALOG, TACTICAL_IC_PERSON)
    answers["roadmapping-2"] = 3  # a driver of exactly zero, which no side shows
    result = score(CATALOG, answers)
    full, kept = result.to_dict(), result.to_dict(drivers_per_side=2)
    for axis in ("strategic", "leadership"):
        drivers = full[axis]["drivers"]
        up = [d for d in drivers if d["contribution"] > 0][:2]
        down = [d for d in drivers if d["contribution"] < 0][:2]
        assert kept[axis]["drivers"] == [d for d in drivers if d in up + down]
        assert 0 < len(kept[axis]["drivers"]) < len(drivers)
        assert {**kept[axis], "drivers": drivers} == full[axis]  # nothing else changes
    assert {k: v for k, v in kept.items() if k not in ("strategic", "leadership")} == {
        k: v for k, v in full.items() if k not in ("strategic", "leadership")
    }
    assert ScoreResult.from_dict(kept).to_dict() == kept


@given(st.lists(st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0]), min_size=2, max_size=60))
def test_the_spread_of_answers_is_the_population_standard_deviation(values) -> None:
    from assessments.scoring import _pstdev

    assert _pstdev(values) == pytest.approx(statistics.pstdev(values), abs=1e-12)
