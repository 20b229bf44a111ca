"""Manager review: the team page, a report's page, assessing a report, the self-vs-manager
comparison and the CSV export; every cell of the visibility table in PRODUCT.md.

Cast (tests/conftest.py): alice reports to bob; charlie manages erin; dave is an outsider;
staff holds assessments.view_all_results.
"""

import csv
import io
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from assessments import services
from assessments.models import Answer, Assessment, Plan, PlanItem
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

STRATEGIC_IC = factories.leaning(1, -1)
TACTICAL_IC = factories.leaning(-1, -1)
STRATEGIC_LEADER = factories.leaning(1, 1)
TACTICAL_LEADER = factories.leaning(-1, 1)


def team_url() -> str:
    return reverse("assessments:team")


def report_url(person: User) -> str:
    return reverse("assessments:report", args=[person.public_id])


def assess_url(person: User) -> str:
    return reverse("assessments:team_assess", args=[person.public_id])


def result_url(assessment: Assessment) -> str:
    return reverse("assessments:result", args=[assessment.pk])


def compare_url(assessment: Assessment) -> str:
    return reverse("assessments:manager_compare", args=[assessment.pk])


def manager_view(manager: User, report: User, answerer=STRATEGIC_LEADER, notes=None):
    """A submitted manager assessment, answered and submitted through the services."""
    draft = factories.draft_for(report, assessor=manager)
    factories.answer_all(draft, answerer, notes=notes)
    return services.assessment_submit(assessment=draft)


def mark_done(assessment: Assessment, done: int, doing: int = 0) -> None:
    items = list(Plan.objects.get(assessment=assessment).items.order_by("horizon", "order"))
    for item in items[:done]:
        item.status = PlanItem.Status.DONE
        item.save()
    for item in items[done : done + doing]:
        item.status = PlanItem.Status.DOING
        item.save()


def names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: html.index(n))


# --- access: who reaches what ---------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_everywhere(client, catalog, alice, bob):
    view = manager_view(bob, alice)
    for url in [
        team_url(),
        reverse("assessments:team_csv"),
        report_url(alice),
        compare_url(view),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = client.post(assess_url(alice))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "dave", "staff"])
