"""The transition-plan rules (assessments/planning.py): plain data in, plain data out."""

import json
from collections.abc import Callable, Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.planning import (
    HORIZONS,
    MAX_FOCUS,
    ActionSpec,
    AnsweredItem,
    PlanDraft,
    build_plan,
    default_target,
    next_title_up,
)
from assessments.scoring import ItemSpec, SkillScore, SkillSpec, TitleSpec

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
    current: TitleSpec | None = None,
    kind: str = "ic",
    **extra,
) -> PlanDraft:
    return build_plan(
        skills=[skill(slug, value) for slug, value in scores.items()],
        target=target,
        actions=generic_actions() if actions is None else actions,
        answers=answers,
        current=current,
        titles=LADDER,
        person_kind=kind,
        **extra,
    )


def answered(values: Mapping[str, int]) -> list[AnsweredItem]:
    by_id = {i.id: i for i in ITEMS}
    return [
        AnsweredItem(i, by_id[i].text, by_id[i].skill, by_id[i].key, v) for i, v in values.items()
    ]


# --- focus areas in sequence ------------------------------------------------------------------


TACTICAL_IC = {slug: (85 if slug in TACTICAL else 30) for slug in NAMES}


def test_at_most_three_focus_areas_in_sequence_largest_weighted_gap_first() -> None:
    draft = plan(TACTICAL_IC)
    assert len(draft.focus) == MAX_FOCUS == 3
    assert [f.phase for f in draft.focus] == [1, 2, 3]
    assert [f.weighted_gap for f in draft.focus] == sorted(
        (f.weighted_gap for f in draft.focus), reverse=True
    )
    for area in draft.focus:
        # The order is explained in one sentence, with the numbers the page shows.
        gap = round(area.expected - area.score)
        assert f"{gap} points below" in area.order_why
        assert f"= {round(area.weighted_gap)}" in area.order_why
        # Each area's main step lands by the end of its phase.
        assert area.actions[-1].horizon == HORIZONS[area.phase - 1]
    assert "your largest" in draft.focus[0].order_why


def test_a_later_area_may_start_with_a_small_step_in_the_phase_before() -> None:
    draft = plan(TACTICAL_IC)
    second = draft.focus[1]
    assert len(second.actions) == 2
    assert second.actions[0].horizon == 30 and second.actions[1].horizon == 60
    assert "small first step" in second.actions[0].why


def test_gaps_are_weighted_by_how_much_the_target_relies_on_the_skill() -> None:
    draft = plan({"product-analytics": 40, "vision-principles": 60, "hiring-staffing": 60})
    weights = {f.skill: f.weighted_gap for f in draft.focus}
    assert weights["product-analytics"] == pytest.approx(25 * 65 / 100)
    assert weights["vision-principles"] == pytest.approx(20 * 80 / 100)
    assert weights["hiring-staffing"] == pytest.approx(20 * 80 / 100)


def test_skills_without_a_score_are_left_out() -> None:
    draft = plan({"mentoring-coaching": None, "roadmapping": 10})
    assert [f.skill for f in draft.focus] == ["roadmapping"]


def test_a_result_above_every_expectation_has_no_gap_and_names_strengths() -> None:
    draft = plan(dict.fromkeys(NAMES, 100))
    assert draft.no_gap and draft.focus == ()
    assert {s.skill for s in draft.strengths} <= set(NAMES)
    assert all(s.score >= s.expected >= 50 for s in draft.strengths)


def test_strengths_are_only_skills_the_target_relies_on() -> None:
    draft = plan({"hands-on-execution": 90, "mentoring-coaching": 90})
    # Director expects 35 of hands-on execution: being far above it is not a strength.
    assert [s.skill for s in draft.strengths] == ["mentoring-coaching"]


# --- actions that fit the person ---------------------------------------------------------------


def sized_actions() -> list[ActionSpec]:
    """For each skill: a step anyone can take, an IC-sized and a leader-sized step, per
    horizon; and a let-go step for hands-on execution."""
    actions = []
    for slug in NAMES:
        for h in HORIZONS:
            actions.append(ActionSpec(f"{slug}-any-{h}", slug, None, h, "Any", "Do it."))
            actions.append(
                ActionSpec(f"{slug}-ic-{h}", slug, None, h, "IC", "Do it.", role_kind="ic")
            )
            actions.append(
                ActionSpec(f"{slug}-lead-{h}", slug, None, h, "Lead", "Do it.", role_kind="leader")
            )
    actions.append(
        ActionSpec(
            f"senior-{HORIZONS[0]}",
            "mentoring-coaching",
            None,
            30,
            "Senior",
            "x",
            role_kind="ic",
            min_level=3,
            max_level=4,
        )
    )
    actions.append(
        ActionSpec(
            "hands-on-let-go",
            "hands-on-execution",
            None,
            30,
            "Hand over the specs",
            "Pair for two sprints, then review only the outcome.",
            kind="let-go",
        )
    )
    return actions


def test_an_individual_contributor_is_never_asked_for_a_step_that_needs_reports() -> None:
    ic = plan(TACTICAL_IC, actions=sized_actions(), current=BY_SLUG["product-manager"])
    assert ic.actions and all(a.action_id.split("-")[-2] != "lead" for a in ic.actions)
    lead = plan(TACTICAL_IC, actions=sized_actions(), current=BY_SLUG["group-pm"], kind="leader")
    assert all("-ic-" not in a.action_id for a in lead.actions)


