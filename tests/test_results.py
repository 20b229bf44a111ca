"""Results, history, comparison, sharing, personal data export and account deletion."""

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from assessments.models import Answer, Assessment, Plan, PlanItem
from roles.models import Question, Skill, SkillGroup
from tests import factories

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12  # per page (tests/test_query_budgets.py)


def result_url(assessment):
    return reverse("assessments:result", args=[assessment.pk])


# --- the result page ----------------------------------------------------------------------


def test_result_page_shows_the_map_profile_reasons_and_closest_title(client, alice, catalog):
    done = factories.submitted(alice, factories.leaning(strategic=-1, leadership=-1))
    client.force_login(alice)
    response = client.get(result_url(done))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    html = response.content.decode()
    assert "Tactical individual contributor" in html
    assert 'role="img"' in html and '<title id="result-map-title">' in html
    assert "You lean clearly tactical" in html
    assert "Skill profile" in html and "Backlog and delivery" in html
    assert "Why you are here" in html
    assert f"Closest title: {done.closest_title_name}" in html
    # Every title of the catalog appears as a reference point on the map.
    for name in ("Associate PM", "Director of PM", "CPO"):
        assert name in html


def test_a_result_near_the_middle_is_described_as_such(client, alice, catalog):
    done = factories.submitted(alice)  # every answer neutral
    client.force_login(alice)
    html = client.get(result_url(done)).content.decode()
    assert "Near the centre of the map" in html
    assert "balanced" in html


def test_why_you_are_here_lists_the_persons_own_answers(client, alice, catalog):
    done = factories.submitted(alice, factories.leaning(strategic=1, leadership=1))
    client.force_login(alice)
    html = client.get(result_url(done)).content.decode()
    strongest = done.result["score"]["strategic"]["drivers"][0]
    assert strongest["text"].replace("'", "&#x27;") in html
    assert f"answered {strongest['value']}/5" in html


def test_an_axis_with_too_few_answers_reads_not_enough_answers(client, alice, catalog):
    """The page copes with a result resting on too few answers, even though the questionnaire
    itself asks for every answer before submitting: a stored result scored on the first 35 of
    the 64 statements stands in for one. Each axis counts its own pole statements (7 a pole):
    8 of the 14 strategic/tactical ones and 7 of the 14 leader/IC ones are answered, and a
    pole under 80% leaves its axis unplaced."""
    from assessments import services

    done = factories.submitted(alice)
    current = services.catalog()
    skills, titles = services.skill_specs(current), services.title_specs(current)
    answers = list(done.answers.order_by("question_code"))[:35]
    score = services.score_answers(answers, current.questions, skills, titles)
    assert score.strategic.position is None and score.leadership.position is None
    assert score.quadrant == "" and (score.answered, score.total) == (35, 64)
    Assessment.objects.filter(pk=done.pk).update(
        result=services.result_snapshot(score, skills, titles, current.group_names),
        strategic=None,
        leadership=None,
        quadrant="",
    )
    client.force_login(alice)
    html = client.get(result_url(done)).content.decode()
    assert "Not enough answers to place you on this axis (8 of 14 statements answered)" in html
    assert "Not enough answers to place you on this axis (7 of 14 statements answered)" in html
    assert "Not placed yet: too few answers" in html
    assert 'class="you-point"' not in html


def test_the_trail_shows_earlier_results(client, alice, catalog):
    factories.submitted(alice, factories.leaning(-1, -1))
    latest = factories.submitted(alice, factories.leaning(1, 1))
    client.force_login(alice)
    response = client.get(result_url(latest))
    assert len(response.context["trail_rows"]) == 1
    assert 'class="trail-line"' in response.content.decode()


