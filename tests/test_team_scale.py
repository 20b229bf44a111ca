"""The team page at scale: the ``is_latest_shared`` marker that lets it join each report to one
result (kept by the submit and sharing services), and counting, filtering, sorting and paging
in the database, checked against the rules the page always had (written out here in Python).

Cast (tests/conftest.py): alice reports to bob; dave is an outsider.
"""

import importlib
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import account_delete
from assessments import services
from assessments.models import Assessment, Plan, PlanItem
from assessments.scoring import QUADRANT_LABELS
from assessments.services.sharing import latest_shared_refresh, skill_scores
from assessments.team_table import PAGE_SIZE, SORTS, STATUS_LABELS
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

STRATEGIC_IC = factories.leaning(1, -1)
TACTICAL_LEADER = factories.leaning(-1, 1)


def marked(person: User) -> list:
    return list(
        Assessment.objects.filter(subject=person, is_latest_shared=True).values_list(
            "pk", flat=True
        )
    )


def backdate(assessment: Assessment, days: int) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )


# --- the marker follows every change -------------------------------------------------------


def test_submitting_a_shared_result_marks_it_and_only_it(catalog, alice):
    first = factories.submitted(alice, STRATEGIC_IC)
    assert marked(alice) == [first.pk] and first.is_latest_shared
    second = factories.submitted(alice, TACTICAL_LEADER)
    assert marked(alice) == [second.pk]
    stored = Assessment.objects.get(pk=second.pk)
    assert stored.skill_scores == skill_scores(stored.result)
    assert [s[0] for s in stored.skill_scores] == [
        s["slug"] for s in stored.result["score"]["skills"]
    ]


def test_a_newer_unshared_result_leaves_the_mark_on_the_shared_one(catalog, alice):
    shared = factories.submitted(alice, STRATEGIC_IC)
    private = factories.submitted(alice, TACTICAL_LEADER, shared=False)
    assert marked(alice) == [shared.pk]
    assert not Assessment.objects.get(pk=private.pk).is_latest_shared


def test_unsharing_moves_the_mark_back_and_sharing_brings_it_forward(catalog, alice):
    older = factories.submitted(alice, STRATEGIC_IC)
    backdate(older, 30)
    newer = factories.submitted(alice, TACTICAL_LEADER)
    services.assessment_set_sharing(assessment=newer, shared=False)
    assert marked(alice) == [older.pk]
    services.assessment_set_sharing(assessment=older, shared=False)
    assert marked(alice) == []
    services.assessment_set_sharing(assessment=older, shared=True)
    assert marked(alice) == [older.pk]
    services.assessment_set_sharing(assessment=newer, shared=True)
    assert marked(alice) == [newer.pk] and newer.is_latest_shared
    # Sharing an older result again changes nothing: the newer one is still the latest.
    services.assessment_set_sharing(assessment=older, shared=True)
    assert marked(alice) == [newer.pk]


def test_a_manager_assessment_is_never_marked(catalog, alice, bob):
    mine = factories.submitted(alice, STRATEGIC_IC)
    view = factories.submitted(alice, TACTICAL_LEADER, assessor=bob)
    assert marked(alice) == [mine.pk]
    assert not Assessment.objects.get(pk=view.pk).is_latest_shared


def test_deleting_goes_with_the_mark(catalog, alice, bob, dave):
    older = factories.submitted(alice, STRATEGIC_IC)
    backdate(older, 30)
    newer = factories.submitted(alice, TACTICAL_LEADER)
    # Discarding a draft never moves the mark (drafts never carry it).
    factories.draft_for(alice).delete()
    assert marked(alice) == [newer.pk]
    # Were a marked result deleted, refreshing hands the mark to the one before it.
    newer.delete()
    latest_shared_refresh(newer)
    assert marked(alice) == [older.pk]
    # Deleting the person deletes their results and the mark with them; others keep theirs.
    theirs = factories.submitted(dave, STRATEGIC_IC)
    account_delete(user=alice)
    assert not Assessment.objects.filter(is_latest_shared=True).exclude(pk=theirs.pk).exists()
    assert marked(dave) == [theirs.pk]


def test_the_database_refuses_two_marks_or_a_mark_on_a_private_result(catalog, alice):
    shared = factories.submitted(alice, STRATEGIC_IC)
    backdate(shared, 30)
    private = factories.submitted(alice, TACTICAL_LEADER, shared=False)
    other = factories.submitted(alice, TACTICAL_LEADER)
    for pk in (private.pk, shared.pk):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.filter(pk=pk).update(
                is_latest_shared=True, skill_scores=other.skill_scores
            )
    assert marked(alice) == [other.pk]


