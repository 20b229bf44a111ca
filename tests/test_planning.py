"""The transition-plan rules (assessments/planning.py): plain data in, plain data out."""

import json
from collections.abc import Callable, Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import planning
from assessments.planning import (
    HORIZONS,
    MAX_FOCUS,
    MAX_PER_HORIZON,
    MIN_FOCUS,
    ActionSpec,
    AnsweredItem,
    PlanDraft,
    build_plan,
    default_target,
    next_title_up,
)
from assessments.scoring import CatalogSpec, ItemSpec, SkillScore, SkillSpec, TitleSpec, score

IC, LEAD = "product-management", "product-leadership"

# slug, name, group
SKILLS = (
    SkillSpec("backlog-delivery", "Backlog and delivery", "delivery"),
    SkillSpec("hands-on-execution", "Hands-on execution", "delivery"),
    SkillSpec("product-analytics", "Product analytics", "delivery"),
    SkillSpec("vision-principles", "Vision and principles", "strategy"),
    SkillSpec("roadmapping", "Roadmapping", "strategy"),
    SkillSpec("stakeholder-alignment", "Stakeholder alignment", "influence"),
    SkillSpec("mentoring-coaching", "Mentoring and coaching", "people"),
    SkillSpec("hiring-staffing", "Hiring and staffing", "people"),
    SkillSpec("team-culture", "Team culture and empowerment", "people"),
)
TACTICAL = {"backlog-delivery", "hands-on-execution", "product-analytics"}
NAMES = {s.slug: s.name for s in SKILLS}
STATEMENTS = {
    "mentoring-coaching": (
        "I regularly coach other PMs.",
        "I would rather do the work myself than teach someone else to do it.",
        "People ask me for career advice.",
    ),
}
ITEMS = tuple(
    ItemSpec(
        f"{s.slug}-{n}",
        s.slug,
        -1 if n == 2 else 1,
        STATEMENTS.get(s.slug, ("", "", ""))[n - 1] or f"Statement {n} on {s.name}.",
    )
    for s in SKILLS
    for n in (1, 2, 3)
)


def title(slug: str, track: str, level: int, name: str = "", **expected: int) -> TitleSpec:
    return TitleSpec(slug, name or slug, track, level, 0, 0, expected)


DIRECTOR = TitleSpec(
    "director-pm",
    "Director of PM",
    LEAD,
    4,
    30,
    30,
    {
        "backlog-delivery": 45,
        "hands-on-execution": 35,
        "product-analytics": 65,
        "vision-principles": 80,
        "roadmapping": 85,
        "stakeholder-alignment": 85,
        "mentoring-coaching": 80,
        "hiring-staffing": 80,
        "team-culture": 85,
    },
)
LADDER = (
    title("associate-pm", IC, 1),
    title("product-manager", IC, 2),
    title("senior-pm", IC, 3),
    title("principal-pm", IC, 4),
    title("group-pm", LEAD, 3),
    DIRECTOR,
    title("vp-product", LEAD, 5),
    title("cpo", LEAD, 6),
)
BY_SLUG = {t.slug: t for t in LADDER}


def skill(slug: str, value: float | None) -> SkillScore:
    return SkillScore(slug, NAMES.get(slug, slug), "g", value, 0 if value is None else 3, 3)


def generic_actions(slugs: list[str] | None = None) -> list[ActionSpec]:
    """One generic action per skill and horizon, as the real catalog has."""
    return [
        ActionSpec(f"{slug}-{h}", slug, None, h, f"Step for {slug} ({h})", "Do it.")
        for slug in slugs or NAMES
        for h in HORIZONS
    ]


def plan(
    scores: Mapping[str, float | None],
    target: TitleSpec = DIRECTOR,
    actions: list[ActionSpec] | None = None,
    answers: Sequence[AnsweredItem] = (),
) -> PlanDraft:
    return build_plan(
        skills=[skill(slug, value) for slug, value in scores.items()],
        target=target,
        actions=generic_actions() if actions is None else actions,
        answers=answers,
    )


def answered(values: Mapping[str, int]) -> list[AnsweredItem]:
    by_id = {i.id: i for i in ITEMS}
    return [
        AnsweredItem(i, by_id[i].text, by_id[i].skill, by_id[i].key, v) for i, v in values.items()
    ]


# --- focus areas ---------------------------------------------------------------------------