def test_a_person_without_reports_gets_404_on_the_team_pages(client_for, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(team_url()).status_code == 404
    assert client.get(reverse("assessments:team_csv")).status_code == 404


def test_post_only_endpoints_refuse_get_with_405(client_for, alice, bob):
    response = client_for(bob).get(assess_url(alice))
    assert response.status_code == 405
    assert not Assessment.objects.exists()


def test_other_pages_refuse_post_with_405(client_for, catalog, alice, bob):
    view = manager_view(bob, alice)
    client = client_for(bob)
    for url in [team_url(), reverse("assessments:team_csv"), report_url(alice), compare_url(view)]:
        assert client.post(url).status_code == 405, url


def test_a_manager_reaches_only_direct_reports(client_for, catalog, alice, bob, erin, dave):
    erins_result = factories.submitted(erin, shared=True)
    charlies_view = manager_view(erin.manager, erin)
    client = client_for(bob)
    for person in (erin, dave, bob):
        assert client.get(report_url(person)).status_code == 404
        assert client.post(assess_url(person)).status_code == 404
    unknown = reverse("assessments:report", args=[uuid.uuid4()])
    assert client.get(unknown).status_code == 404
    assert client.get(result_url(erins_result)).status_code == 404
    assert client.get(result_url(charlies_view)).status_code == 404
    assert client.get(compare_url(charlies_view)).status_code == 404
    assert not Assessment.objects.filter(assessor=bob).exists()
    html = client.get(team_url()).content.decode()
    assert "Alice Product" in html and "Erin Report" not in html and "Dave" not in html


def test_a_manager_never_sees_drafts_or_unshared_results(client_for, catalog, alice, bob):
    unshared = factories.submitted(alice, TACTICAL_IC, shared=False)
    draft = factories.draft_for(alice)
    factories.answer_all(draft, STRATEGIC_LEADER)
    client = client_for(bob)
    assert client.get(result_url(unshared)).status_code == 404
    assert client.get(result_url(draft)).status_code == 404
    for name in ("page", "review"):
        url = reverse(f"assessments:{name}", args=[draft.pk, 1] if name == "page" else [draft.pk])
        assert client.get(url).status_code == 404
    response = client.get(team_url())
    html = response.content.decode()
    assert "Not shared" in html
    assert str(unshared.pk) not in html and str(draft.pk) not in html
    row = response.context["rows"][0]
    assert row.assessment is None and row.progress is None and row.skills == {}
    report = client.get(report_url(alice)).content.decode()
    assert "has taken the self-assessment but has not shared" in report
    assert str(unshared.pk) not in report and unshared.quadrant_label not in report


def test_a_shared_result_is_visible_to_the_manager(client_for, catalog, alice, bob):
    shared = factories.submitted(alice, STRATEGIC_IC, shared=True)
    client = client_for(bob)
    assert client.get(result_url(shared)).status_code == 200
    html = client.get(team_url()).content.decode()
    assert result_url(shared) in html
    assert "Strategic individual contributor" in html


def test_a_former_manager_loses_access_at_once(client_for, catalog, alice, bob, charlie):
    frank = make_user("frank@example.com", "Frank Stays", manager=bob)
    shared = factories.submitted(alice, STRATEGIC_IC, shared=True)
    bobs_view = manager_view(bob, alice)
    bobs_draft = factories.draft_for(alice, assessor=bob)  # a second one, still a draft
    client = client_for(bob)
    assert client.get(report_url(alice)).status_code == 200

    alice.manager = charlie
    alice.save(update_fields=["manager"])

    for url in [
        report_url(alice),
        result_url(shared),
        result_url(bobs_view),
        compare_url(bobs_view),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(assess_url(alice)).status_code == 404
    page = reverse("assessments:page", args=[bobs_draft.pk, 1])
    assert client.get(page).status_code == 404
    html = client.get(team_url()).content.decode()
    assert frank.display_name in html and "Alice Product" not in html

    client = client_for(charlie)
    assert client.get(result_url(bobs_view)).status_code == 404
    assert client.get(compare_url(bobs_view)).status_code == 404
    assert client.get(page).status_code == 404
    report = client.get(report_url(alice)).content.decode()
    assert str(bobs_view.pk) not in report and str(bobs_draft.pk) not in report
    assert "You have not assessed Alice yet" in report


def test_a_manager_with_no_reports_left_gets_404_on_the_team_page(client_for, alice, bob, charlie):
    client = client_for(bob)
    assert client.get(team_url()).status_code == 200
    alice.manager = charlie
    alice.save(update_fields=["manager"])
    assert client.get(team_url()).status_code == 404


def test_an_inactive_report_is_not_on_the_team(client_for, alice, bob):
    make_user("gone@example.com", "Gone Person", manager=bob, is_active=False)
    html = client_for(bob).get(team_url()).content.decode()
    assert "Gone Person" not in html


def test_the_report_sees_a_manager_assessment_only_once_submitted(client_for, catalog, alice, bob):
    draft = factories.draft_for(alice, assessor=bob)
    factories.answer_all(draft, STRATEGIC_LEADER, notes={})
    client = client_for(alice)
    assert client.get(result_url(draft)).status_code == 404
    assert client.get(compare_url(draft)).status_code == 404
    assert client.get(reverse("assessments:page", args=[draft.pk, 1])).status_code == 404
    services.assessment_submit(assessment=draft)
    assert client.get(result_url(draft)).status_code == 200
    assert client.get(compare_url(draft)).status_code == 200


def test_nobody_else_reaches_a_manager_assessment(client_for, catalog, alice, bob, charlie, erin):
    view = manager_view(bob, alice)
    for user in (charlie, erin, make_user("d2@example.com", "Dee Outsider")):
        client = client_for(user)
        assert client.get(result_url(view)).status_code == 404
        assert client.get(compare_url(view)).status_code == 404


def test_the_comparison_needs_a_submitted_manager_assessment(client_for, catalog, alice, bob):
    own = factories.submitted(alice, shared=True)
    client = client_for(alice)
    assert client.get(compare_url(own)).status_code == 404  # a self-assessment id
    assert client_for(bob).get(compare_url(own)).status_code == 404
    missing = reverse("assessments:manager_compare", args=[uuid.uuid4()])
    assert client.get(missing).status_code == 404


def test_staff_read_any_result_but_cannot_answer_or_submit(client_for, catalog, alice, staff):
    unshared = factories.submitted(alice, TACTICAL_IC, shared=False)
    draft = factories.draft_for(alice)
    factories.answer_all(draft, STRATEGIC_IC)
    client = client_for(staff)
    assert client.get(result_url(unshared)).status_code == 200
    page = reverse("assessments:page", args=[draft.pk, 1])
    review = reverse("assessments:review", args=[draft.pk])
    assert client.get(page).status_code == 404
    assert client.post(page, {"action": "next"}).status_code == 404
    assert client.post(review, {"shared_with_manager": "on"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT
    assert client.get(report_url(alice)).status_code == 404  # not their report
    assert client.post(assess_url(alice)).status_code == 404
    assert not Assessment.objects.filter(assessor=staff).exists()


def test_staff_can_read_a_comparison(client_for, catalog, alice, bob, staff):
    factories.submitted(alice, STRATEGIC_IC, shared=False)
    view = manager_view(bob, alice)
    response = client_for(staff).get(compare_url(view))
    assert response.status_code == 200
    assert response.context["self_a"] is not None


def test_a_change_of_manager_by_import_shows_on_the_next_request(client_for, alice, bob, dave):
    from accounts.services import org_rows_parse, reporting_lines_import

    client = client_for(dave)
    assert client.get(team_url()).status_code == 404
    reporting_lines_import(
        rows=org_rows_parse("email,manager_email\nalice@example.com,dave@example.com\n")
    )
    assert "Alice Product" in client.get(team_url()).content.decode()
    assert client_for(bob).get(team_url()).status_code == 404


# --- the team page ------------------------------------------------------------------------


@pytest.fixture
def team(catalog, bob, alice):
    """bob's team: four shared results (one per quadrant), one unshared, one not taken."""
    people = {"alice": alice}
    for key, name in [
        ("hana", "Hana Tactical"),
        ("ivan", "Ivan Leader"),
        ("jia", "Jia Coach"),
        ("ken", "Ken Private"),
        ("lou", "Lou New"),
    ]:
        people[key] = make_user(f"{key}@example.com", name, manager=bob)
    results = {
        "alice": factories.submitted(alice, STRATEGIC_IC),
        "hana": factories.submitted(people["hana"], TACTICAL_IC),
        "ivan": factories.submitted(people["ivan"], STRATEGIC_LEADER),
        "jia": factories.submitted(people["jia"], TACTICAL_LEADER),
        "ken": factories.submitted(people["ken"], STRATEGIC_IC, shared=False),
    }
    mark_done(results["alice"], 1)
    mark_done(results["ivan"], 3, doing=1)
    return people, results


def test_the_team_page_lists_everyone_with_their_state(client_for, team, bob):
    people, results = team
    response = client_for(bob).get(team_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "6 people report to you" in html
    for person in people.values():
        assert report_url(person) in html
    rows = {r.person.email: r for r in response.context["rows"]}
    assert rows["ken@example.com"].state == "not-shared"
    assert rows["lou@example.com"].state == "not-taken"
    assert "Not shared" in html and "Not taken yet" in html
    ivan = rows["ivan@example.com"]
    total = ivan.progress["total"]
    assert ivan.progress == {"done": 3, "total": total, "percent": round(300 / total)}
    assert f"3 of {total}" in html
    assert results["ivan"].target_title_name in html
    assert "Strategic people leader" in html and "Tactical people leader" in html
    assert response["Cache-Control"] == "no-store, private"


def test_the_team_shows_each_persons_latest_shared_result(client_for, catalog, alice, bob):
    older = factories.submitted(alice, TACTICAL_IC, shared=True)
    Assessment.objects.filter(pk=older.pk).update(
        submitted_at=older.submitted_at.replace(year=older.submitted_at.year - 1)
    )
    newer_private = factories.submitted(alice, STRATEGIC_IC, shared=False)
    client = client_for(bob)
    row = client.get(team_url()).context["rows"][0]
    assert row.assessment.pk == older.pk
    services.assessment_set_sharing(assessment=newer_private, shared=True)
    row = client.get(team_url()).context["rows"][0]
    assert row.assessment.pk == newer_private.pk


def test_the_team_map_has_a_point_per_shared_result_and_the_titles(client_for, team, bob):
    response = client_for(bob).get(team_url())
    points = response.context["points"]
    reports = [p.label for p in points if p.kind == "report"]
    assert sorted(reports) == ["Alice", "Hana", "Ivan", "Jia"]
    assert len([p for p in points if p.kind == "title"]) == 8
    html = response.content.decode()
    assert 'role="img"' in html and "Your team on the two axes" in html


def test_the_heatmap_is_a_real_table_with_bands_and_numbers(client_for, team, bob):
    response = client_for(bob).get(team_url())
    html = response.content.decode()
    assert "Skill scores (0 to 100) per person" in html  # the caption
    assert '<th scope="col" class="heat-skill"><span>Strategic thinking</span></th>' in html
    heat = response.context["heat_rows"]
    assert [h["row"].person.email for h in heat] == [
        "alice@example.com",
        "hana@example.com",
        "ivan@example.com",
        "jia@example.com",
    ]
    cell = heat[0]["cells"][0]
    assert cell["band"] == min(4, int(cell["score"] // 20))
    assert f'<td class="heat-cell heat-{cell["band"]}">{round(cell["score"])}</td>' in html
    assert '<th scope="row" class="fw-normal heat-person">' in html
    assert 'class="table-responsive heatmap-wrap"' in html


@pytest.mark.parametrize(
    "sort", ["strategic", "-strategic", "leadership", "-leadership", "progress", "-progress",
             "date", "-date"]
)  # fmt: skip
def test_sorting_orders_numbers_and_puts_people_without_them_last(client_for, team, bob, sort):
    rows = client_for(bob).get(team_url(), {"sort": sort}).context["rows"]
    key = sort.lstrip("-")
    values = [r.sort_value(key) for r in rows[:4]]
    assert values == sorted(values, reverse=sort.startswith("-"))
    assert [r.person.display_name for r in rows[4:]] == ["Ken Private", "Lou New"]


def test_sorting_by_name_goes_both_ways(client_for, team, bob):
    client = client_for(bob)
    names = [r.person.display_name for r in client.get(team_url()).context["rows"]]
    assert names == sorted(names)
    reverse_names = client.get(team_url(), {"sort": "-name"}).context["rows"]
    assert [r.person.display_name for r in reverse_names] == sorted(names, reverse=True)


def test_sorting_by_strategic_puts_the_most_strategic_first(client_for, team, bob):
    rows = client_for(bob).get(team_url(), {"sort": "-strategic"}).context["rows"]
    assert rows[0].assessment.quadrant.startswith("strategic")
    assert rows[3].assessment.quadrant.startswith("tactical")


def test_column_headings_link_to_sorting_and_say_which_is_active(client_for, team, bob):
    html = client_for(bob).get(team_url(), {"sort": "-strategic"}).content.decode()
    assert 'aria-sort="descending"><a href="?sort=strategic">Tactical ↔ strategic</a>' in html
    assert '<a href="?sort=-progress">Plan progress</a>' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"quadrant": "tactical-ic"}, ["Hana Tactical"]),
        ({"quadrant": "strategic-leader"}, ["Ivan Leader"]),
        ({"status": "not-taken"}, ["Lou New"]),
        ({"status": "not-shared"}, ["Ken Private"]),
        ({"status": "shared", "sort": "-leadership"}, ["Ivan Leader", "Jia Coach"]),
    ],
)
def test_filters_narrow_the_table(client_for, team, bob, params, expected):
    rows = client_for(bob).get(team_url(), params).context["rows"]
    names = [r.person.display_name for r in rows]
    assert names[: len(expected)] == expected
    if "sort" not in params:
        assert names == expected


def test_unknown_sort_and_filter_values_are_ignored(client_for, team, bob):
    response = client_for(bob).get(
        team_url(), {"sort": "password", "quadrant": "<script>", "status": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["rows"]) == 6
    assert response.context["current"] == {"quadrant": "", "status": "", "sort": "name"}
    assert "<script>" not in response.content.decode()


def test_no_match_offers_to_show_everyone(client_for, catalog, alice, bob):
    factories.submitted(alice, STRATEGIC_IC)
    html = client_for(bob).get(team_url(), {"quadrant": "tactical-leader"}).content.decode()
    assert "Nobody matches these filters" in html


def _clone_shared_result(template: Assessment, subject: User) -> None:
    """A copy of a submitted self-assessment (with plan and items) for another person: quick
    to make in bulk, and shaped exactly like the real thing."""
    plan = Plan.objects.get(assessment=template)
    copy = Assessment.objects.get(pk=template.pk)
    copy.pk, copy.subject, copy.assessor = uuid.uuid4(), subject, subject
    copy.clean()  # as submitting does: shared with the subject's manager, where that is recorded
    copy.save(force_insert=True)
    new_plan = Plan.objects.create(
        assessment=copy, owner=subject, target_name=plan.target_name, content=plan.content
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=new_plan,
            action_code=i.action_code,
            skill_slug=i.skill_slug,
            skill_name=i.skill_name,
            horizon=i.horizon,
            title=i.title,
            description=i.description,
            status=i.status,
        )
        for i in plan.items.all()
    )


def _team_queries(client, manager: User, size: int, template: Assessment) -> int:
    """Queries of the team page with ``size`` reports (it is drawn on every request)."""
    have = User.objects.filter(manager=manager).count()
    for n in range(have, size):
        person = make_user(f"r{n}@example.com", f"Report {n:02d}", manager=manager)
        if n % 5 == 3:
            factories.draft_for(person)  # drafts are invisible, and cost nothing
        elif n % 5 != 4:
            _clone_shared_result(template, person)
    client.get(team_url())  # the first request after signing in also updates the session
    with CaptureQueriesContext(connection) as drawn:
        response = client.get(team_url())
    assert response.status_code == 200
    assert response.context["team_size"] == size
    # Every shared result is drawn in its row (with its reading), so none is read one by one.
    shown = [r.assessment for r in response.context["rows"] if r.assessment is not None]
    assert len(shown) == sum(1 for n in range(size) if n % 5 < 3)
    assert all(a.quadrant_label == "Strategic individual contributor" for a in shown)
    return len(drawn)


def test_the_team_page_costs_the_same_queries_for_5_and_50_reports(client_for, catalog, bob, dave):
    template = factories.submitted(dave, STRATEGIC_IC)
    mark_done(template, 2, doing=1)
    client = client_for(bob)
    # The session (with the person and "has reports"), the counts of everyone, this page's
    # people, their results, their plan progress and the titles for the map, whatever the size
    # of the team.
    small = _team_queries(client, bob, 5, template)
    large = _team_queries(client, bob, 50, template)
    assert small == large <= 12


def test_the_csv_export_costs_the_same_queries_for_5_and_50_reports(client_for, catalog, bob, dave):
    template = factories.submitted(dave, STRATEGIC_IC)
    client = client_for(bob)
    counts = []
    for size in (5, 50):
        for n in range(User.objects.filter(manager=bob).count(), size):
            _clone_shared_result(template, make_user(f"c{n}@example.com", f"C {n}", manager=bob))
        client.get(reverse("assessments:team_csv"))  # warm: the session is saved once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("assessments:team_csv"))
        assert response.status_code == 200
        rows = read_csv(response)
        assert [r["Quadrant"] for r in rows] == ["Strategic individual contributor"] * size
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- every change shows on the next request -------------------------------------------------
# (The page is drawn on every request; these were written against the cache it had.)


@pytest.fixture
def changing(catalog, alice, bob, charlie):
    """bob manages alice (a shared result with a plan) and ivan (nothing yet)."""
    ivan = make_user("ivan@example.com", "Ivan Newcomer", manager=bob)
    result = factories.submitted(alice, shared=True)
    return {"alice": alice, "bob": bob, "charlie": charlie, "ivan": ivan, "result": result}


def _ivan_shares(w: dict) -> tuple[str, str]:
    factories.submitted(w["ivan"], shared=True)
    return 'team-state-not-taken">Not taken yet', "Ivan Newcomer"


def _alice_stops_sharing(w: dict) -> tuple[str, str]:
    services.assessment_set_sharing(assessment=w["result"], shared=False)
    return result_url(w["result"]), "Not shared"


def _alice_does_an_action(w: dict) -> tuple[str, str]:
    plan = w["result"].plan
    item = plan.items.order_by("order").first()
    services.plan_item_update(plan=plan, action_code=item.action_code, status="done")
    return ">0 of", ">1 of"


def _alice_is_renamed(w: dict) -> tuple[str, str]:
    alice = User.objects.get(pk=w["alice"].pk)
    alice.name = "Alice Renamed"
    alice.save()
    return "Alice Product", "Alice Renamed"


def _alice_moves_by_save(w: dict) -> tuple[str, str]:
    alice = User.objects.get(pk=w["alice"].pk)
    alice.manager = w["charlie"]
    alice.save()
    return "Alice Product", "Ivan Newcomer"


def _alice_moves_by_queryset(w: dict) -> tuple[str, str]:
    User.objects.filter(pk=w["alice"].pk).update(manager=w["charlie"])
    return "Alice Product", "Ivan Newcomer"


def _alice_moves_by_import(w: dict) -> tuple[str, str]:
    from accounts.services import org_rows_parse, reporting_lines_import

    rows = org_rows_parse(f"email,manager_email\n{w['alice'].email},{w['charlie'].email}\n")
    reporting_lines_import(rows=rows)
    return "Alice Product", "Ivan Newcomer"


def _alice_is_deactivated(w: dict) -> tuple[str, str]:
    User.objects.filter(pk=w["alice"].pk).update(is_active=False)
    return "Alice Product", "Ivan Newcomer"


def _alice_deletes_her_account(w: dict) -> tuple[str, str]:
    from accounts.services import account_delete

    account_delete(user=User.objects.get(pk=w["alice"].pk))
    return "Alice Product", "Ivan Newcomer"


def _a_title_is_renamed(w: dict) -> tuple[str, str]:
    from roles.models import Role

    role = Role.objects.get(slug="product-manager")
    gone = f">{role.short_name}</text>"
    role.short_name = "Renamed PM"
    role.save()
    return gone, ">Renamed PM</text>"


@pytest.mark.parametrize(
    "change",
    [
        _ivan_shares, _alice_stops_sharing, _alice_does_an_action, _alice_is_renamed,
        _alice_moves_by_save, _alice_moves_by_queryset, _alice_moves_by_import,
        _alice_is_deactivated, _alice_deletes_her_account, _a_title_is_renamed,
    ],
)  # fmt: skip
def test_every_change_the_team_page_shows_shows_on_the_next_request(client_for, changing, change):
    client = client_for(changing["bob"])
    assert client.get(team_url()).status_code == 200
    gone, shown = change(changing)
    html = client.get(team_url()).content.decode()
    assert gone not in html and shown in html


def test_a_report_who_moves_is_on_the_new_managers_page(client_for, changing):
    _alice_moves_by_queryset(changing)
    assert "Alice Product" in client_for(changing["charlie"]).get(team_url()).content.decode()


# --- the CSV export -------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_has_the_team_table_with_numbers_only_from_shared_results(client_for, team, bob):
    _people, results = team
    response = client_for(bob).get(reverse("assessments:team_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"
    rows = {r["Email"]: r for r in read_csv(response)}
    assert len(rows) == 6
    ivan = rows["ivan@example.com"]
    assert ivan["Status"] == "Shared a result"
    assert ivan["Quadrant"] == "Strategic people leader"
    assert int(ivan["Tactical-strategic"]) == round(results["ivan"].strategic)
    assert ivan["Plan actions done"] == "3"
    assert int(ivan["Strategic thinking"]) >= 50
    for email, status in [("ken@example.com", "Not shared"), ("lou@example.com", "Not taken yet")]:
        row = rows[email]
        assert row["Status"] == status
        numbers = {k: v for k, v in row.items() if k not in ("Name", "Email", "Status")}
        assert set(numbers.values()) <= {"", None}


def test_the_csv_follows_the_filters_and_sort(client_for, team, bob):
    """Only the shared results, most tactical first (the two tactical quadrants tie on the
    axis, and ties go by name), in the team page's order."""
    client = client_for(bob)
    params = {"status": "shared", "sort": "strategic"}
    names = [r["Name"] for r in read_csv(client.get(reverse("assessments:team_csv"), params))]
    assert names == ["Hana Tactical", "Jia Coach", "Alice Product", "Ivan Leader"]
    rows = client.get(team_url(), params).context["rows"]
    assert names == [r.person.display_name for r in rows]


def test_the_csv_neutralises_cells_that_a_spreadsheet_would_run(client_for, catalog, bob):
    for n, name in enumerate(['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "Plain"]):
        make_user(f"f{n}@example.com", name, manager=bob)
    rows = read_csv(client_for(bob).get(reverse("assessments:team_csv")))
    names = sorted(r["Name"] for r in rows)
    assert names == sorted(['\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)", "Plain"])


def test_the_csv_keeps_negative_positions_as_numbers(client_for, catalog, alice, bob):
    factories.submitted(alice, TACTICAL_IC)
    row = read_csv(client_for(bob).get(reverse("assessments:team_csv")))[0]
    assert int(row["Tactical-strategic"]) < 0  # a number, not a formula


# --- a report's page and assessing them ------------------------------------------------------


def test_the_report_page_shows_a_summary_and_progress_but_not_the_plan(
    client_for, catalog, alice, bob
):
    shared = factories.submitted(alice, STRATEGIC_IC)
    mark_done(shared, 2, doing=1)
    response = client_for(bob).get(report_url(alice))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    assert "Alice Product" in html
    assert "Strategic individual contributor" in html
    assert result_url(shared) in html
    items = list(PlanItem.objects.filter(plan__assessment=shared))
    assert (
        f'<span class="num fw-semibold">2</span> of <span class="num">{len(items)}</span>' in html
    )
    for item in items:
        assert item.title not in html and item.description not in html
    assert reverse("assessments:plan", args=[shared.plan.pk]) not in html
    assert "Assess Alice" in html
    assert response["Cache-Control"] == "no-store, private"


def test_the_report_page_says_when_nothing_is_taken_yet(client_for, alice, bob):
    html = client_for(bob).get(report_url(alice)).content.decode()
    assert "Alice has not taken the self-assessment yet" in html


def test_the_report_page_lists_my_drafts_and_submitted_views(client_for, catalog, alice, bob):
    done = manager_view(bob, alice)
    draft = factories.draft_for(alice, assessor=bob)
    html = client_for(bob).get(report_url(alice)).content.decode()
    assert reverse("assessments:page", args=[draft.pk, 1]) in html
    assert result_url(done) in html and compare_url(done) in html
    assert "Continue assessing Alice" in html


def test_assessing_starts_a_manager_draft_and_opens_page_one(client_for, catalog, alice, bob):
    client = client_for(bob)
    response = client.post(assess_url(alice))
    draft = Assessment.objects.get(assessor=bob)
    assert response.status_code == 302
    assert response.url == reverse("assessments:page", args=[draft.pk, 1])
    assert draft.kind == Assessment.Kind.MANAGER and draft.subject == alice
    assert draft.status == Assessment.Status.DRAFT and draft.target_title is None
    client.post(assess_url(alice))  # a double click resumes the same draft
    assert Assessment.objects.filter(assessor=bob).count() == 1
    page = client.get(response.url).content.decode()
    assert "You are assessing <strong>Alice Product</strong>" in page


def test_a_manager_answers_with_evidence_submits_and_lands_on_the_result(
    client_for, catalog, alice, bob
):
    client = client_for(bob)
    draft = Assessment.objects.get(pk=client.post(assess_url(alice)).url.split("/")[2])
    questions = list(services.active_questions())
    first_page = [q for q in questions if q.skill.group_id == questions[0].skill.group_id]
    data = {f"q-{q.code}": "4" for q in first_page}
    data[f"note-{first_page[0].code}"] = "Ran the Q3 planning offsite."
    data["action"] = "next"
    assert client.post(reverse("assessments:page", args=[draft.pk, 1]), data).status_code == 302
    factories.answer_all(Assessment.objects.get(pk=draft.pk), STRATEGIC_LEADER)
    answer = Answer.objects.get(assessment=draft, question_code=first_page[0].code)
    assert answer.note == "Ran the Q3 planning offsite."
    response = client.post(reverse("assessments:review", args=[draft.pk]), {})
    assert response.status_code == 302 and response.url == result_url(draft)
    draft.refresh_from_db()
    assert draft.is_submitted and not Plan.objects.filter(assessment=draft).exists()


def test_save_and_finish_later_returns_a_manager_to_the_team(client_for, catalog, alice, bob):
    client = client_for(bob)
    url = client.post(assess_url(alice)).url
    response = client.post(url, {"action": "save"})
    assert response.status_code == 302 and response.url == team_url()


def test_the_report_page_costs_the_same_queries_however_many_assessments(
    client_for, catalog, alice, bob
):
    client = client_for(bob)
    counts = []
    for _ in range(2):
        factories.submitted(alice, STRATEGIC_IC)
        manager_view(bob, alice)
        client.get(report_url(alice))  # warm: the session is saved once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report_url(alice)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the comparison -----------------------------------------------------------------------


@pytest.fixture
def compared(catalog, alice, bob):
    """alice sees herself as a strategic IC; bob sees a strategic people leader, with a note on
    a people-leader statement (one the two views answer differently)."""
    self_a = factories.submitted(alice, STRATEGIC_IC, shared=True)
    mentoring = (
        services.active_questions().filter(skill__slug="mentoring-coaching", pole="leader").first()
    )
    view = manager_view(
        bob, alice, STRATEGIC_LEADER, notes={mentoring.code: "Coached both new APMs this term."}
    )
    return self_a, view


def test_the_comparison_shows_both_points_joined_by_an_arrow(client_for, compared, alice):
    _self_a, view = compared
    response = client_for(alice).get(compare_url(view))
    assert response.status_code == 200
    kinds = {p.kind: p for p in response.context["points"] if p.kind in ("report", "manager")}
    arrow = response.context["arrow"]
    assert (arrow["x1"], arrow["y1"]) == (kinds["report"].cx, kinds["report"].cy)
    # The arrow stops just short of the manager's square, pointing at it.
    assert (
        abs(arrow["x2"] - kinds["manager"].cx) < 12 and abs(arrow["y2"] - kinds["manager"].cy) < 12
    )
    html = response.content.decode()
    assert "marker-end=" in html and html.count("<h1") == 1
    assert "Your view and Bob’s, side by side" in html


def test_the_comparison_calls_out_blind_spots_and_hidden_strengths(client_for, compared, alice):
    _self_a, view = compared
    context = client_for(alice).get(compare_url(view)).context
    for row in context["differences"]:
        if row["gap"] is None:
            continue
        assert row["gap"] == pytest.approx(row["self"] - row["manager"])
        expected = (
            "blind-spot" if row["gap"] >= 25 else "hidden-strength" if row["gap"] <= -25 else ""
        )
        assert row["kind"] == expected
    hidden = {d["name"] for d in context["hidden_strengths"]}
    blind = {d["name"] for d in context["blind_spots"]}
    assert "Mentoring and coaching" in hidden
    assert "Hands-on execution" in blind


def test_the_agenda_takes_the_largest_differences_with_their_statements(
    client_for, compared, alice
):
    _self_a, view = compared
    response = client_for(alice).get(compare_url(view))
    agenda = response.context["agenda"]
    assert 3 <= len(agenda) <= 5
    gaps = [abs(item["gap"]) for item in agenda]
    assert gaps == sorted(gaps, reverse=True)
    chosen = {item["slug"] for item in agenda}
    others = [
        abs(d["gap"])
        for d in response.context["differences"]
        if d["gap"] is not None and d["slug"] not in chosen
    ]
    assert others and min(gaps) >= max(others)
    mentoring = next(item for item in agenda if item["slug"] == "mentoring-coaching")
    asked = services.active_questions().filter(skill__slug="mentoring-coaching").count()
    assert len(mentoring["statements"]) == asked == 6
    noted = [s for s in mentoring["statements"] if s["note"]]
    assert noted[0]["note"] == "Coached both new APMs this term."
    assert noted[0]["self"] and noted[0]["manager"] and noted[0]["self"] != noted[0]["manager"]
    html = response.content.decode()
    assert "Coached both new APMs this term." in html
    assert "A suggested 1:1 agenda" in html


def test_the_manager_sees_the_comparison_with_the_shared_self_assessment(client_for, compared, bob):
    self_a, view = compared
    response = client_for(bob).get(compare_url(view))
    assert response.status_code == 200
    assert response.context["self_a"].pk == self_a.pk
    assert "Alice’s view and yours, side by side" in response.content.decode()


def test_the_manager_compares_only_with_a_shared_self_assessment(client_for, catalog, alice, bob):
    older_shared = factories.submitted(alice, TACTICAL_IC, shared=True)
    Assessment.objects.filter(pk=older_shared.pk).update(
        submitted_at=older_shared.submitted_at.replace(year=2020)
    )
    newer_private = factories.submitted(alice, STRATEGIC_IC, shared=False)
    view = manager_view(bob, alice)
    assert client_for(bob).get(compare_url(view)).context["self_a"].pk == older_shared.pk
    # The report compares with their own latest, shared or not.
    assert client_for(alice).get(compare_url(view)).context["self_a"].pk == newer_private.pk
    services.assessment_set_sharing(assessment=older_shared, shared=False)
    response = client_for(bob).get(compare_url(view))
    assert response.status_code == 200 and response.context["self_a"] is None
    html = response.content.decode()
    assert "There is no shared self-assessment to compare with yet" in html
    assert str(newer_private.pk) not in html and "Every skill" not in html


def test_the_comparison_without_any_self_assessment_invites_the_report(
    client_for, catalog, alice, bob
):
    view = manager_view(bob, alice)
    html = client_for(alice).get(compare_url(view)).content.decode()
    assert "You have not submitted a self-assessment yet" in html
    assert reverse("assessments:start") in html


def test_a_large_team_is_shown_fifty_people_a_page_with_counts_for_everyone(client_for, bob):
    import json

    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))
    for i in range(53):
        person = make_user(f"p{i:02d}@example.com", f"Person {i:02d}", manager=bob)
        if i % 2:
            factories.submitted(person)
    client = client_for(bob)
    first = client.get(team_url(), {"sort": "name"})
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 53
    html = first.content.decode()
    assert "53 people report to you." in html
    assert "People 1–50 of 53." in html
    assert "?sort=name&amp;page=2" in html
    second = client.get(team_url(), {"sort": "name", "page": 2})
    assert [r.person.name for r in second.context["rows"]] == [
        "Person 50",
        "Person 51",
        "Person 52",
    ]
    counts = {key: n for key, _, n in second.context["status_counts"]}
    assert counts == {"shared": 26, "not-shared": 0, "not-taken": 27}
    assert client.get(team_url(), {"page": "999"}).context["page"].number == 2


def test_the_comparison_writes_negative_numbers_with_a_minus_sign(client_for, catalog, alice, bob):
    mine = factories.submitted(alice, TACTICAL_IC, shared=True)
    view = manager_view(bob, alice)  # a strategic leader's view: every gap points one way
    html = client_for(bob).get(compare_url(view)).content.decode()
    text = " ".join(re.findall(r">([^<]*)<", html))
    assert mine.strategic < -1 and f"\u2212{round(-mine.strategic)}" in text
    assert not re.search(r"(?<![\w-])-\d", text), "a hyphen for a minus sign"