def test_the_migration_marks_existing_results(catalog, alice, dave):
    older = factories.submitted(alice, STRATEGIC_IC)
    backdate(older, 30)
    newer = factories.submitted(alice, TACTICAL_LEADER)
    factories.submitted(alice, STRATEGIC_IC, shared=False)
    factories.submitted(dave, STRATEGIC_IC, shared=False)
    Assessment.objects.update(is_latest_shared=False, skill_scores=None)
    migration = importlib.import_module("assessments.migrations.0002_team_latest_shared")
    migration.mark_latest_shared(apps, None)
    assert marked(alice) == [newer.pk] and marked(dave) == []
    stored = Assessment.objects.get(pk=newer.pk)
    assert stored.skill_scores == skill_scores(stored.result)


# --- the team page over the marker ----------------------------------------------------------


def clone(template: Assessment, person: User, *, done: int | None = None, **values) -> None:
    """A copy of a shared result for another person (marked, as theirs is the only one), with
    its own numbers and, given ``done``, a plan of the template's actions with that many done.
    Its reading follows the numbers given: the quadrant, else "balanced" where placed on both
    axes (no quadrant), else none."""
    copy = Assessment.objects.get(pk=template.pk)
    copy.pk, copy.subject, copy.assessor = uuid.uuid4(), person, person
    for name, value in values.items():
        setattr(copy, name, value)
    if "placement" not in values and {"quadrant", "strategic", "leadership"} & set(values):
        placed = copy.strategic is not None and copy.leadership is not None
        copy.placement = copy.quadrant or ("balanced" if placed else "")
    copy.clean()  # as submitting does: shared with the subject's manager, where that is recorded
    copy.save(force_insert=True)
    if done is not None:
        plan = Plan.objects.get(assessment=template)
        mine = Plan.objects.create(
            assessment=copy, owner=person, target_name=plan.target_name, content=plan.content
        )
        PlanItem.objects.bulk_create(
            PlanItem(
                plan=mine, action_code=i.action_code, skill_slug=i.skill_slug,
                skill_name=i.skill_name, horizon=i.horizon, title=i.title,
                description=i.description,
                status=PlanItem.Status.DONE if n < done else PlanItem.Status.TODO,
            )
            for n, i in enumerate(plan.items.all())
        )  # fmt: skip


@pytest.fixture
def big_team(catalog, bob, dave):
    """57 reports (more than a page): shared results with repeated, missing and distinct
    numbers and progress, balanced ones among them (numbers but no quadrant); unshared
    results; no result; a private result newer than a shared one; names that differ only in
    case; an inactive report, who is not on the team."""
    template = factories.submitted(dave, STRATEGIC_IC)
    quadrants = [*QUADRANT_LABELS, ""]
    now = timezone.now()
    for n in range(57):
        name = ["ada Lopez", "Ada lopez", "Ben Kim", "Zoë Ng", "Émile Roy", ""][n % 6]
        person = make_user(f"r{n:02d}@example.com", f"{name} {n // 6}".strip(), manager=bob)
        kind = n % 7
        if kind == 5:
            continue  # not taken yet
        if kind == 6:
            factories.submitted(person, STRATEGIC_IC, shared=False)
            continue
        clone(
            template,
            person,
            done=None if n % 4 == 0 else n % 9,
            quadrant=quadrants[n % 5],
            strategic=None if n % 10 == 4 else float((n * 37) % 11 * 10 - 50),
            leadership=None if n % 10 == 4 else float((n * 13) % 5 * 20 - 40),
            submitted_at=now - timedelta(days=n % 10),
        )
        if n % 11 == 3:  # a newer result kept private: the shared one still shows
            factories.submitted(person, TACTICAL_LEADER, shared=False)
    gone = make_user("gone@example.com", "Gone Away", manager=bob, is_active=False)
    clone(template, gone, strategic=99.0)
    return bob


def expected_order(manager: User, quadrant: str, status: str, sort: str) -> list[str]:
    """The rules the team page has always had, in Python: latest shared, submitted
    self-assessment per current report; names casefolded; numbers first (either direction),
    then everyone without one, by name."""
    people = []
    for person in User.objects.filter(manager=manager, is_active=True).order_by("name", "email"):
        self_results = Assessment.objects.filter(subject=person, kind="self", status="submitted")
        latest = (
            self_results.filter(shared_with_manager=True)
            .order_by("-submitted_at", "-created_at")
            .first()
        )
        state = "shared" if latest else "not-shared" if self_results.exists() else "not-taken"
        progress = None
        if latest and (items := list(PlanItem.objects.filter(plan__assessment=latest))):
            progress = round(100 * sum(i.status == "done" for i in items) / len(items))
        values = {
            "name": person.display_name.casefold(),
            "strategic": latest and latest.strategic,
            "leadership": latest and latest.leadership,
            "date": latest and latest.submitted_at,
            "progress": progress,
        }
        if quadrant and not (latest and latest.quadrant == quadrant):
            continue
        if status and state != status:
            continue
        people.append((person.email, values))
    key, descending = sort.lstrip("-"), sort.startswith("-")
    by_name = sorted(people, key=lambda p: p[1]["name"])
    valued = sorted(
        (p for p in by_name if p[1][key] is not None),
        key=lambda p: p[1][key],
        reverse=descending,
    )
    return [p[0] for p in valued] + [p[0] for p in by_name if p[1][key] is None]