def test_a_tactical_ic_aiming_at_director_focuses_on_leadership_and_strategy_first() -> None:
    catalog = CatalogSpec(SKILLS, ITEMS, (DIRECTOR,))
    values = {}
    for item in ITEMS:
        u = 1 if item.skill in TACTICAL else -0.5  # high on delivery, low on the rest
        values[item.id] = int(3 + 2 * u * item.key)
    result = score(catalog, values)

    draft = build_plan(
        skills=result.skills, target=DIRECTOR, actions=generic_actions(), answers=answered(values)
    )

    focus = [f.skill for f in draft.focus]
    assert len(focus) == MAX_FOCUS
    assert not set(focus) & TACTICAL
    # The director relies most (85) on roadmapping, stakeholders and culture: those weigh most.
    assert focus[:3] == ["roadmapping", "stakeholder-alignment", "team-culture"]
    weighted = [f.weighted_gap for f in draft.focus]
    assert weighted == sorted(weighted, reverse=True)
    # Delivery and hands-on work are above expectation too, but a director relies on them less.
    assert [s.skill for s in draft.strengths] == ["product-analytics"]
    assert not draft.no_gap


def test_gaps_are_weighted_by_how_much_the_target_relies_on_the_skill() -> None:
    target = title("t", LEAD, 4, **{"roadmapping": 90, "hiring-staffing": 40})
    # Hiring has the larger raw gap (40 vs 30) but the target relies on roadmapping more.
    draft = plan({"roadmapping": 60, "hiring-staffing": 0}, target=target)
    assert [(f.skill, f.gap, f.weighted_gap) for f in draft.focus] == [
        ("roadmapping", 30, 27),
        ("hiring-staffing", 40, 16),
    ]


def test_focus_takes_the_top_three_and_a_fourth_and_fifth_only_from_five_points() -> None:
    expected = dict.fromkeys(NAMES, 100)
    target = title("t", LEAD, 4, **expected)
    scores = {
        "vision-principles": 10,  # weighted gap 90
        "roadmapping": 50,  # 50
        "mentoring-coaching": 98,  # 2: still top three
        "hiring-staffing": 99,  # 1: fourth, under 5
        "team-culture": 100,
    }
    assert [f.skill for f in plan(scores, target=target).focus] == [
        "vision-principles",
        "roadmapping",
        "mentoring-coaching",
    ]
    scores.update({"hiring-staffing": 95, "team-culture": 94, "backlog-delivery": 93})
    assert [f.skill for f in plan(scores, target=target).focus] == [
        "vision-principles",
        "roadmapping",
        "backlog-delivery",
        "team-culture",
        "hiring-staffing",
    ]


def test_equal_weighted_gaps_go_to_the_larger_expectation_then_the_slug() -> None:
    target = title("t", LEAD, 4, **{"roadmapping": 50, "team-culture": 100, "hiring-staffing": 100})
    # All weighted gaps are 25: roadmapping 50 × 50%, the others 25 × 100%.
    draft = plan({"roadmapping": 0, "team-culture": 75, "hiring-staffing": 75}, target=target)
    assert [f.skill for f in draft.focus] == ["hiring-staffing", "team-culture", "roadmapping"]


def test_skills_without_a_score_are_left_out() -> None:
    draft = plan({"mentoring-coaching": None, "roadmapping": 10})
    assert [f.skill for f in draft.focus] == ["roadmapping"]


def test_a_result_above_every_expectation_has_no_gap_and_names_strengths() -> None:
    draft = plan(dict.fromkeys(NAMES, 90))
    assert draft.no_gap
    assert draft.focus == ()
    assert draft.actions == ()
    # Backlog (45) and hands-on work (35) are not skills a director relies on.
    assert [s.skill for s in draft.strengths] == [
        "product-analytics",  # 25 above
        "hiring-staffing",  # 10 above, ties broken by slug
        "mentoring-coaching",
        "vision-principles",
        "roadmapping",  # 5 above
    ]
    assert draft.strengths[0].why == (
        "You are at 90 where a Director of PM is expected at 65: a strength to build on."
    )


def test_strengths_are_only_skills_the_target_relies_on() -> None:
    target = title("t", LEAD, 4, **{"roadmapping": 49, "hiring-staffing": 50})
    draft = plan({"roadmapping": 100, "hiring-staffing": 50}, target=target)
    assert [s.skill for s in draft.strengths] == ["hiring-staffing"]


# --- actions -------------------------------------------------------------------------------


def test_each_focus_area_gets_one_action_per_horizon_in_order() -> None:
    draft = plan({"mentoring-coaching": 35})
    (area,) = draft.focus
    assert [(a.action_id, a.horizon) for a in area.actions] == [
        ("mentoring-coaching-30", 30),
        ("mentoring-coaching-60", 60),
        ("mentoring-coaching-90", 90),
    ]
    assert [a.why for a in area.actions] == [
        "Closes part of your 45-point gap in mentoring and coaching by day 30.",
        "Closes more of your 45-point gap in mentoring and coaching by day 60.",
        "Closes more of your 45-point gap in mentoring and coaching by day 90.",
    ]


