"""`manage.py seed_scale`: a large organisation for load tests, run here at a small size.

The command bulk-inserts reused results; these tests check that what it stores is what the
services would have stored (same scores from the same answers, a plan on each latest result),
that the pages render it, and that it touches nothing but its own data.
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from assessments import reading, services
from assessments.management.commands.seed_scale import MANAGER_EMAIL, SCALE_PASSWORD, scale_users
from assessments.models import Answer, Assessment, Plan, PlanItem
from roles.models import SkillGroup
from roles.selectors import Catalog
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REPORTS, ASSESSMENTS = 20, 200


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_scale", reports=REPORTS, assessments=ASSESSMENTS, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    """The small organisation, on an empty database (the command loads the catalog itself)."""
    return seed()


@pytest.fixture
def manager(seeded) -> User:
    return User.objects.get(email=MANAGER_EMAIL)


def latest_self(person: User) -> Assessment:
    return (
        Assessment.objects.submitted()
        .filter(subject=person, kind=Assessment.Kind.SELF)
        .order_by("-submitted_at")
        .first()
    )


def test_it_creates_the_counts_asked_for(seeded, manager):
    questions = services.active_questions().count()
    assert questions > 0  # the shipped catalog was imported
    assert manager.reports.count() == REPORTS
    assert Assessment.objects.count() == ASSESSMENTS
    assert Assessment.objects.submitted().count() == ASSESSMENTS
    assert Answer.objects.count() == ASSESSMENTS * questions
    assert Assessment.objects.filter(kind=Assessment.Kind.MANAGER, assessor=manager).exists()
    # History: some people have many past results.
    per_person = [
        Assessment.objects.filter(subject=p, kind=Assessment.Kind.SELF).count()
        for p in scale_users()
    ]
    assert max(per_person) >= 5
    assert sum(per_person) + manager.assessments_written.count() == ASSESSMENTS


def test_it_prints_the_password_and_the_manager(seeded):
    assert MANAGER_EMAIL in seeded
    assert f"Password for every seeded user: {SCALE_PASSWORD}" in seeded
    user = User.objects.get(email=MANAGER_EMAIL)
    assert user.check_password(SCALE_PASSWORD)


def test_every_latest_self_assessment_has_a_plan_with_actions(seeded):
    people = scale_users().filter(assessments__kind=Assessment.Kind.SELF).distinct()
    assert people.exists()
    for person in people:
        latest = latest_self(person)
        plan = Plan.objects.get(assessment=latest)
        assert plan.owner == person
        assert plan.items.exists()
    assert Plan.objects.count() == people.count()
    assert PlanItem.objects.filter(status=PlanItem.Status.DONE).exists()


def as_drafted(assessment: Assessment) -> Assessment:
    """The draft a real submit of this assessment would start from: its kind and titles, and
    for a self-assessment the week's split, the styles chosen and the path wanted (a manager's
    assessment of a report asks none of these)."""
    self_report = assessment.kind == Assessment.Kind.SELF
    return Assessment(
        kind=assessment.kind,
        current_title_id=assessment.current_title_id,
        aspiration=assessment.aspiration if self_report else "",
        time_allocation=assessment.time_allocation if self_report else None,
        style_choices=assessment.style_choices if self_report else None,
    )


def test_stored_results_and_plans_are_what_submitting_those_answers_gives(seeded):
    """Reused, not invented: rescoring an assessment's own answers (with, for a
    self-assessment, its week and styles) gives its stored result, for self-assessments and
    a manager's alike, and planning it again gives its stored plan."""
    active = list(services.active_questions())
    skills, titles = services.skill_specs(), services.title_specs()
    groups = dict(SkillGroup.objects.values_list("slug", "name"))
    by_kind = Assessment.objects.order_by("pk")
    sample = [
        *by_kind.filter(kind=Assessment.Kind.SELF)[:5],
        *by_kind.filter(kind=Assessment.Kind.MANAGER)[:3],
    ]
    assert {a.kind for a in sample} == {Assessment.Kind.SELF, Assessment.Kind.MANAGER}
    for assessment in sample:
        draft = as_drafted(assessment)
        answers = list(assessment.answers.all())
        rescored = services.score_answers(
            answers,
            active,
            skills,
            titles,
            time=draft.time_allocation,
            styles=draft.style_choices,
        )
        assert assessment.result["score"] == rescored.to_dict(services.DRIVERS_PER_SIDE), (
            assessment.kind
        )
        # The whole snapshot, as a real submit stores it (the by-axis profile included).
        snapshot = services.result_snapshot(rescored, skills, titles, groups)
        assert json.loads(json.dumps(snapshot)) == assessment.result
        assert assessment.strategic == rescored.strategic.position
        assert assessment.leadership == rescored.leadership.position
        assert assessment.quadrant == rescored.quadrant
        assert assessment.placement == reading.placement_key(rescored)
        # What a real submit keeps of the draft: a manager's assessment has no week or styles.
        assert assessment.time_allocation == draft.time_allocation
        assert assessment.style_choices == draft.style_choices
    for plan in Plan.objects.select_related("assessment")[:5]:
        submitted = plan.assessment
        draft = as_drafted(submitted)
        answers = list(submitted.answers.all())
        _, replanned, items = services.submission_of(draft, answers, Catalog())
        assert plan.target_title_id == replanned.target_title.pk
        assert plan.content == replanned.content
        codes = plan.items.order_by("order").values_list("action_code", flat=True)
        assert list(codes) == [i.action_code for i in items]


