"""`manage.py seed_demo`: the demo team `make run` loads, honest numbers, and idempotence."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from assessments.management.commands.seed_demo import DEMO_PASSWORD, PROFILES, REPORTS
from assessments.models import Answer, Assessment, PlanItem

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def latest_self(email: str) -> Assessment | None:
    return (
        Assessment.objects.submitted()
        .filter(subject__email=email, kind=Assessment.Kind.SELF)
        .order_by("-submitted_at")
        .first()
    )


def test_a_second_run_changes_nothing(catalog):
    seed()
    before = row_counts()
    snapshot = list(Assessment.objects.values_list("pk", "status", "submitted_at", "updated_at"))
    items = list(PlanItem.objects.values_list("pk", "status", "updated_at"))
    seed()
    assert row_counts() == before
    assert list(Assessment.objects.values_list("pk", "status", "submitted_at", "updated_at")) == (
        snapshot
    )
    assert list(PlanItem.objects.values_list("pk", "status", "updated_at")) == items


def test_it_prints_the_logins_in_the_usual_format(catalog):
    out = seed()
    assert "Demo organisation ready" in out
    assert (
        f"  {'Manager with 10 reports':<26} {'maya@example.com':<22} password: {DEMO_PASSWORD}"
        in out
    )
    for email in ("admin@example.com", "priya@example.com", "sam@example.com"):
        assert email in out


def test_maya_manages_the_team_and_sam_has_no_manager(catalog):
    seed()
    maya = User.objects.get(email="maya@example.com")
    assert set(maya.reports.values_list("email", flat=True)) == {r[0] for r in REPORTS}
    assert len(REPORTS) >= 8
    assert User.objects.get(email="sam@example.com").manager is None
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("email", "placement"),
    [
        ("priya@example.com", "strategic-ic"),
        ("tom@example.com", "tactical-ic"),
        ("lena@example.com", "balanced"),
        ("omar@example.com", "strategic-ic"),
        ("grace@example.com", "strategic-leader"),
        ("jonas@example.com", "tactical-leader"),
        ("sofia@example.com", "strategic-leader"),
        ("kwame@example.com", "tactical-ic"),
    ],
)
def test_answer_patterns_land_each_person_where_their_pattern_says(catalog, email, placement):
    seed()
    assert latest_self(email).placement == placement


def test_shared_results_cover_all_four_quadrants_and_the_balanced_middle(catalog):
    seed()
    shared = Assessment.objects.submitted().filter(
        kind=Assessment.Kind.SELF,
        subject__manager__email="maya@example.com",
        shared_with_manager=True,
    )
    assert set(shared.values_list("placement", flat=True)) == {
        "strategic-ic", "tactical-ic", "strategic-leader", "tactical-leader", "balanced"
    }  # fmt: skip
    # The balanced result has no quadrant: the answers do not support a side.
    assert shared.get(subject__email="lena@example.com").quadrant == ""


def test_the_team_has_unshared_not_taken_a_trail_and_a_manager_view(catalog):
    seed()
    unshared = [e for e, p in PROFILES.items() if p.takes and not p.takes[-1].shared]
    assert len(unshared) >= 2
    for email in unshared:
        assert not latest_self(email).shared_with_manager
    # Inès has only a draft and Noah nothing: neither has taken it.
    assert latest_self("ines@example.com") is None and latest_self("noah@example.com") is None
    assert Assessment.objects.filter(subject__email="ines@example.com", status="draft").exists()
    priya = Assessment.objects.submitted().filter(subject__email="priya@example.com", kind="self")
    assert priya.count() == 2
    older, newer = priya.order_by("submitted_at")
    assert older.quadrant != newer.quadrant
    view = Assessment.objects.get(
        subject__email="priya@example.com", assessor__email="maya@example.com"
    )
    assert view.is_submitted and view.kind == Assessment.Kind.MANAGER
    assert Answer.objects.filter(assessment=view).exclude(note="").count() >= 3


def test_plan_items_are_in_mixed_statuses(catalog):
    seed()
    statuses = set(
        PlanItem.objects.filter(plan__owner__manager__email="maya@example.com").values_list(
            "status", flat=True
        )
    )
    assert statuses == {"todo", "doing", "done"}


def test_without_a_catalog_it_still_creates_the_people(db):
    out = seed()
    assert "import_catalog" in out
    assert User.objects.filter(email="maya@example.com").exists()
    assert not Assessment.objects.exists()
