"""The role catalog: shipped content, constraints, import/export, quality check, admin, pages."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from roles.models import (
    DevelopmentAction,
    Practice,
    Question,
    Role,
    Skill,
    SkillExpectation,
    SkillGroup,
    Track,
)
from roles.services import (
    SHIPPED_CATALOG,
    CatalogInvalid,
    catalog_check,
    catalog_export,
    catalog_import,
    quality_problems,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped() -> dict:
    return json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))


# --- the shipped catalog -------------------------------------------------------------------


def test_shipped_catalog_has_the_articles_titles_skills_questions_and_actions(catalog):
    assert Track.objects.count() == 2
    assert set(Track.objects.values_list("kind", flat=True)) == {"ic", "leader"}
    assert list(
        Role.objects.filter(track__kind="ic").order_by("level").values_list("slug", flat=True)
    ) == ["associate-pm", "product-manager", "senior-pm", "principal-pm"]
    assert list(
        Role.objects.filter(track__kind="leader").order_by("level").values_list("slug", flat=True)
    ) == ["manager-of-pm", "director-of-pm", "vp-product", "cpo"]
    for role in Role.objects.all():
        assert role.responsibilities.count() >= 4
        assert role.expectations.count() == Skill.objects.count()
    assert Skill.objects.count() >= 14
    questions = Question.objects.active()
    assert questions.count() >= 48
    assert questions.filter(key=-1).count() * 4 >= questions.count()
    assert DevelopmentAction.objects.count() >= 40
    for practice in Practice.values:
        if practice:
            assert DevelopmentAction.objects.filter(practice=practice).exists(), practice


def test_shipped_catalog_has_at_least_four_questions_on_each_pole_of_each_axis(catalog):
    for field in ("strategic_loading", "leadership_loading"):
        positive = Question.objects.active().filter(**{f"skill__{field}__gt": 0}).count()
        negative = Question.objects.active().filter(**{f"skill__{field}__lt": 0}).count()
        assert positive >= 4 and negative >= 4, field


def test_shipped_catalog_passes_its_own_check(catalog):
    assert catalog_check() == []


def test_shipped_titles_sit_where_their_expectations_put_them(catalog):
    """Each title's expected position is the axis formula applied to its expectations."""
    skills = {s.slug: s for s in Skill.objects.all()}
    for role in Role.objects.prefetch_related("expectations__skill"):
        levels = {e.skill.slug: e.level for e in role.expectations.all()}
        for axis, stored in (
            ("strategic_loading", role.expected_strategic),
            ("leadership_loading", role.expected_leadership),
        ):
            pos = [
                (getattr(skills[k], axis), v)
                for k, v in levels.items()
                if getattr(skills[k], axis) > 0
            ]
            neg = [
                (-getattr(skills[k], axis), v)
                for k, v in levels.items()
                if getattr(skills[k], axis) < 0
            ]
            x = sum(a * v for a, v in pos) / sum(a for a, _ in pos) - sum(
                a * v for a, v in neg
            ) / sum(a for a, _ in neg)
            assert abs(x - stored) <= 1, (role.slug, axis)
    assert Role.objects.get(slug="associate-pm").expected_strategic < 0
    assert Role.objects.get(slug="cpo").expected_leadership > 0


def test_wording_check_finds_a_run_of_eight_words_shared_with_a_source(shipped, tmp_path):
    question = shipped["questions"][0]
    borrowed = tmp_path / "borrowed.txt"
    borrowed.write_text(f"An article that says: {question['text']} And more.", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="shared with"):
        call_command("check_wording", str(borrowed), stderr=err)
    assert f"questions {question['id']}.text" in err.getvalue()
    own = tmp_path / "own.txt"
    own.write_text("Product managers and product leaders differ in scope. " * 3)
    out = StringIO()
    call_command("check_wording", str(own), stdout=out)
    assert "No run of 8 words shared" in out.getvalue()


# --- constraints --------------------------------------------------------------------------


