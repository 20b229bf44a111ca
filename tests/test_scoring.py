"""The scoring rules (assessments/scoring.py, instrument v2): plain data in, plain data out, no
database. The simulations run on the catalog we ship (roles/catalog/catalog.json, read as
plain JSON): the instrument's properties are claims about that catalog, not a toy one."""

import ast
import itertools
import json
import math
import random
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import reading, scoring, worked_example
from assessments.scoring import (
    CatalogSpec,
    ItemSpec,
    ScoreResult,
    SituationSpec,
    SkillSpec,
    TitleSpec,
    score,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = json.loads((ROOT / "roles" / "catalog" / "catalog.json").read_text(encoding="utf-8"))


def shipped_catalog() -> CatalogSpec:
    """The shipped catalog as scoring reads it (active statements and situations)."""
    skills = tuple(SkillSpec(s["slug"], s["name"], s["group"]) for s in SHIPPED["skills"])
    items = tuple(
        ItemSpec(q["id"], q["skill"], q["key"], q["text"], q["pole"])
        for q in SHIPPED["questions"]
        if q["active"]
    )
    titles = tuple(
        TitleSpec(
            t["slug"],
            t["short_name"],
            t["track"],
            t["level"],
            t["expected_strategic"],
            t["expected_leadership"],
            t["expectations"],
        )
        for t in SHIPPED["titles"]
    )
    situations = tuple(SituationSpec(s["id"], s["text"]) for s in SHIPPED["situations"])
    return CatalogSpec(skills, items, titles, situations)


CATALOG = shipped_catalog()
POLE_OF = {"strategic": ("strategic", 1), "tactical": ("strategic", -1)}
POLE_OF |= {"leader": ("leadership", 1), "ic": ("leadership", -1)}


def profile(levels: dict[str, int], skill_level: int = 3) -> dict[str, int]:
    """A consistent answer set: each pole's statements at its level, skill-only statements
    at ``skill_level`` (reverse-keyed ones the other way round)."""
    return {
        i.id: levels[i.pole] if i.pole else (skill_level if i.key == 1 else 6 - skill_level)
        for i in CATALOG.items
    }


def week(strategic: int, leadership: int) -> dict[str, int]:
    """A week that pulls the given way on each axis (+1, −1 or 0)."""
    split = dict.fromkeys(scoring.TIME_KINDS, 0)
    split[{1: "strategy", -1: "delivery", 0: "other"}[strategic]] += 40
    split[{1: "people", -1: "craft", 0: "other"}[leadership]] += 40
    split["other"] += 20
    return split


def random_split(rng: random.Random) -> dict[str, int]:
    cuts = sorted(rng.randint(0, 20) for _ in range(len(scoring.TIME_KINDS) - 1))
    parts = [b - a for a, b in itertools.pairwise([0, *cuts, 20])]
    return {kind: 5 * part for kind, part in zip(scoring.TIME_KINDS, parts, strict=True)}


# --- the shipped catalog has simple structure ----------------------------------------------


def test_each_pole_has_its_own_statements_and_the_poles_of_an_axis_balance() -> None:
    counts = {pole: sum(1 for i in CATALOG.items if i.pole == pole) for pole in POLE_OF}
    assert min(counts.values()) >= 6
    assert abs(counts["strategic"] - counts["tactical"]) <= 1
    assert abs(counts["leader"] - counts["ic"]) <= 1
    # A statement places a person on at most one pole of one axis, and only by agreeing.
    assert all(i.key == 1 for i in CATALOG.items if i.pole)


def test_title_positions_spread_over_the_map() -> None:
    titles = {t.slug: t for t in CATALOG.titles}
    principal = titles["principal-pm"]
    assert principal.strategic > 0 > principal.leadership  # strategic individual contributor
    first_rung = min((t for t in CATALOG.titles if t.track == "product-leadership"),
                     key=lambda t: t.level)  # fmt: skip
    assert first_rung.leadership > 0 and abs(first_rung.strategic) <= 30
    for slug in ("vp-product", "cpo"):
        assert titles[slug].strategic > 0 and titles[slug].leadership > 0
    quadrants = {(t.strategic > 0, t.leadership > 0) for t in CATALOG.titles}
    assert len(quadrants) == 4  # every quadrant holds a title


# --- the formulas --------------------------------------------------------------------------


def test_a_position_is_the_difference_of_the_two_pole_scores() -> None:
    answers = profile({"strategic": 5, "tactical": 2, "leader": 1, "ic": 4})
    axis = score(CATALOG, answers).strategic
    assert axis.high_pole == pytest.approx(100.0)
    assert axis.low_pole == pytest.approx(25.0)
    assert axis.position == pytest.approx(75.0)
    assert axis.time is None and axis.statements == pytest.approx(75.0)


def test_the_week_weighs_a_quarter_of_the_position() -> None:
    answers = profile({"strategic": 4, "tactical": 2, "leader": 2, "ic": 4})
    split = {"delivery": 10, "craft": 50, "strategy": 30, "people": 0, "other": 10}
    result = score(CATALOG, answers, split)
    s, lead = result.strategic, result.leadership
    assert s.time == 20 and lead.time == -50
    assert s.position == pytest.approx(0.75 * s.statements + 0.25 * 20)
    assert lead.position == pytest.approx(0.75 * lead.statements + 0.25 * -50)


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_agreeing_with_everything_or_nothing_lands_in_the_middle(level: int) -> None:
    result = score(CATALOG, {i.id: level for i in CATALOG.items})
    for axis in (result.strategic, result.leadership):
        assert axis.position == 0.0
        assert axis.state == scoring.BALANCED
    assert result.quadrant == ""  # balanced is its own answer, never a quadrant
    assert scoring.STRAIGHT_LINING in result.flags


def test_the_drivers_and_the_week_add_up_to_the_position() -> None:
    rng = random.Random(7)
    for _ in range(20):
        answers = {i.id: rng.randint(1, 5) for i in CATALOG.items}
        result = score(CATALOG, answers, random_split(rng))
        for axis in (result.strategic, result.leadership):
            total = math.fsum(d.contribution for d in axis.drivers)
            total += scoring.TIME_WEIGHT * axis.time
            assert total == pytest.approx(axis.position, abs=1e-9)


def test_the_interval_is_the_standard_error_of_the_two_poles_times_t() -> None:
    answers = profile({"strategic": 4, "tactical": 2, "leader": 3, "ic": 3})
    answers[next(i.id for i in CATALOG.items if i.pole == "strategic")] = 2
    axis = score(CATALOG, answers).strategic
    plus = [(answers[i.id] - 3) / 2 for i in CATALOG.items if i.pole == "strategic"]
    minus = [(answers[i.id] - 3) / 2 for i in CATALOG.items if i.pole == "tactical"]
    sd = [max(statistics.stdev(us), scoring.MIN_SD) for us in (plus, minus)]
    se = 50 * math.sqrt(sd[0] ** 2 / len(plus) + sd[1] ** 2 / len(minus))
    assert axis.band == pytest.approx(scoring.t95(len(plus) + len(minus) - 2) * se)


def test_an_axis_with_too_few_answers_on_a_pole_is_not_placed() -> None:
    answers = profile({"strategic": 5, "tactical": 1, "leader": 5, "ic": 1})
    strategic = [i.id for i in CATALOG.items if i.pole == "strategic"]
    for item_id in strategic[: len(strategic) // 2]:
        del answers[item_id]
    result = score(CATALOG, answers)
    assert result.strategic.state == scoring.INSUFFICIENT and result.strategic.position is None
    assert result.leadership.state == scoring.PLACED
    assert result.quadrant == ""
    assert reading.placement_key(result) == ""


# --- the instrument's properties -------------------------------------------------------------


def test_every_quadrant_is_reached_by_a_pure_profile_at_least_50_from_the_centre() -> None:
    """A sweep of consistent profiles (each pole answered at one level 1..5, with a week that
    agrees): every quadrant is reached, far out on both axes."""
    farthest = {}
    for s, t, lead, ic in itertools.product(range(1, 6), repeat=4):
        answers = profile({"strategic": s, "tactical": t, "leader": lead, "ic": ic})
        split = week((s > t) - (s < t), (lead > ic) - (lead < ic))
        result = score(CATALOG, answers, split)
        if result.quadrant:
            x, y = result.strategic.position, result.leadership.position
            farthest[result.quadrant] = max(farthest.get(result.quadrant, 0), min(abs(x), abs(y)))
    assert set(farthest) == set(scoring.QUADRANT_LABELS)
    assert all(reach >= 50 for reach in farthest.values()), farthest


def test_a_player_coach_is_balanced_on_the_leadership_axis() -> None:
    answers = profile({"strategic": 5, "tactical": 2, "leader": 5, "ic": 5})
    result = score(CATALOG, answers, week(1, 0))
    assert result.leadership.state == scoring.BALANCED
    assert result.leadership.position == 0.0
    assert reading.placement_key(result) == "strategic-balanced"
    assert result.quadrant == ""


def test_disengagement_is_not_rewarded_with_a_corner() -> None:
    result = score(CATALOG, profile({"strategic": 1, "tactical": 1, "leader": 1, "ic": 1}))
    assert result.quadrant == ""
    assert {"low-strategic", "low-leadership"} <= set(result.flags)
    assert result.strategic.confidence == result.leadership.confidence == "low"


def test_random_answers_are_rarely_placed() -> None:
    """2,000 random answer sets (uniform answers, a random week; fixed seed): no more than 6%
    are placed off the centre on an axis, where 5% is nominal."""
    rng = random.Random(2026)
    placed = {"strategic": 0, "leadership": 0}
    runs = 2000
    for _ in range(runs):
        answers = {i.id: rng.randint(1, 5) for i in CATALOG.items}
        styles = {s.id: rng.choice(scoring.STYLES) for s in CATALOG.situations}
        result = score(CATALOG, answers, random_split(rng), styles)
        for axis in placed:
            placed[axis] += getattr(result, axis).state == scoring.PLACED
    rates = {axis: n / runs for axis, n in placed.items()}
    assert all(rate <= 0.06 for rate in rates.values()), rates
    assert all(rate >= 0.01 for rate in rates.values()), rates  # the interval is not inflated


def test_a_principal_pms_answers_look_most_like_a_principal_pm() -> None:
    answers = profile({"strategic": 5, "tactical": 2, "leader": 1, "ic": 5}, skill_level=4)
    result = score(CATALOG, answers, week(1, -1))
    assert result.quadrant == "strategic-ic"
    nearest = {t.slug: t for t in CATALOG.titles}[result.closest[0].slug]
    assert nearest.strategic > 0 > nearest.leadership


# --- flags, confidence and the style lens ----------------------------------------------------


def test_strong_acquiescence_is_flagged_and_lowers_the_confidence() -> None:
    answers = profile({"strategic": 5, "tactical": 4, "leader": 5, "ic": 4})
    result = score(CATALOG, answers)
    assert scoring.ACQUIESCENCE in result.flags
    plain = score(CATALOG, profile({"strategic": 5, "tactical": 2, "leader": 5, "ic": 2}))
    assert scoring.ACQUIESCENCE not in plain.flags
    steps = scoring.CONFIDENCE_STEPS
    assert steps.index(result.strategic.confidence) < steps.index(plain.strategic.confidence) or (
        result.strategic.confidence == "low"
    )


def test_the_style_lens_counts_choices_and_never_moves_the_axes() -> None:
    answers = profile({"strategic": 4, "tactical": 2, "leader": 4, "ic": 2})
    codes = [s.id for s in CATALOG.situations]
    styles = {code: "delegate" if n < 4 else "coach" for n, code in enumerate(codes)}
    with_lens = score(CATALOG, answers, None, styles)
    without = score(CATALOG, answers)
    assert with_lens.strategic == without.strategic and with_lens.leadership == without.leadership
    assert with_lens.style.counts == {"direct": 0, "coach": len(codes) - 4, "support": 0,
                                      "delegate": 4}  # fmt: skip
    assert with_lens.style.primary == ("delegate",) and with_lens.style.range == 2


# --- input checks and storage ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "split", "styles", "message"),
    [
        ({"nope": 3}, None, None, "Unknown item"),
        ({CATALOG.items[0].id: 6}, None, None, "whole number from 1 to 5"),
        ({CATALOG.items[0].id: True}, None, None, "whole number from 1 to 5"),
        ({}, {"delivery": 50, "craft": 40}, None, "add up to 100"),
        ({}, {"delivery": 50, "meetings": 50}, None, "Unknown kind"),
        ({}, {"delivery": 110, "craft": -10}, None, "from 0 to 100"),
        ({}, None, {"situation-x": "coach"}, "Unknown situation"),
        ({}, None, {CATALOG.situations[0].id: "bossy"}, "Unknown style"),
    ],
)
def test_bad_input_is_refused(answers, split, styles, message) -> None:
    with pytest.raises(ValueError, match=message):
        score(CATALOG, answers, split, styles)


def test_a_result_round_trips_through_its_stored_form() -> None:
    rng = random.Random(3)
    answers = {i.id: rng.randint(1, 5) for i in CATALOG.items}
    styles = {s.id: rng.choice(scoring.STYLES) for s in CATALOG.situations}
    stored = score(CATALOG, answers, random_split(rng), styles).to_dict()
    assert ScoreResult.from_dict(json.loads(json.dumps(stored))).to_dict() == stored
    assert stored["instrument"] == 2


def test_a_first_instrument_result_reads_back_as_it_was_stored() -> None:
    axis = {
        "axis": "strategic", "position": 0.0, "band": 20.0, "answered": 30, "total": 30,
        "state": "balanced", "label": "balanced", "confidence": "moderate", "drivers": [],
    }  # fmt: skip
    v1 = {
        "skills": [], "strategic": axis, "leadership": {**axis, "axis": "leadership"},
        "quadrant": "tactical-ic", "closest": [], "answered": 51, "total": 51,
    }  # fmt: skip
    result = ScoreResult.from_dict(v1)
    assert result.instrument == 1 and result.flags == () and result.style is None
    assert result.quadrant == "tactical-ic"  # as stored ...
    assert reading.quadrant_of(result) == ""  # ... but the mislabelled centre is not shown
    assert reading.placement_summary(result) == "Near the centre of the map"


@given(st.lists(st.integers(1, 5), min_size=len(CATALOG.items), max_size=len(CATALOG.items)))
def test_reversing_every_answer_mirrors_the_position(values) -> None:
    answers = {i.id: v for i, v in zip(CATALOG.items, values, strict=True)}
    mirrored = {i: 6 - v for i, v in answers.items()}
    a, b = score(CATALOG, answers), score(CATALOG, mirrored)
    for axis in ("strategic", "leadership"):
        assert getattr(a, axis).position == pytest.approx(-getattr(b, axis).position, abs=1e-9)
        assert getattr(a, axis).band == pytest.approx(getattr(b, axis).band, abs=1e-9)


def test_the_worked_example_is_what_the_scoring_code_gives() -> None:
    rows, split, result = worked_example.example()
    assert len(rows) == len(worked_example.ANSWERS) and split == worked_example.WEEK
    assert result.strategic.state == scoring.BALANCED  # the example shows both readings
    assert result.leadership.state == scoring.PLACED


# --- the pure core stays pure --------------------------------------------------------------

CORE = [
    "scoring", "score_inputs", "score_result", "reading", "worked_example", "planning",
    "plan_draft", "plan_words", "charts", "ics", "item_analysis", "team_table", "comparison",
]  # fmt: skip


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_only_the_standard_library(module: str) -> None:
    tree = ast.parse((ROOT / "assessments" / f"{module}.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    core = {f"assessments.{m}" for m in CORE} | {"assessments"}
    for name in imported:
        assert name.split(".")[0] in sys.stdlib_module_names or name in core, name


def test_importing_the_core_loads_no_django() -> None:
    modules = ", ".join(f"assessments.{m}" for m in CORE)
    code = f"import sys; import {modules}; print(sorted(m for m in sys.modules if 'django' in m))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