def test_actions_suit_the_persons_level() -> None:
    junior = plan(TACTICAL_IC, actions=sized_actions(), current=BY_SLUG["associate-pm"])
    senior = plan(TACTICAL_IC, actions=sized_actions(), current=BY_SLUG["senior-pm"])
    assert "senior-30" not in {a.action_id for a in junior.actions}
    ids = {a.action_id for a in senior.actions}
    assert "senior-30" in ids or "mentoring-coaching" not in {f.skill for f in senior.focus}


def test_a_strength_that_pulls_against_the_target_is_named_as_a_habit_to_let_go() -> None:
    scores = {**TACTICAL_IC, "hands-on-execution": 90}
    draft = plan(scores, actions=sized_actions(), current=BY_SLUG["senior-pm"])
    assert draft.let_go is not None and draft.let_go.skill == "hands-on-execution"
    assert "expected at 35" in draft.let_go.why
    assert draft.let_go.action.action_id in {a.action_id for a in draft.actions}
    assert "hands-on-execution" not in {s.skill for s in draft.strengths}
    modest = plan({**TACTICAL_IC, "hands-on-execution": 50}, actions=sized_actions())
    assert modest.let_go is None  # 15 above the expectation: not enough to pull against it


def test_more_than_one_rung_up_makes_the_next_rung_the_90_day_milestone() -> None:
    far = plan(TACTICAL_IC, current=BY_SLUG["product-manager"])
    assert far.milestone == "group-pm" and far.rungs == 2
    near = plan(TACTICAL_IC, target=BY_SLUG["group-pm"], current=BY_SLUG["senior-pm"])
    assert near.milestone == "" and near.rungs == 1


# --- why: several sources, never the same template twice -----------------------------------------


def test_why_sentences_come_from_different_sources() -> None:
    answers = answered({"mentoring-coaching-1": 2, "team-culture-1": 2, "hiring-staffing-1": 2})
    scores = {"mentoring-coaching": 20, "team-culture": 25, "hiring-staffing": 30}
    draft = plan(
        scores, answers=answers, current=BY_SLUG["senior-pm"],
        manager={"team-culture": (2, "Gives the team room to decide.")},
        style={"direct": 5, "coach": 1, "support": 1, "delegate": 0},
    )  # fmt: skip
    whys = {f.skill: f.why for f in draft.focus}
    assert whys["team-culture"].startswith("Your manager rated you 2/5 on ‘Gives the team room")
    assert whys["mentoring-coaching"].startswith("You rated yourself 2/5")
    assert whys["hiring-staffing"].startswith("In the situations you reached most for directing")
    assert len({" ".join(w.split()[:3]) for w in whys.values()}) == 3  # three templates


def test_why_quotes_your_lowest_answer_and_your_numbers() -> None:
    answers = answered({"mentoring-coaching-1": 2, "mentoring-coaching-3": 3})
    draft = plan({"mentoring-coaching": 35}, answers=answers)
    why = draft.focus[0].why
    assert "You rated yourself 2/5 on ‘I regularly coach other PMs.’" in why
    assert "expected at 80 in mentoring and coaching; you are at 35" in why


def test_why_says_when_agreeing_with_a_reverse_statement_counts_against_the_skill() -> None:
    answers = answered({"mentoring-coaching-2": 5})
    why = plan({"mentoring-coaching": 0}, answers=answers).focus[0].why
    assert "which counts against this skill" in why


def test_why_uses_the_numbers_alone_without_answers_to_quote() -> None:
    why = plan({"roadmapping": 50}).focus[0].why
    assert why.startswith("A Director of PM is expected at 85 in roadmapping; you are at 50")


def test_a_mostly_delegating_style_adds_regular_check_ins() -> None:
    actions = [*sized_actions(), ActionSpec("check-ins", "team-culture", None, 60, "Check in",
                                            "Weekly.", practice="regular-check-ins")]  # fmt: skip
    draft = plan(TACTICAL_IC, actions=actions, style={"delegate": 5, "coach": 2})
    assert draft.practice is not None and draft.practice.action_id == "check-ins"
    assert "handed the work over" in draft.practice.why
    assert plan(TACTICAL_IC, actions=actions, style={"coach": 5}).practice is None


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
                role_kind=st.sampled_from(["", "ic", "leader"]),
            ),
            max_size=40,
        )
    )
    return {"skills": skills, "target": target, "actions": actions, "answers": []}


@given(plan_inputs())
def test_actions_never_repeat_and_suit_the_track_and_the_person(inputs: dict) -> None:
    draft = build_plan(**inputs)
    ids = [a.action_id for a in draft.actions]
    assert len(ids) == len(set(ids))
    for area in draft.focus:
        assert len(area.actions) <= 2
        for action in area.actions:
            assert action.skill == area.skill
            assert any(
                a.id == action.action_id
                and a.skill == action.skill
                and a.track in (None, inputs["target"].track)
                and a.role_kind in ("", "ic")
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
    assert [f.phase for f in draft.focus] == list(range(1, len(focus) + 1))
    assert all(gaps[slug] > 0 for slug in focus)
    left_out = [g for slug, g in gaps.items() if slug not in focus and g > 0]
    if left_out:
        assert len(focus) == MAX_FOCUS
        assert max(left_out) <= min(gaps[slug] for slug in focus)
    assert draft.no_gap == (not focus)
    for strength in draft.strengths:
        assert strength.score >= strength.expected >= 50