def test_the_managers_team_page_lists_every_report(client, manager):
    client.force_login(manager)
    response = client.get(reverse("assessments:team"))
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('class="table align-middle team-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    assert len(re.findall(r"<tr>", body)) == REPORTS
    for person in manager.reports.all():
        assert reverse("assessments:report", args=[person.public_id]) in body
    assert "Skills across the team" in html
    assert 'class="table table-sm heatmap"' in html


def test_a_seeded_result_and_its_plan_render(client, manager):
    person = manager.reports.filter(assessments__isnull=False).distinct().first()
    latest = latest_self(person)
    client.force_login(person)
    response = client.get(reverse("assessments:result", args=[latest.pk]))
    assert response.status_code == 200
    assert latest.closest_title_name in response.content.decode()
    response = client.get(reverse("assessments:plan", args=[latest.plan.pk]))
    assert response.status_code == 200
    assert latest.plan.target_name in response.content.decode()


def test_the_manager_sees_their_own_view_next_to_the_report(client, manager):
    view = Assessment.objects.filter(kind=Assessment.Kind.MANAGER, assessor=manager).first()
    client.force_login(manager)
    response = client.get(reverse("assessments:manager_compare", args=[view.pk]))
    assert response.status_code == 200


def test_a_second_run_refuses_and_changes_nothing(seeded):
    before = (User.objects.count(), Assessment.objects.count(), Answer.objects.count())
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert (User.objects.count(), Assessment.objects.count(), Answer.objects.count()) == before


def test_reset_replaces_only_what_seed_scale_made(catalog):
    alice = make_user("alice@example.com", "Alice Product")
    mine = factories.submitted(alice)
    seed()
    seed(reset=True, seed=2)
    assert scale_users().count() == User.objects.count() - 1
    assert Assessment.objects.count() == ASSESSMENTS + 1
    mine.refresh_from_db()
    assert mine.answers.count() == services.active_questions().count()
    assert Plan.objects.filter(assessment=mine).exists()


def test_it_leaves_fresh_planner_statistics(seeded):
    """After a bulk load the query planner gets statistics (ANALYZE), on either database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'assessments_assessment'")
        else:
            # ANALYZE sets the row estimate (-1 for a table never analysed) in this transaction.
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = 'assessments_assessment'"
            )
        assert cursor.fetchone()[0] >= 1
    assert "statistics refreshed" in seeded
