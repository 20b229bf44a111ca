"""The questionnaire: start, paged answering, save and resume, tampering, submit, double submit."""

import threading
from itertools import pairwise

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.services import assessments as submitting
from assessments.views.pages import pages_for
from roles.models import Question, Situation, SkillGroup
from roles.selectors import active_situations
from tests import factories

pytestmark = pytest.mark.django_db


def page_url(assessment, number=1):
    return reverse("assessments:page", args=[assessment.pk, number])


def first_page_questions():
    group = SkillGroup.objects.order_by("order").first()
    return list(services.active_questions().filter(skill__group=group))


def pages_of(assessment) -> list:
    """The questionnaire's pages for this draft: the statement pages, then for a
    self-assessment the week and the situations."""
    return pages_for(assessment, active_situations())


def to_answer(assessment) -> int:
    """What the progress counts as the whole questionnaire: every active statement, and for
    a self-assessment the week (one answer) and each active situation."""
    total = services.active_questions().count()
    if assessment.kind == Assessment.Kind.SELF:
        total += 1 + len(active_situations())
    return total


def test_start_needs_sign_in(client, catalog):
    response = client.get(reverse("assessments:start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_start_creates_a_draft_with_the_chosen_titles(client, alice, catalog):
    client.force_login(alice)
    response = client.post(
        reverse("assessments:start"),
        {"current_title": _role("senior-pm").pk, "target_title": _role("director-of-pm").pk},
    )
    draft = Assessment.objects.get(subject=alice)
    assert response.status_code == 302
    assert response.url == page_url(draft)
    assert draft.status == "draft" and draft.kind == "self"
    assert draft.current_title.slug == "senior-pm"
    assert draft.target_title.slug == "director-of-pm"
    assert isinstance(draft.pk, __import__("uuid").UUID)
    alice.refresh_from_db()
    assert alice.current_title.slug == "senior-pm"


def test_start_twice_resumes_the_same_draft(client, alice, catalog):
    client.force_login(alice)
    data = {"current_title": _role("product-manager").pk, "target_title": ""}
    client.post(reverse("assessments:start"), data)
    client.post(reverse("assessments:start"), data)
    assert Assessment.objects.filter(subject=alice).count() == 1


def test_start_suggests_the_next_rung_on_each_path(client, alice, catalog):
    alice.current_title = _role("senior-pm")
    alice.save()
    client.force_login(alice)
    response = client.get(reverse("assessments:start"))
    rungs = {rung["path"]: rung["title"].slug for rung in response.context["next_rungs"]}
    assert rungs == {"ic": "principal-pm", "leader": "manager-of-pm"}
    assert 'name="aspiration"' in response.content.decode()


def test_each_question_is_a_fieldset_with_five_labelled_radios(client, alice, catalog):
    draft = factories.draft_for(alice)
    client.force_login(alice)
    response = client.get(page_url(draft))
    html = response.content.decode()
    question = first_page_questions()[0]
    assert f"<legend>{question.text}</legend>" in html.replace("&#x27;", "'")
    for value, label in [
        (1, "Strongly disagree"),
        (3, "Neither agree nor disagree"),
        (5, "Strongly agree"),
    ]:
        assert f'name="q-{question.code}" value="{value}"' in html
        assert label in html
    assert f"0 of {to_answer(draft)} answered" in html
    assert response["Cache-Control"] == "no-store, private"


def test_a_managers_page_asks_for_evidence_the_report_will_read(client, alice, bob, catalog):
    alice.name = "Alice <b>Product</b>"
    alice.save()
    draft = factories.draft_for(alice, assessor=bob)
    question = first_page_questions()[0]
    Answer.objects.create(
        assessment=draft,
        question=question,
        question_code=question.code,
        text=question.text,
        key=question.key,
        skill_slug=question.skill.slug,
        skill_name=question.skill.name,
        value=2,
        note="Missed the <script>launch</script> review.",
    )
    client.force_login(bob)
    html = client.get(page_url(draft)).content.decode()
    name = f"note-{question.code}"
    assert (
        f'<label class="form-label small" for="id_{name}">Evidence for this answer '
        "(optional; Alice will see it)</label>"
    ) in html
    assert (
        f'<textarea class="form-control" name="{name}" id="id_{name}" rows="2" '
        'maxlength="2000">Missed the &lt;script&gt;launch&lt;/script&gt; review.</textarea>'
    ) in html
    assert f'value="2" id="id_q-{question.code}_1" checked>' in html
    assert html.count("<textarea") == len(first_page_questions())
    # A note that is too long is refused with its reason, next to it.
    response = client.post(page_url(draft), {name: "x" * 2001, "action": "next"})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()


def test_answers_save_and_resume_on_another_visit(client, alice, catalog):
    draft = factories.draft_for(alice)
    questions = first_page_questions()
    client.force_login(alice)
    response = client.post(
        page_url(draft), {f"q-{q.code}": "4" for q in questions[:3]} | {"action": "save"}
    )
    assert response.status_code == 302
    assert (
        sorted(Answer.objects.filter(assessment=draft).values_list("value", flat=True)) == [4] * 3
    )
    client.logout()
    client.force_login(alice)  # a new session: a different device
    html = client.get(page_url(draft)).content.decode()
    assert f"3 of {to_answer(draft)} answered" in html
    assert f'name="q-{questions[0].code}" value="4" id="id_q-{questions[0].code}_3" checked' in html


def test_answers_can_be_changed_before_submit(client, alice, catalog):
    draft = factories.draft_for(alice)
    question = first_page_questions()[0]
    client.force_login(alice)
    client.post(page_url(draft), {f"q-{question.code}": "2", "action": "next"})
    client.post(page_url(draft), {f"q-{question.code}": "5", "action": "next"})
    assert Answer.objects.get(assessment=draft, question_code=question.code).value == 5


def test_next_and_back_move_between_pages(client, alice, bob, catalog):
    draft = factories.draft_for(alice)
    client.force_login(alice)
    assert client.post(page_url(draft, 1), {"action": "next"}).url == page_url(draft, 2)
    assert client.post(page_url(draft, 2), {"action": "back"}).url == page_url(draft, 1)
    kinds = [page.kind for page in pages_of(draft)]
    statement_pages = len(services.catalog().pages)
    assert kinds == ["statements"] * statement_pages + ["week", "situations"]
    # The last statement page leads on to the week, and the week back to it.
    after = client.post(page_url(draft, statement_pages), {"action": "next"})
    assert after.url == page_url(draft, statement_pages + 1)
    week = dict(factories.EVEN_WEEK, action="back")
    assert client.post(page_url(draft, statement_pages + 1), week).url == page_url(
        draft, statement_pages
    )
    last = client.post(page_url(draft, len(kinds)), {"action": "review"})
    assert last.url == reverse("assessments:review", args=[draft.pk])
    assert client.get(page_url(draft, len(kinds) + 1)).status_code == 404
    assert client.get(page_url(draft, 0)).status_code == 404
    # A manager's assessment of a report ends with the statements.
    theirs = factories.draft_for(alice, assessor=bob)
    client.force_login(bob)
    last = client.post(page_url(theirs, statement_pages), {"action": "next"})
    assert last.url == reverse("assessments:review", args=[theirs.pk])
    assert client.get(page_url(theirs, statement_pages + 1)).status_code == 404


@pytest.mark.parametrize("value", ["0", "6", "abc", "1e9", "3.0", "-1", ""])
def test_an_out_of_range_answer_is_refused_and_nothing_of_the_post_is_saved(
    client, alice, catalog, value
):
    draft = factories.draft_for(alice)
    good, bad = first_page_questions()[:2]
    client.force_login(alice)
    response = client.post(
        page_url(draft), {f"q-{good.code}": "4", f"q-{bad.code}": value, "action": "next"}
    )
    if value == "":
        # An empty value is "not answered yet": allowed while drafting.
        assert response.status_code == 302
        return
    assert response.status_code == 400
    html = response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()
    # The refused statement is marked and points at its message; the other keeps its answer.
    assert (
        f'<fieldset class="question-fieldset has-error" id="q-{bad.code}" '
        f'aria-describedby="err-{bad.code}">'
    ) in html
    assert f'id="err-{bad.code}">Choose one of the five answers' in html
    assert f'<fieldset class="question-fieldset" id="q-{good.code}">' in html
    assert f'name="q-{good.code}" value="4" id="id_q-{good.code}_3" checked>' in html


@pytest.mark.parametrize(
    "extra",
    [
        {"q-no-such-question": "3"},
        {"user": "1"},
        {"score": "100"},
        {"is_staff": "on"},
        {"subject": "2"},
    ],
)
def test_a_post_with_unknown_fields_is_refused_whole(client, alice, catalog, extra):
    draft = factories.draft_for(alice)
    good = first_page_questions()[0]
    client.force_login(alice)
    response = client.post(page_url(draft), {f"q-{good.code}": "4", **extra})
    assert response.status_code == 400
    assert "Nothing from it was saved" in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()
    alice.refresh_from_db()
    assert not alice.is_staff


def test_a_question_from_another_page_or_an_inactive_one_is_refused(client, alice, catalog):
    draft = factories.draft_for(alice)
    other_page = services.active_questions().exclude(
        skill__group=SkillGroup.objects.order_by("order").first()
    )[0]
    inactive = first_page_questions()[1]
    Question.objects.filter(pk=inactive.pk).update(active=False)
    client.force_login(alice)
    for code in (other_page.code, inactive.code):
        response = client.post(page_url(draft), {f"q-{code}": "4"})
        assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_duplicated_question_is_refused(client, alice, catalog):
    draft = factories.draft_for(alice)
    q = first_page_questions()[0]
    client.force_login(alice)
    response = client.post(page_url(draft), {f"q-{q.code}": ["4", "2"]})
    assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()


def test_another_users_draft_is_a_404(client, alice, dave, bob, catalog):
    draft = factories.draft_for(alice)
    q = first_page_questions()[0]
    for intruder in (dave, bob):
        client.force_login(intruder)
        assert client.get(page_url(draft)).status_code == 404
        assert client.post(page_url(draft), {f"q-{q.code}": "4"}).status_code == 404
        assert client.get(reverse("assessments:review", args=[draft.pk])).status_code == 404
        assert client.post(reverse("assessments:review", args=[draft.pk])).status_code == 404
        assert client.post(reverse("assessments:discard", args=[draft.pk])).status_code == 404
    assert not Answer.objects.filter(assessment=draft).exists()
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_submitting_with_unanswered_questions_lists_them_and_keeps_the_answers(
    client, alice, catalog
):
    draft = factories.draft_for(alice)
    questions = list(services.active_questions())
    services.answers_save(assessment=draft, values={q.code: 4 for q in questions[:-2]})
    # The week and every situation are answered: only the two statements are missing.
    services.week_save(assessment=draft, split=factories.EVEN_WEEK)
    services.styles_save(assessment=draft, choices={s.code: "coach" for s in active_situations()})
    client.force_login(alice)
    response = client.post(reverse("assessments:review", args=[draft.pk]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 statements still need an answer" in html
    assert "How your typical week splits" not in html
    assert not any(f"#s-{s.code}" in html for s in active_situations())
    for q in questions[-2:]:
        assert f"#q-{q.code}" in html
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Answer.objects.filter(assessment=draft).count() == len(questions) - 2
    assert not Plan.objects.exists()


def test_submit_scores_stores_the_result_and_creates_a_plan(client, alice, catalog):
    draft = factories.draft_for(alice, target="director-of-pm")
    factories.answer_all(draft, factories.leaning(strategic=1, leadership=-1))
    client.force_login(alice)
    response = client.post(
        reverse("assessments:review", args=[draft.pk]), {"shared_with_manager": "on"}
    )
    assert response.status_code == 302
    assert response.url == reverse("assessments:result", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.submitted_at
    assert draft.strategic > 20 and draft.leadership < -20
    assert draft.quadrant == draft.placement == "strategic-ic"
    assert draft.shared_with_manager is True
    assert draft.plan.target_title.slug == "director-of-pm"
    assert draft.plan.items.exists()


def test_sharing_is_off_when_the_box_is_unticked(client, alice, catalog):
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    client.force_login(alice)
    client.post(reverse("assessments:review", args=[draft.pk]), {})
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.shared_with_manager is False


def test_double_submit_gives_one_result_and_the_back_button_lands_on_it(client, alice, catalog):
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    client.force_login(alice)
    url = reverse("assessments:review", args=[draft.pk])
    first = client.post(url, {"shared_with_manager": "on"})
    second = client.post(url, {"shared_with_manager": "on"})
    assert first.url == second.url == reverse("assessments:result", args=[draft.pk])
    assert Assessment.objects.filter(subject=alice, status="submitted").count() == 1
    assert Plan.objects.filter(owner=alice).count() == 1
    # The back button re-posts an old questionnaire page: nothing changes.
    q = first_page_questions()[0]
    back = client.post(page_url(draft), {f"q-{q.code}": "1"})
    assert back.status_code == 302
    assert back.url == reverse("assessments:result", args=[draft.pk])
    assert Answer.objects.get(assessment=draft, question_code=q.code).value == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_give_exactly_one_result(alice, catalog):
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            services.assessment_submit(assessment=draft, shared_with_manager=True)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Assessment.objects.filter(subject=alice, status="submitted").count() == 1
    assert Plan.objects.filter(owner=alice).count() == 1


def test_a_failure_during_plan_creation_leaves_the_draft_untouched(alice, catalog, monkeypatch):
    draft = factories.draft_for(alice)
    factories.answer_all(draft)

    def broken(*args, **kwargs):
        raise RuntimeError("writing the plan's actions failed")

    # The last write of a submit: the result and the plan rows are already written by then.
    monkeypatch.setattr(PlanItem.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.assessment_submit(assessment=draft)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.result is None
    assert draft.quadrant == "" and draft.placement == ""
    assert Answer.objects.filter(assessment=draft).count() == services.active_questions().count()
    assert draft.time_allocation == factories.EVEN_WEEK
    assert set(draft.style_choices) == {s.code for s in active_situations()}
    assert not Plan.objects.exists()


def test_retake_starts_a_new_draft_after_a_submission(client, alice, catalog):
    first = factories.submitted(alice)
    client.force_login(alice)
    client.post(reverse("assessments:start"), {"current_title": _role("product-manager").pk})
    drafts = Assessment.objects.filter(subject=alice, status="draft")
    assert drafts.count() == 1 and drafts.get().pk != first.pk


@pytest.mark.parametrize("kind", ["statements", "week", "situations"])
def test_questionnaire_pages_use_a_constant_number_of_queries(
    client, alice, catalog, django_assert_max_num_queries, kind
):
    draft = factories.draft_for(alice)
    client.force_login(alice)
    url = page_url(draft, [page.kind for page in pages_of(draft)].index(kind) + 1)
    # the session, its person, "has reports"; the draft; the situations, the pages, this
    # page's statements and their answers, the progress (the first request also writes the
    # session's "last seen")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    _add_questions(60)
    _add_situations(10)
    factories.answer_all(draft)
    client.get(url)
    with django_assert_max_num_queries(12) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_submit_uses_a_bounded_number_of_queries(
    alice, dave, catalog, django_assert_max_num_queries
):
    small = factories.draft_for(alice)
    factories.answer_all(small)
    small.refresh_from_db()  # as a request reads it (else the guard sees a change and retries)
    # the answers and the catalog (questions, situations, skills, titles, expectations,
    # groups, actions); whether the person manages anyone and their manager's latest rating
    # (the plan's sizing and "why"); in a savepoint (the test's transaction): the marker
    # released, the result written, the latest plan, the statuses to carry over, the plan,
    # its actions
    with django_assert_max_num_queries(18) as small_ctx:
        services.assessment_submit(assessment=small)
    _add_questions(60)
    _add_situations(10)
    large = factories.draft_for(dave)
    factories.answer_all(large)
    large.refresh_from_db()
    with django_assert_max_num_queries(18) as large_ctx:
        services.assessment_submit(assessment=large)
    assert len(large_ctx.captured_queries) == len(small_ctx.captured_queries)


def _add_questions(n: int) -> None:
    first = Question.objects.order_by("order").first()
    Question.objects.bulk_create(
        Question(
            code=f"extra-{i}",
            text=f"Extra statement {i}",
            skill=first.skill,
            key=1 if i % 3 else -1,
            order=100 + i,
        )
        for i in range(n)
    )


def _add_situations(n: int) -> None:
    Situation.objects.bulk_create(
        Situation(
            code=f"extra-situation-{i}",
            text=f"Extra situation {i}",
            **{style: f"{style.capitalize()} in extra situation {i}" for style in Situation.STYLES},
            order=100 + i,
        )
        for i in range(n)
    )


def _role(slug):
    from roles.models import Role

    return Role.objects.get(slug=slug)


def test_answers_changed_while_submitting_are_scored_again(alice, catalog, monkeypatch):
    """The submit scores outside its write transaction; if the draft changes in between
    (another tab saves an answer), it notices under the row lock and scores the new answers."""
    draft = factories.draft_for(alice)
    factories.answer_all(draft)
    draft.refresh_from_db()
    question = Question.objects.filter(active=True).order_by("order").first()
    prepare = submitting._prepare_submission
    calls = []

    def prepare_then_change(assessment, shared):
        prepared = prepare(assessment, shared)
        if not calls:  # another tab changes an answer right after the first scoring
            services.answers_save(
                assessment=Assessment.objects.get(pk=draft.pk), values={question.code: 1}
            )
        calls.append(prepared)
        return prepared

    monkeypatch.setattr(submitting, "_prepare_submission", prepare_then_change)
    done = services.assessment_submit(assessment=draft)
    assert len(calls) == 2
    done.refresh_from_db()
    assert done.status == "submitted"
    assert done.answers.get(question_code=question.code).value == 1
    answers = list(done.answers.all())
    current = services.catalog()
    expected = services.score_answers(
        answers,
        current.questions,
        services.skill_specs(),
        services.title_specs(),
        time=done.time_allocation,
        styles=done.style_choices,
    )
    assert done.result["score"] == expected.to_dict(
        services.DRIVERS_PER_SIDE
    )  # scored with the changed answer
    assert Plan.objects.filter(assessment=done).count() == 1


def test_the_next_button_names_the_next_page(client, alice, bob, catalog):
    draft = factories.draft_for(alice)
    client.force_login(alice)
    pages = pages_of(draft)
    for number, (page, following) in enumerate(pairwise(pages), start=1):
        html = client.get(page_url(draft, number)).content.decode()
        assert f"Next: {escape(following.name)} →" in html, page.name
        assert "Review and submit →" not in html
    last = client.get(page_url(draft, len(pages))).content.decode()
    assert "Review and submit →" in last and "Next:" not in last
    # A manager's assessment: the last statement page goes to the review.
    theirs = factories.draft_for(alice, assessor=bob)
    client.force_login(bob)
    last = client.get(page_url(theirs, len(pages_of(theirs)))).content.decode()
    assert "Review and submit →" in last and "Next:" not in last