def shown_order(client, params: dict) -> tuple[list[str], dict]:
    emails, page, context = [], 1, None
    while True:
        response = client.get(reverse("assessments:team"), {**params, "page": page})
        assert response.status_code == 200
        context = response.context
        emails += [r.person.email for r in context["rows"]]
        if not context["page"].has_next():
            return emails, context
        page += 1


@pytest.mark.parametrize("sort", [*SORTS, *(f"-{s}" for s in SORTS)])
def test_every_sort_pages_through_everyone_in_the_promised_order(client_for, big_team, sort):
    emails, context = shown_order(client_for(big_team), {"sort": sort})
    assert emails == expected_order(big_team, "", "", sort)
    assert len(emails) == 57 and context["page"].paginator.num_pages == 2
    assert len(client_for(big_team).get(reverse("assessments:team"), {"sort": sort}).context[
        "rows"
    ]) == PAGE_SIZE  # fmt: skip


@pytest.mark.parametrize("status", ["", *STATUS_LABELS])
@pytest.mark.parametrize("quadrant", ["", "strategic-ic", "tactical-leader"])
def test_filters_keep_the_promised_people_and_counts_cover_everyone(
    client_for, big_team, quadrant, status
):
    for sort in ("-strategic", "progress"):
        params = {"quadrant": quadrant, "status": status, "sort": sort}
        emails, context = shown_order(client_for(big_team), params)
        assert emails == expected_order(big_team, quadrant, status, sort)
        assert context["page"].paginator.count == len(emails)
    everyone = expected_order(big_team, "", "", "name")
    assert context["team_size"] == len(everyone) == 57
    statuses = {key: n for key, _, n in context["status_counts"]}
    assert statuses == {
        key: len(expected_order(big_team, "", key, "name")) for key in STATUS_LABELS
    }
    quadrants = {key: n for key, _, n in context["quadrant_counts"]}
    assert quadrants == {
        key: len(expected_order(big_team, key, "", "name")) for key in QUADRANT_LABELS
    }


def test_a_stale_page_number_shows_the_last_page(client_for, big_team):
    response = client_for(big_team).get(reverse("assessments:team"), {"page": "99"})
    assert response.context["page"].number == 2
    assert len(response.context["rows"]) == 57 - PAGE_SIZE


def test_map_labels_use_a_first_name_only_when_nobody_on_the_team_shares_it(
    client_for, catalog, alice, bob
):
    factories.submitted(alice, STRATEGIC_IC)
    make_user("alice2@example.com", "Alice Other", manager=bob)  # on the team, no result
    for n in range(PAGE_SIZE + 1):
        factories.submitted(make_user(f"z{n}@example.com", f"Zed{n} Z", manager=bob))
    client = client_for(bob)
    # Alice is first by name: on page one, and her first name is not hers alone.
    labels = {p.label for p in client.get(reverse("assessments:team")).context["points"]}
    assert "Alice Product" in labels and "Zed0" in labels


def team_queries(client) -> tuple[int, list[str]]:
    """Queries of the team page, and the readings of the shared results it draws."""
    client.get(reverse("assessments:team"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:team"), {"sort": "-progress"})
    assert response.status_code == 200
    shown = [r.assessment for r in response.context["rows"] if r.assessment is not None]
    return len(queries), [a.quadrant_label for a in shown]


def test_the_team_page_costs_the_same_queries_at_two_sizes(client_for, big_team):
    client = client_for(big_team)
    large, readings = team_queries(client)
    # Each of this page's shared results is drawn with its reading, none read one by one.
    assert len(readings) == 37
    assert set(readings) == {*QUADRANT_LABELS.values(), "Balanced on both axes", ""}
    User.objects.filter(manager=big_team).exclude(email__in=["r00@example.com"]).update(
        manager=None
    )
    small, readings = team_queries(client)
    assert readings == ["Strategic people leader"]
    # The session and the person (with "has reports"), then the counts of everyone, this
    # page's people, their results, their plan progress and the titles for the map: within
    # the budget of every page (tests/test_query_budgets.py).
    assert small == large <= 12