def test_track_specific_actions_are_preferred_and_other_track_actions_left_out() -> None:
    actions = [
        ActionSpec("coach-generic-30", "mentoring-coaching", None, 30, "Generic", "."),
        ActionSpec("coach-lead-30", "mentoring-coaching", LEAD, 30, "For leaders", "."),
        ActionSpec("coach-ic-60", "mentoring-coaching", IC, 60, "For ICs", "."),
        ActionSpec("coach-generic-90", "mentoring-coaching", None, 90, "Generic", "."),
    ]
    draft = plan({"mentoring-coaching": 35}, actions=actions)
    assert [a.action_id for a in draft.actions] == ["coach-lead-30", "coach-generic-90"]

    ic_target = title("senior-pm", IC, 3, **{"mentoring-coaching": 80})
    draft = plan({"mentoring-coaching": 35}, target=ic_target, actions=actions)
    assert [a.action_id for a in draft.actions] == [
        "coach-generic-30",
        "coach-ic-60",
        "coach-generic-90",
    ]


def test_the_same_action_never_appears_twice() -> None:
    shared = [
        ActionSpec("shared-30", slug, None, 30, "Shared step", ".")
        for slug in ("roadmapping", "team-culture")
    ]
    draft = plan({"roadmapping": 0, "team-culture": 0}, actions=shared)
    # Equal gaps and expectations: roadmapping ranks first by slug and takes the step.
    assert [(a.action_id, a.skill) for a in draft.actions] == [("shared-30", "roadmapping")]


def test_lower_ranked_focus_areas_lose_actions_first_when_a_horizon_is_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(planning, "MAX_PER_HORIZON", 2)
    draft = plan({"team-culture": 0, "roadmapping": 10, "mentoring-coaching": 20})
    assert [f.skill for f in draft.focus] == ["team-culture", "roadmapping", "mentoring-coaching"]
    assert [len(f.actions) for f in draft.focus] == [3, 3, 0]


def test_plan_actions_run_by_horizon_then_focus_rank() -> None:
    draft = plan({"team-culture": 0, "roadmapping": 10})
    assert [a.action_id for a in draft.actions] == [
        "team-culture-30",
        "roadmapping-30",
        "team-culture-60",
        "roadmapping-60",
        "team-culture-90",
        "roadmapping-90",
    ]


# --- why -----------------------------------------------------------------------------------


def test_why_quotes_your_lowest_answer_and_your_numbers() -> None:
    answers = answered(
        {"mentoring-coaching-1": 2, "mentoring-coaching-2": 3, "mentoring-coaching-3": 3}
    )
    # Keyed u: −0.5, 0, 0; score 50 × (1 − 0.5 / 3) = 41.67.
    (area,) = plan({"mentoring-coaching": 41.67}, answers=answers).focus
    assert area.why == (
        "You rated yourself 2/5 on ‘I regularly coach other PMs.’ A Director of PM is "
        "expected at 80 in mentoring and coaching; you are at 42, which leaves 38 points of "
        "room to grow."
    )


def test_why_says_when_agreeing_with_a_reverse_statement_counts_against_the_skill() -> None:
    answers = answered(
        {"mentoring-coaching-1": 3, "mentoring-coaching-2": 5, "mentoring-coaching-3": 4}
    )
    (area,) = plan({"mentoring-coaching": 50}, answers=answers).focus
    assert area.why.startswith(
        "You rated yourself 5/5 on ‘I would rather do the work myself than teach someone else "
        "to do it’, which counts against this skill. A Director of PM is expected at 80"
    )


def test_why_uses_the_numbers_alone_without_answers_to_quote() -> None:
    (area,) = plan({"mentoring-coaching": 35}).focus
    assert area.why == (
        "A Director of PM is expected at 80 in mentoring and coaching; you are at 35, "
        "which leaves 45 points of room to grow."
    )


def test_why_ignores_answers_to_other_skills() -> None:
    answers = answered({"roadmapping-1": 1, "mentoring-coaching-3": 4})
    (area,) = plan({"mentoring-coaching": 75}, answers=answers).focus
    assert area.why.startswith("You rated yourself 4/5 on ‘People ask me for career advice.’")


# --- targets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (None, "group-pm"),
        ("associate-pm", "group-pm"),
        ("senior-pm", "group-pm"),
        ("principal-pm", "director-pm"),
        ("group-pm", "director-pm"),
        ("vp-product", "cpo"),
        ("cpo", "cpo"),
    ],
)
def test_the_default_target_is_the_next_rung_on_the_leadership_track(
    current: str | None, expected: str
) -> None:
    now = BY_SLUG[current] if current else None
    assert default_target(now, LADDER, LEAD).slug == expected


def test_an_ic_above_every_leadership_level_aims_at_the_top_leadership_title() -> None:
    distinguished = title("distinguished-pm", IC, 9)
    assert default_target(distinguished, LADDER, LEAD).slug == "cpo"