def test_database_refuses_a_loading_out_of_range(catalog):
    group = SkillGroup.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Skill.objects.create(
            slug="bad", name="Bad", group=group, strategic_loading=2.0, leadership_loading=0
        )


def test_database_refuses_two_titles_at_one_level_of_a_track(catalog):
    role = Role.objects.get(slug="senior-pm")
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(
            slug="another",
            name="Another",
            short_name="Another",
            track=role.track,
            level=role.level,
            expected_strategic=0,
            expected_leadership=0,
        )


def test_database_refuses_a_question_key_other_than_plus_or_minus_one(catalog):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(code="zero", text="x", skill=Skill.objects.first(), key=0)


def test_database_refuses_an_expectation_over_100_and_a_bad_horizon(catalog):
    role, skill = Role.objects.first(), Skill.objects.first()
    SkillExpectation.objects.filter(role=role, skill=skill).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillExpectation.objects.create(role=role, skill=skill, level=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentAction.objects.create(
            code="bad-horizon", skill=skill, horizon=45, title="x", description="y"
        )


# --- import and export ------------------------------------------------------------------


def test_export_then_import_into_an_empty_database_then_export_is_identical(db, shipped):
    catalog_import(data=shipped)
    first = catalog_export()
    assert first == shipped
    for model in (DevelopmentAction, Question, SkillExpectation, Role, Skill, SkillGroup, Track):
        model.objects.all().delete()
    catalog_import(data=first)
    assert catalog_export() == first


def test_importing_the_same_file_twice_changes_nothing(db, shipped):
    assert catalog_import(data=shipped).changed
    again = catalog_import(data=shipped)
    assert not again.changed
    assert again.summary() == "No changes: the database already matches the file."


def test_import_updates_changed_rows(catalog, shipped):
    changed = copy.deepcopy(shipped)
    changed["questions"][0]["text"] = "A reworded statement."
    changed["titles"][0]["responsibilities"].append("A new responsibility.")
    report = catalog_import(data=changed)
    assert report.updated["questions"] == 1
    assert Question.objects.get(code=changed["questions"][0]["id"]).text == "A reworded statement."
    assert Role.objects.get(slug=changed["titles"][0]["slug"]).responsibilities.count() == len(
        changed["titles"][0]["responsibilities"]
    )


def test_dry_run_changes_nothing(db, shipped):
    report = catalog_import(data=shipped, dry_run=True)
    assert report.changed
    assert not Skill.objects.exists()


def _problems(data) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        catalog_import(data=data)
    return [str(p) for p in caught.value.problems]


def test_invalid_files_change_nothing_and_name_every_problem(catalog, shipped):
    bad = copy.deepcopy(shipped)
    bad["skills"][2]["strategic_loading"] = 2.0
    bad["questions"][5]["skill"] = "no-such-skill"
    bad["skills"][3]["slug"] = bad["skills"][4]["slug"]
    bad["actions"][0]["horizon"] = 45
    bad["titles"][1]["expectations"]["backlog-delivery"] = 150
    bad["questions"][0]["text"] = "This text must not land."
    problems = _problems(bad)
    assert "skills[2].strategic_loading: must be between -1 and 1" in problems
    assert 'questions[5].skill: unknown skill "no-such-skill"' in problems
    assert any(p.startswith("skills[4].slug: duplicate") for p in problems)
    assert "actions[0].horizon: must be 30, 60 or 90" in problems
    assert "titles[1].expectations.backlog-delivery: must be a whole number 0–100" in problems
    assert not Question.objects.filter(text="This text must not land.").exists()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("skills"), "skills: must be a list"),
        (lambda d: d["questions"][0].pop("key"), "questions[0].key: is missing"),
        (lambda d: d["questions"][0].update(key=2), "questions[0].key: must be 1 or -1"),
        (
            lambda d: d["skills"][0].update(strategic_loading="high"),
            "skills[0].strategic_loading: has the wrong type",
        ),
        (
            lambda d: d["titles"][0].update(track="nowhere"),
            'titles[0].track: unknown track "nowhere"',
        ),
        (lambda d: d["skills"][0].update(colour="red"), "skills[0].colour: is not a known field"),
        (lambda d: d.update(format="other"), 'format: must be "trajectory-catalog"'),
    ],
)
def test_each_kind_of_structural_problem_is_reported(db, shipped, mutate, expected):
    mutate(shipped)
    assert expected in _problems(shipped)
    assert not Skill.objects.exists()