def test_result_page_queries_do_not_grow_with_past_assessments(
    client, alice, catalog, django_assert_max_num_queries
):
    """The same number of queries with one past result or seven, both on a first visit
    (which draws the body) and on a later one (which serves the drawn body)."""
    first = factories.submitted(alice)
    client.force_login(alice)
    client.get(reverse("assessments:history"))  # the first request after sign-in writes the session

    def visits(url):
        # the session, the person and "has reports"; the result with its plan and closest
        # title; that title's responsibilities; the manager it is shared with (named on the
        # page); the trail; a first visit also reads the stored result (8, then 7)
        with django_assert_max_num_queries(QUERY_BUDGET) as cold:
            client.get(url)
        with django_assert_max_num_queries(QUERY_BUDGET) as warm:
            client.get(url)
        return len(cold.captured_queries), len(warm.captured_queries)

    few = visits(result_url(first))
    for _ in range(6):
        latest = factories.submitted(alice)
    many = visits(result_url(latest))
    assert many == few
    assert few[1] < few[0]


# --- visibility (PRODUCT.md table) -------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, alice, catalog):
    done = factories.submitted(alice)
    for url in (result_url(done), reverse("assessments:history"), reverse("account_export")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_subject_sees_their_own_result(client, alice, catalog):
    done = factories.submitted(alice)
    client.force_login(alice)
    assert client.get(result_url(done)).status_code == 200


def test_the_manager_sees_a_shared_result(client, alice, bob, catalog):
    done = factories.submitted(alice, shared=True)
    client.force_login(bob)
    response = client.get(result_url(done))
    assert response.status_code == 200
    assert "Alice Product" in response.content.decode()
    assert response.context["plan"] is None  # progress only, on the team page


def test_the_manager_gets_a_404_for_an_unshared_result(client, alice, bob, catalog):
    done = factories.submitted(alice, shared=False)
    client.force_login(bob)
    assert client.get(result_url(done)).status_code == 404


def test_the_manager_never_sees_a_draft(client, alice, bob, catalog):
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    client.force_login(bob)
    assert client.get(result_url(draft)).status_code == 404
    assert client.get(reverse("assessments:page", args=[draft.pk, 1])).status_code == 404


def test_anyone_else_gets_a_404(client, alice, charlie, dave, catalog):
    done = factories.submitted(alice, shared=True)
    for intruder in (charlie, dave):
        client.force_login(intruder)
        assert client.get(result_url(done)).status_code == 404


def test_a_former_manager_loses_access_at_once(client, alice, bob, charlie, catalog):
    done = factories.submitted(alice, shared=True)
    client.force_login(bob)
    assert client.get(result_url(done)).status_code == 200
    alice.manager = charlie
    alice.save()
    assert client.get(result_url(done)).status_code == 404


def test_staff_with_the_permission_see_everything(client, alice, staff, catalog):
    done = factories.submitted(alice, shared=False)
    client.force_login(staff)
    assert client.get(result_url(done)).status_code == 200


def test_staff_without_the_permission_see_nothing(client, alice, catalog):
    plain_staff = factories_user("plainstaff@example.com", is_staff=True)
    done = factories.submitted(alice)
    client.force_login(plain_staff)
    assert client.get(result_url(done)).status_code == 404


def factories_user(email, **extra):
    from tests.conftest import make_user

    return make_user(email, email.split("@")[0].title(), **extra)


# --- sharing -------------------------------------------------------------------------------


def test_sharing_can_be_changed_later_by_the_subject_only(client, alice, bob, dave, catalog):
    done = factories.submitted(alice, shared=True)
    url = reverse("assessments:sharing", args=[done.pk])
    for intruder in (bob, dave):
        client.force_login(intruder)
        assert client.post(url, {"shared": "no"}).status_code == 404
    done.refresh_from_db()
    assert done.shared_with_manager is True
    client.force_login(alice)
    assert client.get(url).status_code == 405
    assert client.post(url, {"shared": "maybe"}).status_code == 400
    assert client.post(url, {"shared": "no", "user": "1"}).status_code == 400
    done.refresh_from_db()
    assert done.shared_with_manager is True
    response = client.post(url, {"shared": "no"})
    assert response.url == result_url(done)
    done.refresh_from_db()
    assert done.shared_with_manager is False
    client.force_login(bob)
    assert client.get(result_url(done)).status_code == 404


def test_the_result_page_states_who_can_see_it(client, alice, catalog):
    done = factories.submitted(alice, shared=True)
    client.force_login(alice)
    html = client.get(result_url(done)).content.decode()
    assert "Your manager, Bob Manager, can see this result" in html
    factories.submitted(alice, shared=False)
    latest = Assessment.objects.filter(subject=alice).order_by("-submitted_at").first()
    assert "Only you can see this result" in client.get(result_url(latest)).content.decode()


# --- catalog edits never change a submitted result --------------------------------------


def test_editing_the_catalog_after_submission_changes_nothing_on_the_result(client, alice, catalog):
    """Rewording a statement, moving it to the other pole of its axis, reversing another's key,
    renaming a skill and deleting a statement: the submitted result reads exactly as before."""
    done = factories.submitted(alice, factories.leaning(strategic=1, leadership=-1))
    client.force_login(alice)
    client.get(result_url(done))
    before = _without_tokens(client.get(result_url(done)))
    named = done.result["score"]["strategic"]["drivers"][0]  # a statement the page names
    question = Question.objects.get(code=named["item_id"])
    old_text = question.text
    question.text = "A completely different statement"
    # The other pole of the same axis: the same answer would now pull the other way.
    question.pole = {"strategic": "tactical", "tactical": "strategic"}[question.pole]
    question.save()
    reverse_keyed = Question.objects.filter(pole="", key=1).order_by("order").first()
    reverse_keyed.key = -1
    reverse_keyed.save()
    Skill.objects.filter(pk=question.skill_id).update(name="Renamed skill")
    untouched = Question.objects.exclude(pk__in=[question.pk, reverse_keyed.pk])
    deleted = untouched.order_by("order").first()
    deleted_text = deleted.text
    deleted.delete()
    after = _without_tokens(client.get(result_url(done)))
    done.refresh_from_db()
    assert after == before
    assert old_text.replace("'", "&#x27;") in after or old_text in after
    assert "A completely different statement" not in after and "Renamed skill" not in after
    assert done.answers.filter(text=deleted_text).exists()
    # A new assessment uses the new wording.
    new = factories.draft_for(alice)
    number = list(SkillGroup.objects.order_by("order")).index(question.skill.group) + 1
    html = client.get(reverse("assessments:page", args=[new.pk, number])).content.decode()
    assert "A completely different statement" in html


def _without_tokens(response) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _text(html: str) -> str:
    """What a reader sees: the text between tags."""
    import re

    return " ".join(re.findall(r">([^<]*)<", html))


def test_negative_numbers_read_with_a_minus_sign_not_a_hyphen(client, alice, catalog):
    import re

    older = factories.submitted(alice, factories.leaning(1, 1))
    done = factories.submitted(alice, factories.leaning(-1, -1))
    assert done.strategic < -1 and done.leadership < -1
    client.force_login(alice)
    pages = {
        "result": client.get(result_url(done)),
        "history": client.get(reverse("assessments:history")),
        "compare": client.get(reverse("assessments:compare"), {"a": older.pk, "b": done.pk}),
    }
    for name, response in pages.items():
        text = _text(response.content.decode())
        assert not re.search(r"(?<![\w-])-\d", text), f"{name}: a hyphen for a minus sign"
        assert f"\u2212{round(-done.strategic)}" in text, name
    sentence = pages["result"].context["axes"][0]["sentence"]
    assert sentence.endswith(f"at \u2212{round(-done.strategic)}.")


# --- history and compare -------------------------------------------------------------------


def test_history_lists_results_and_offers_a_comparison(client, alice, catalog):
    older = factories.submitted(alice, factories.leaning(-1, -1))
    newer = factories.submitted(alice, factories.leaning(1, 1))
    client.force_login(alice)
    html = client.get(reverse("assessments:history")).content.decode()
    assert result_url(older) in html and result_url(newer) in html
    response = client.get(reverse("assessments:compare"), {"a": older.pk, "b": newer.pk})
    assert response.status_code == 200
    axes = response.context["axes"]
    assert axes[0]["change"] == pytest.approx(newer.strategic - older.strategic, abs=0.02)
    assert axes[1]["change"] > 0
    assert any(r["change"] and r["change"] > 0 for r in response.context["rows"])


def test_compare_refuses_someone_elses_result(client, alice, dave, catalog):
    mine = factories.submitted(dave)
    theirs = factories.submitted(alice)
    client.force_login(dave)
    response = client.get(reverse("assessments:compare"), {"a": mine.pk, "b": theirs.pk})
    assert response.status_code == 404
    assert (
        client.get(reverse("assessments:compare"), {"a": "nonsense", "b": mine.pk}).status_code
        == 404
    )


# --- personal data --------------------------------------------------------------------------


def test_export_downloads_all_own_data_and_nothing_about_anyone_else(client, alice, bob, catalog):
    mine = factories.submitted(alice, factories.leaning(1, -1))
    factories.submitted(bob)  # someone else's result
    client.force_login(alice)
    response = client.get(reverse("account_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.com"
    [exported] = data["assessments"]
    assert exported["id"] == str(mine.pk)
    assert exported["strategic"] == pytest.approx(mine.strategic)
    assert exported["leadership"] == pytest.approx(mine.leadership)
    assert len(exported["answers"]) == Question.objects.filter(active=True).count() == 64
    assert data["plans"][0]["assessment"] == str(mine.pk)
    text = response.content.decode()
    assert "bob@example.com" not in text and "Bob Manager" not in text


def test_deleting_the_account_needs_the_password_and_removes_everything(client, alice, catalog):
    factories.submitted(alice)
    factories.draft_for(alice)
    client.force_login(alice)
    url = reverse("account_delete")
    response = client.post(url, {"password": "wrong", "confirm": "on"})
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    response = client.post(url, {"password": "correct horse battery staple", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Assessment.objects.filter(subject_id=alice.pk).exists()
    assert not Answer.objects.exists()
    assert not Plan.objects.exists() and not PlanItem.objects.exists()
    assert User.objects.filter(email="bob@example.com").exists()
    assert "_auth_user_id" not in client.session


def test_the_skill_profile_shows_each_axis_as_the_difference_of_its_two_ends(
    client, alice, catalog
):
    """Each axis's two ends are its own pole statements; their difference, blended with the
    week's own position, is the position the page shows."""
    from assessments.scoring import TIME_WEIGHT

    done = factories.submitted(alice, factories.leaning(strategic=1, leadership=-1))
    client.force_login(alice)
    response = client.get(result_url(done))
    poles = response.context["poles"]
    assert [p["axis"].axis for p in poles] == ["strategic", "leadership"]
    positions = (done.strategic, done.leadership)
    for pole, position, toward_high in zip(poles, positions, (1, -1), strict=True):
        axis = pole["axis"]
        high, low = pole["bars"][0].score, pole["bars"][1].score
        assert pole["difference"] == pytest.approx(axis.statements, abs=0.01)
        assert pole["difference"] == pytest.approx(high - low, abs=1)
        assert toward_high * (high - low) > 0
        blended = (1 - TIME_WEIGHT) * pole["difference"] + TIME_WEIGHT * axis.time
        assert blended == pytest.approx(position, abs=0.01)
    html = response.content.decode()
    assert "Strategic statements" in html and "Tactical statements" in html
    assert "People leader statements" in html and "Individual contributor statements" in html
    assert "Strategic skills" not in html  # the first instrument's reading, not this one's


def test_a_stored_result_keeps_exactly_the_answers_its_page_names(client, alice, catalog):
    """Submitting stores only the drivers the page shows, and they are the ones a result
    stored with every driver (as results were before) shows."""
    from assessments import scoring, services
    from assessments.reading import drivers_by_side

    done = factories.submitted(alice, factories.leaning(strategic=1, leadership=-1))
    client.force_login(alice)
    page = client.get(result_url(done)).content.decode()
    current = services.catalog()
    full = services.score_answers(
        list(done.answers.all()),
        current.questions,
        services.skill_specs(current),
        services.title_specs(current),
    )
    stored = scoring.ScoreResult.from_dict(done.result["score"])
    for axis in ("strategic", "leadership"):
        kept = getattr(stored, axis).drivers
        assert 0 < len(kept) <= 2 * services.DRIVERS_PER_SIDE < len(getattr(full, axis).drivers)
        shown, shown_full = (
            drivers_by_side(getattr(stored, axis)),
            drivers_by_side(getattr(full, axis)),
        )
        for side in ("high", "low"):
            assert [d.item_id for d in shown[side]] == [d.item_id for d in shown_full[side]]
        for d in kept:
            assert escape(d.text) in page