def test_a_catalog_without_leadership_titles_has_no_default_target() -> None:
    with pytest.raises(ValueError):
        default_target(None, LADDER[:4], LEAD)


def test_next_title_up_stays_on_the_track_and_stops_at_the_top() -> None:
    assert next_title_up(BY_SLUG["senior-pm"], LADDER).slug == "principal-pm"
    assert next_title_up(BY_SLUG["director-pm"], LADDER).slug == "vp-product"
    assert next_title_up(BY_SLUG["principal-pm"], LADDER) is None
    assert next_title_up(BY_SLUG["cpo"], LADDER) is None


# --- round trip ----------------------------------------------------------------------------


def test_a_plan_survives_the_round_trip_through_json() -> None:
    answers = answered({"mentoring-coaching-1": 2, "roadmapping-2": 4})
    draft = plan({slug: 100 / 3 if slug in TACTICAL else 40 for slug in NAMES}, answers=answers)
    data = draft.to_dict()
    assert json.loads(json.dumps(data)) == data
    restored = PlanDraft.from_dict(data)
    assert restored.to_dict() == data
    assert PlanDraft.from_dict(restored.to_dict()) == restored
    assert restored.actions == tuple(a for a in draft.actions)


def test_a_plan_stored_without_its_actions_keeps_everything_else() -> None:
    draft = plan({slug: 100 / 3 if slug in TACTICAL else 40 for slug in NAMES})
    assert draft.actions, "the check needs a plan with actions"
    data = draft.to_dict(actions=False)
    assert all(area["actions"] == [] for area in data["focus"])
    restored = PlanDraft.from_dict(data)
    assert restored.actions == ()
    full = draft.to_dict()
    for area in full["focus"]:
        area["actions"] = []
    assert restored.to_dict() == full


# --- properties ----------------------------------------------------------------------------


@st.composite
def plan_inputs(draw: Callable) -> dict:
    slugs = [f"s{k}" for k in range(draw(st.integers(1, 9)))]
    skills = [SkillScore(s, s, "g", draw(st.none() | st.floats(0, 100)), 3, 3) for s in slugs]
    target = TitleSpec(
        "t", "Target", draw(st.sampled_from([IC, LEAD])), 3, 0, 0,
        {s: draw(st.integers(0, 100)) for s in slugs},
    )  # fmt: skip
    actions = draw(
        st.lists(
            st.builds(
                ActionSpec,
                id=st.sampled_from([f"a{n}" for n in range(12)]),  # ids may repeat
                skill=st.sampled_from(slugs),
                track=st.sampled_from([None, IC, LEAD]),
                horizon=st.sampled_from(HORIZONS),
                title=st.just("Step"),
                description=st.just("Do it."),
            ),
            max_size=40,
        )
    )
    return {"skills": skills, "target": target, "actions": actions, "answers": []}


@given(plan_inputs())
def test_actions_never_repeat_never_overflow_a_horizon_and_suit_the_track(inputs: dict) -> None:
    draft = build_plan(**inputs)
    ids = [a.action_id for a in draft.actions]
    assert len(ids) == len(set(ids))
    for horizon in HORIZONS:
        assert sum(a.horizon == horizon for a in draft.actions) <= MAX_PER_HORIZON
    for area in draft.focus:
        horizons = [a.horizon for a in area.actions]
        assert horizons == sorted(set(horizons))
        for action in area.actions:
            assert action.skill == area.skill
            assert any(
                a.id == action.action_id
                and a.skill == action.skill
                and a.horizon == action.horizon
                and a.track in (None, inputs["target"].track)
                for a in inputs["actions"]
            )


@given(plan_inputs())
def test_focus_areas_are_the_largest_weighted_gaps(inputs: dict) -> None:
    draft = build_plan(**inputs)
    expected = inputs["target"].expectations
    gaps = {
        s.slug: max(0, expected[s.slug] - s.score) * expected[s.slug] / 100
        for s in inputs["skills"]
        if s.score is not None
    }
    focus = [f.skill for f in draft.focus]
    assert len(focus) <= MAX_FOCUS
    assert all(f.weighted_gap >= 5 for f in draft.focus[MIN_FOCUS:])
    assert all(gaps[slug] > 0 for slug in focus)
    assert [f.weighted_gap for f in draft.focus] == sorted(
        (f.weighted_gap for f in draft.focus), reverse=True
    )
    left_out = [g for slug, g in gaps.items() if slug not in focus and g > 0]
    if left_out:
        assert len(focus) >= MIN_FOCUS
        assert max(left_out) <= min(gaps[slug] for slug in focus)
        assert len(focus) == MAX_FOCUS or max(left_out) < planning.EXTRA_FOCUS_MIN_WEIGHTED_GAP
    assert draft.no_gap == (not focus)
    for strength in draft.strengths:
        assert strength.score >= strength.expected >= 50