def test_import_command_reports_bad_json_with_its_position(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "trajectory-catalog",\n  "version": 1,,}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"not valid JSON: .* line 2, column 16"):
        call_command("import_catalog", str(path))


def test_import_command_prints_every_problem_and_changes_nothing(db, shipped, tmp_path):
    shipped["skills"][0]["leadership_loading"] = -3
    shipped["actions"][1]["skill"] = "ghost"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_catalog", str(path), stderr=err)
    assert "skills[0].leadership_loading: must be between -1 and 1" in err.getvalue()
    assert 'actions[1].skill: unknown skill "ghost"' in err.getvalue()
    assert not Skill.objects.exists()


def test_export_command_writes_the_catalog(catalog, tmp_path, shipped):
    path = tmp_path / "out.json"
    call_command("export_catalog", str(path), stderr=StringIO())
    assert json.loads(path.read_text(encoding="utf-8")) == shipped


# --- the catalog check ------------------------------------------------------------------


def test_catalog_check_finds_each_kind_of_problem(shipped):
    data = copy.deepcopy(shipped)
    # A pole with fewer than four questions: retire most individual-contributor questions.
    ic_skills = {s["slug"] for s in data["skills"] if s["leadership_loading"] < 0}
    kept = 0
    for q in data["questions"]:
        if q["skill"] in ic_skills:
            q["active"] = kept < 3
            kept += 1
    # A skill without a reverse-keyed question.
    for q in data["questions"]:
        if q["skill"] == "roadmapping":
            q["key"] = 1
    # A skill without actions.
    data["actions"] = [a for a in data["actions"] if a["skill"] != "market-insight"]
    # A title missing an expectation.
    del data["titles"][0]["expectations"]["hiring-staffing"]
    # A loading out of range.
    data["skills"][0]["strategic_loading"] = -1.5
    problems = [str(p) for p in quality_problems(data)]
    assert any("individual contributor pole has 3 active question" in p for p in problems)
    assert "skill roadmapping: has no reverse-keyed active question" in problems
    assert "skill market-insight: has no development action" in problems
    assert "title associate-pm: has no expectation for hiring-staffing" in problems
    assert any(
        p.startswith("skill backlog-delivery: strategic_loading is outside") for p in problems
    )


def test_catalog_check_page_lists_problems_for_staff(client, staff, catalog):
    Question.objects.filter(skill__slug="roadmapping", key=-1).update(key=1)
    client.force_login(staff)
    response = client.get(reverse("admin:roles_catalog_check"))
    assert response.status_code == 200
    assert "skill roadmapping" in response.content.decode()
    assert "has no reverse-keyed active question" in response.content.decode()


# --- the admin ----------------------------------------------------------------------------


ADMIN_PAGES = [
    "admin:roles_track_changelist",
    "admin:roles_skillgroup_changelist",
    "admin:roles_skill_changelist",
    "admin:roles_role_changelist",
    "admin:roles_question_changelist",
    "admin:roles_developmentaction_changelist",
    "admin:accounts_user_changelist",
    "admin:roles_catalog_check",
]


def test_admin_pages_load_for_staff(client, staff, catalog):
    client.force_login(staff)
    for name in ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    role = Role.objects.get(slug="director-of-pm")
    skill = Skill.objects.get(slug="mentoring-coaching")
    for url in (
        reverse("admin:roles_role_change", args=[role.pk]),
        reverse("admin:roles_skill_change", args=[skill.pk]),
        reverse("admin:roles_question_changelist") + "?q=coach",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_is_closed_to_people_who_are_not_staff(client, alice, catalog):
    client.force_login(alice)
    for name in ADMIN_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response.url, name


def test_staff_can_edit_a_question_in_the_admin(client, staff, catalog):
    question = Question.objects.get(code="mentoring-coaching-1")
    client.force_login(staff)
    response = client.post(
        reverse("admin:roles_question_change", args=[question.pk]),
        {
            "code": question.code,
            "text": "I coach another PM every week.",
            "skill": question.skill_id,
            "key": -1,
            "order": question.order,
            "active": "on",
            "seen_version": question.version,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "I coach another PM every week." and question.key == -1
    assert question.version == 2


def _question_post(question, text: str, seen_version) -> dict:
    return {
        "code": question.code,
        "text": text,
        "skill": question.skill_id,
        "key": question.key,
        "order": question.order,
        "active": "on",
        "seen_version": seen_version,
    }


def test_the_second_of_two_admins_editing_a_question_is_told_it_changed(staff, catalog):
    from django.test import Client

    question = Question.objects.get(code="mentoring-coaching-2")
    url = reverse("admin:roles_question_change", args=[question.pk])
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(staff)
    opened_by_first = first.get(url).context["adminform"].form["seen_version"].value()
    opened_by_second = second.get(url).context["adminform"].form["seen_version"].value()
    assert opened_by_first == opened_by_second == 1

    saved = first.post(url, _question_post(question, "First admin's wording.", opened_by_first))
    assert saved.status_code == 302
    refused = second.post(
        url, _question_post(question, "Second admin's wording.", opened_by_second)
    )
    assert refused.status_code == 200
    assert "Someone else changed this question after you opened it" in refused.content.decode()
    question.refresh_from_db()
    assert question.text == "First admin's wording." and question.version == 2
    # Having reloaded, the second admin can make their change.
    again = second.post(url, _question_post(question, "Second admin's wording.", 2))
    assert again.status_code == 302
    question.refresh_from_db()
    assert question.text == "Second admin's wording." and question.version == 3


def test_a_title_edited_by_someone_else_is_not_silently_overwritten(staff, catalog, client):
    role = Role.objects.get(slug="senior-pm")
    client.force_login(staff)
    url = reverse("admin:roles_role_change", args=[role.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for prefix, formset in (
        ("responsibilities", role.responsibilities),
        ("expectations", role.expectations),
    ):
        items = list(formset.all())
        data.update({f"{prefix}-TOTAL_FORMS": len(items), f"{prefix}-INITIAL_FORMS": len(items)})
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-id"] = item.pk
            data[f"{prefix}-{i}-role"] = role.pk
            if prefix == "responsibilities":
                data.update({f"{prefix}-{i}-text": item.text, f"{prefix}-{i}-order": item.order})
            else:
                data.update(
                    {f"{prefix}-{i}-skill": item.skill_id, f"{prefix}-{i}-level": item.level}
                )
    Role.objects.filter(pk=role.pk).update(summary="Changed meanwhile.", version=2)
    data["summary"] = "My stale summary."
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this title after you opened it" in response.content.decode()
    role.refresh_from_db()
    assert role.summary == "Changed meanwhile."


# --- public catalog pages -----------------------------------------------------------------


def test_ladders_page_shows_both_tracks_side_by_side(client, catalog):
    html = client.get(reverse("roles:ladders")).content.decode()
    assert "Product management" in html and "Product leadership" in html
    for role in Role.objects.all():
        assert role.get_absolute_url() in html


def test_title_page_shows_responsibilities_skills_and_the_peer_on_the_other_track(client, catalog):
    role = Role.objects.get(slug="senior-pm")
    response = client.get(role.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["peer"].slug == "manager-of-pm"
    for r in role.responsibilities.all():
        assert r.text.replace("'", "&#x27;") in html
    assert "How it differs from" in html
    assert client.get(reverse("roles:title", args=["no-such-title"])).status_code == 404


def test_catalog_pages_use_a_constant_number_of_queries(
    client, catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(reverse("roles:ladders"))
    with django_assert_max_num_queries(8):
        client.get(reverse("roles:title", args=["director-of-pm"]))
