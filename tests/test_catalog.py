"""The role catalog: shipped content, constraints, import/export, quality check, admin, pages."""

import copy
import json
from collections import Counter
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
    Situation,
    Skill,
    SkillExpectation,
    SkillGroup,
    Track,
)
from roles.quality import catalog_problems, quality_problems
from roles.services import (
    SHIPPED_CATALOG,
    CatalogInvalid,
    catalog_check,
    catalog_export,
    catalog_import,
)
from roles.validation import MIN_STATEMENTS_PER_POLE, V1_MESSAGE, import_problems

pytestmark = pytest.mark.django_db

CATALOG_MODELS = (
    DevelopmentAction,
    Situation,
    Question,
    SkillExpectation,
    Role,
    Skill,
    SkillGroup,
    Track,
)


@pytest.fixture
def shipped() -> dict:
    return json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))


def _active_pole(data: dict, pole: str) -> list[dict]:
    return [q for q in data["questions"] if q["active"] and q["pole"] == pole]


def _new_statement(data: dict, ident: str, pole: str) -> dict:
    """A fresh active statement on a pole, added to the data."""
    skill = next(q["skill"] for q in data["questions"] if q["pole"] == pole)
    question = {
        "id": ident,
        "text": f"An extra {pole} statement.",
        "skill": skill,
        "pole": pole,
        "key": 1,
        "scale": "agree",
        "order": 900 + len(data["questions"]),
        "active": True,
    }
    data["questions"].append(question)
    return question


def _empty_database() -> None:
    for model in CATALOG_MODELS:
        model.objects.all().delete()


def _database_is_empty() -> bool:
    return not any(model.objects.exists() for model in CATALOG_MODELS)


# --- the shipped catalog -------------------------------------------------------------------


def test_shipped_catalog_has_the_articles_titles_skills_statements_situations_and_actions(
    catalog,
):
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
    for skill in Skill.objects.all():
        active = skill.questions.filter(active=True)
        assert active.count() >= 2 and active.filter(key=-1).exists(), skill.slug
    assert Question.objects.active().count() >= 48
    assert set(Question.objects.values_list("scale", flat=True)) == {"agree", "frequency"}
    situations = Situation.objects.filter(active=True)
    assert 6 <= situations.count() <= 8
    for situation in situations:
        assert all(text.strip() for text in situation.options().values()), situation.code
    assert DevelopmentAction.objects.count() >= 40
    for practice in Practice.values:
        if practice:
            assert DevelopmentAction.objects.filter(practice=practice).exists(), practice


def test_shipped_catalog_measures_each_pole_with_enough_balanced_statements_of_its_own(catalog):
    counts = Counter(
        Question.objects.active().exclude(pole="").values_list("pole", flat=True).order_by()
    )
    for plus, minus in (("strategic", "tactical"), ("leader", "ic")):
        assert counts[plus] >= MIN_STATEMENTS_PER_POLE and counts[minus] >= 6, (plus, minus)
        assert abs(counts[plus] - counts[minus]) <= 1, (plus, minus)
    assert not Question.objects.exclude(pole="").filter(key=-1).exists()


def test_shipped_catalog_passes_its_own_check(catalog, shipped):
    assert catalog_problems(shipped) == []
    assert catalog_check() == []


def test_shipped_titles_sit_on_their_side_of_each_axis_and_grow_more_strategic(catalog):
    for role in Role.objects.select_related("track"):
        if role.track.kind == "leader":
            assert role.expected_leadership > 0, role.slug
        else:
            assert role.expected_leadership < 0, role.slug
    for track in Track.objects.all():
        strategic = list(track.roles.order_by("level").values_list("expected_strategic", flat=True))
        assert strategic == sorted(strategic), track.slug
    assert Role.objects.get(slug="associate-pm").expected_strategic < 0
    assert Role.objects.get(slug="cpo").expected_strategic > 0


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


def test_database_refuses_a_reverse_keyed_pole_statement_and_an_unknown_pole(catalog):
    skill = Skill.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(code="rev-pole", text="x", skill=skill, pole="leader", key=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(code="odd-pole", text="x", skill=skill, pole="middle", key=1)


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
    assert first["version"] == 2 and first["situations"]
    _empty_database()
    catalog_import(data=first)
    assert catalog_export() == first


def test_importing_the_same_file_twice_changes_nothing(db, shipped):
    assert catalog_import(data=shipped).changed
    versions = dict(Question.objects.values_list("code", "version"))
    again = catalog_import(data=shipped)
    assert not again.changed
    assert again.summary() == "No changes: the database already matches the file."
    assert dict(Question.objects.values_list("code", "version")) == versions


def test_import_updates_changed_rows_and_bumps_their_version(catalog, shipped):
    changed = copy.deepcopy(shipped)
    question = changed["questions"][0]
    question["text"] = "A reworded statement."
    question["scale"] = "agree" if question["scale"] == "frequency" else "frequency"
    changed["titles"][0]["responsibilities"].append("A new responsibility.")
    situation = changed["situations"][0]
    situation["options"]["coach"] = "A reworded coaching option."
    report = catalog_import(data=changed)
    assert report.updated["questions"] == 1 and report.updated["situations"] == 1
    stored = Question.objects.get(code=question["id"])
    assert (stored.text, stored.scale, stored.version) == (
        "A reworded statement.",
        question["scale"],
        2,
    )
    assert Question.objects.exclude(pk=stored.pk).filter(version__gt=1).count() == 0
    again = Situation.objects.get(code=situation["id"])
    assert again.coach == "A reworded coaching option." and again.version == 2
    assert Role.objects.get(slug=changed["titles"][0]["slug"]).responsibilities.count() == len(
        changed["titles"][0]["responsibilities"]
    )


def test_import_moves_a_statement_onto_a_pole(catalog, shipped):
    """A plain statement becomes a pole statement, and one pole statement leaves the pole,
    in one import: the poles stay balanced."""
    changed = copy.deepcopy(shipped)
    leaving = _active_pole(changed, "strategic")[0]
    joining = next(q for q in changed["questions"] if q["active"] and not q["pole"])
    joining.update(pole="strategic", key=1)
    leaving["pole"] = ""
    catalog_import(data=changed)
    assert Question.objects.get(code=joining["id"]).pole == "strategic"
    assert Question.objects.get(code=leaving["id"]).pole == ""


def test_dry_run_changes_nothing(db, shipped):
    report = catalog_import(data=shipped, dry_run=True)
    assert report.changed
    assert _database_is_empty()


def _problems(data) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        catalog_import(data=data)
    return [str(p) for p in caught.value.problems]


def _version_1(shipped: dict) -> dict:
    """The shipped catalog as an old, version 1 file: loadings on skills, no poles, scales or
    situations."""
    old = copy.deepcopy(shipped)
    old["version"] = 1
    for skill in old["skills"]:
        skill.update(strategic_loading=0.5, leadership_loading=-0.5)
    for question in old["questions"]:
        del question["pole"], question["scale"]
    del old["situations"]
    return old


def test_a_version_1_file_is_refused_with_one_clear_problem_and_nothing_changes(catalog, shipped):
    old = _version_1(shipped)
    old["questions"][0]["text"] = "This text must not land."
    with pytest.raises(CatalogInvalid) as caught:
        catalog_import(data=old)
    assert [str(p) for p in caught.value.problems] == [f"version: {V1_MESSAGE}"]
    assert "export_catalog" in V1_MESSAGE and "version 2" in V1_MESSAGE
    assert not Question.objects.filter(text="This text must not land.").exists()


def test_import_command_refuses_a_version_1_file_and_says_what_to_do(db, shipped, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_version_1(shipped)), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_catalog", str(path), stderr=err)
    assert "version: this is a version 1 catalog" in err.getvalue()
    assert "export_catalog" in err.getvalue()
    assert _database_is_empty()


def test_invalid_files_change_nothing_and_name_every_problem(catalog, shipped):
    bad = copy.deepcopy(shipped)
    bad["questions"][5]["skill"] = "no-such-skill"
    bad["skills"][3]["slug"] = bad["skills"][4]["slug"]
    bad["actions"][0]["horizon"] = 45
    bad["titles"][1]["expectations"]["backlog-delivery"] = 150
    bad["situations"][1]["options"]["support"] = ""
    bad["questions"][0]["text"] = "This text must not land."
    bad["situations"][0]["text"] = "This situation must not land."
    problems = _problems(bad)
    assert 'questions[5].skill: unknown skill "no-such-skill"' in problems
    assert any(p.startswith("skills[4].slug: duplicate") for p in problems)
    assert "actions[0].horizon: must be 30, 60 or 90" in problems
    assert "titles[1].expectations.backlog-delivery: must be a whole number 0–100" in problems
    assert "situations[1].options.support: must be text" in problems
    assert not Question.objects.filter(text="This text must not land.").exists()
    assert not Situation.objects.filter(text="This situation must not land.").exists()


def _first_pole_statement(d: dict) -> dict:
    return next(q for q in d["questions"] if q["pole"])


def _index_of_first_pole_statement(d: dict) -> int:
    return d["questions"].index(_first_pole_statement(d))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("skills"), "skills: must be a list"),
        (lambda d: d.pop("situations"), "situations: must be a list"),
        (lambda d: d["questions"][0].pop("key"), "questions[0].key: is missing"),
        (lambda d: d["questions"][0].pop("pole"), "questions[0].pole: is missing"),
        (lambda d: d["questions"][0].pop("scale"), "questions[0].scale: is missing"),
        (lambda d: d["questions"][0].update(key=2), "questions[0].key: must be 1 or -1"),
        (
            lambda d: d["questions"][0].update(pole="middle"),
            'questions[0].pole: must be "", "strategic", "tactical", "leader" or "ic"',
        ),
        (
            lambda d: d["questions"][0].update(scale="often"),
            'questions[0].scale: must be "agree" or "frequency"',
        ),
        (
            lambda d: d["questions"][0].update(pole=None),
            "questions[0].pole: has the wrong type",
        ),
        (
            lambda d: d["skills"][0].update(strategic_loading=0.5),
            "skills[0].strategic_loading: is not a known field",
        ),
        (
            lambda d: d["skills"][0].update(order="first"),
            "skills[0].order: has the wrong type",
        ),
        (
            lambda d: d["titles"][0].update(track="nowhere"),
            'titles[0].track: unknown track "nowhere"',
        ),
        (lambda d: d["skills"][0].update(colour="red"), "skills[0].colour: is not a known field"),
        (lambda d: d.update(format="other"), 'format: must be "trajectory-catalog"'),
        (lambda d: d.update(version=3), "version: must be 2"),
        (
            lambda d: d["situations"][1].update(id=d["situations"][0]["id"]),
            'situations[1].id: duplicate "{situation}"',
        ),
        (lambda d: d["situations"][0].update(text="  "), "situations[0].text: must not be empty"),
        (
            lambda d: d["situations"][0]["options"].pop("delegate"),
            "situations[0].options.delegate: is missing",
        ),
        (
            lambda d: d["situations"][0]["options"].update(coach=3),
            "situations[0].options.coach: must be text",
        ),
        (
            lambda d: d["situations"][0]["options"].update(ignore="Do nothing."),
            'situations[0].options.ignore: is not a style (the styles are "direct", "coach", '
            '"support" and "delegate")',
        ),
        (
            lambda d: d["situations"][0].update(options=[]),
            "situations[0].options: has the wrong type",
        ),
        (
            lambda d: _first_pole_statement(d).update(key=-1),
            "questions[{pole_index}].key: must be 1 on a pole statement",
        ),
    ],
)
def test_each_kind_of_structural_problem_is_reported(db, shipped, mutate, expected):
    expected = expected.format(
        situation=shipped["situations"][0]["id"],
        pole_index=_index_of_first_pole_statement(shipped),
    )
    mutate(shipped)
    problems = _problems(shipped)
    assert any(p.startswith(expected) for p in problems), problems
    assert _database_is_empty()


def test_the_import_refuses_a_pole_with_too_few_statements(db, shipped):
    # Two statements off each pole of the strategic axis: still balanced, too few on both.
    for pole in ("strategic", "tactical"):
        for question in _active_pole(shipped, pole)[-2:]:
            question["active"] = False
    n = len(_active_pole(shipped, "strategic"))
    assert n < MIN_STATEMENTS_PER_POLE
    problems = _problems(shipped)
    assert (
        f"pole strategic: the strategic pole has {n} active statement(s); it needs at least 6"
        in problems
    )
    assert any(p.startswith("pole tactical: the tactical pole has") for p in problems)
    assert not any(p.startswith("axis ") for p in problems)
    assert _database_is_empty()


def test_the_import_refuses_unbalanced_poles(db, shipped):
    leaders = len(_active_pole(shipped, "leader"))
    ics = len(_active_pole(shipped, "ic"))
    for i in range(ics - leaders + 2):
        _new_statement(shipped, f"extra-leader-{i}", "leader")
    problems = _problems(shipped)
    assert any(
        p.startswith(
            f"axis leadership: the people leader pole has {ics + 2} active statement(s) and the "
            f"individual contributor pole {ics}; keep them within 1 of each other"
        )
        for p in problems
    ), problems
    assert _database_is_empty()


def test_the_import_counts_active_statements_already_in_the_database(catalog, shipped):
    """The file is balanced, but statements in the database that it leaves out are not."""
    skill = Skill.objects.first()
    for i in range(2):
        Question.objects.create(code=f"admin-made-{i}", text="x", skill=skill, pole="tactical")
    shipped["questions"][0]["text"] = "This text must not land."
    problems = _problems(shipped)
    assert any(p.startswith("database axis strategic: the strategic pole has") for p in problems)
    assert not Question.objects.filter(text="This text must not land.").exists()
    # Retiring them in the file lets the import through.
    for i in range(2):
        _new_statement(shipped, f"admin-made-{i}", "tactical")["active"] = False
    catalog_import(data=shipped)
    assert not Question.objects.filter(code__startswith="admin-made-", active=True).exists()


def test_import_command_reports_bad_json_with_its_position(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "trajectory-catalog",\n  "version": 2,,}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"not valid JSON: .* line 2, column 16"):
        call_command("import_catalog", str(path))


def test_import_command_prints_every_problem_and_changes_nothing(db, shipped, tmp_path):
    shipped["questions"][0]["scale"] = "sometimes"
    shipped["actions"][1]["skill"] = "ghost"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_catalog", str(path), stderr=err)
    assert 'questions[0].scale: must be "agree" or "frequency"' in err.getvalue()
    assert 'actions[1].skill: unknown skill "ghost"' in err.getvalue()
    assert _database_is_empty()


def test_import_command_imports_with_warnings_for_the_other_quality_problems(db, shipped, tmp_path):
    shipped["actions"] = [a for a in shipped["actions"] if a["skill"] != "market-insight"]
    path = tmp_path / "warned.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_catalog", str(path), stdout=out, stderr=err)
    assert "catalog check: skill market-insight: has no development action" in err.getvalue()
    assert "created" in out.getvalue()
    assert Skill.objects.filter(slug="market-insight").exists()


def test_export_command_writes_the_catalog(catalog, tmp_path, shipped):
    path = tmp_path / "out.json"
    call_command("export_catalog", str(path), stderr=StringIO())
    assert json.loads(path.read_text(encoding="utf-8")) == shipped


# --- the catalog check ------------------------------------------------------------------


def test_catalog_check_finds_each_kind_of_problem_with_its_place(shipped):
    data = copy.deepcopy(shipped)
    # A pole with too few statements, and so an unbalanced axis.
    for question in _active_pole(data, "ic")[MIN_STATEMENTS_PER_POLE - 1 :]:
        question["active"] = False
    # A skill with a single active statement.
    single = [q for q in data["questions"] if q["skill"] == "customer-insight"]
    for question in single[1:]:
        question["active"] = False
    # A skill without a reverse-keyed statement.
    for question in data["questions"]:
        if question["skill"] == "roadmapping":
            question["key"] = 1
    # A skill without actions.
    data["actions"] = [a for a in data["actions"] if a["skill"] != "market-insight"]
    # A title missing an expectation.
    del data["titles"][0]["expectations"]["hiring-staffing"]
    # Too few situations.
    for situation in data["situations"][5:]:
        situation["active"] = False
    problems = {str(p): p for p in catalog_problems(data)}
    leaders = len(_active_pole(data, "leader"))
    ics = MIN_STATEMENTS_PER_POLE - 1
    expected = {
        f"pole ic: the individual contributor pole has {ics} active statement(s); it needs at "
        "least 6": ("axes", ("pole", "ic")),
        f"axis leadership: the people leader pole has {leaders} active statement(s) and the "
        f"individual contributor pole {ics}; keep them within 1 of each other, or someone who "
        "agrees with everything is pushed towards the larger pole": (
            "axes",
            ("pole", "leader,ic"),
        ),
        "skill customer-insight: has 1 active statement(s); it needs at least 2": (
            "skills",
            ("roles.Skill", "customer-insight"),
        ),
        "skill roadmapping: has no reverse-keyed active statement (key -1), so agreeing with "
        "everything raises its score": ("skills", ("roles.Skill", "roadmapping")),
        "skill market-insight: has no development action": (
            "skills",
            ("roles.Skill", "market-insight"),
        ),
        "title associate-pm: has no expectation for hiring-staffing": (
            "titles",
            ("roles.Role", "associate-pm"),
        ),
        "situations: there are 5 active situation(s); the leadership-style lens needs 6 to 8": (
            "situations",
            ("roles.Situation", ""),
        ),
    }
    for text, (section, target) in expected.items():
        assert text in problems, sorted(problems)
        assert (problems[text].section, problems[text].target) == (section, target), text
    # Only the axes' rules refuse an import; the rest are warnings.
    refusing = {text for text, p in problems.items() if p.refuses_import}
    assert refusing == {text for text, (section, _) in expected.items() if section == "axes"}
    assert [str(p) for p in quality_problems(data)] == list(problems)


def test_the_check_counts_too_many_situations_too(shipped):
    data = copy.deepcopy(shipped)
    template = data["situations"][0]
    for i in range(9 - len(data["situations"])):
        data["situations"].append({**copy.deepcopy(template), "id": f"extra-{i}"})
    assert any(
        str(p).startswith("situations: there are 9 active situation(s)")
        for p in quality_problems(data)
    )


def test_catalog_check_page_groups_problems_and_links_each_to_its_page(client, staff, catalog):
    roadmapping = Skill.objects.get(slug="roadmapping")
    roadmapping.questions.filter(key=-1).update(key=1)
    title = Role.objects.get(slug="senior-pm")
    title.expectations.filter(skill__slug="hiring-staffing").delete()
    for question in Question.objects.active().filter(pole="strategic")[:2]:
        question.active = False
        question.save()
    Situation.objects.filter(pk__in=Situation.objects.order_by("-order").values("pk")[:3]).update(
        active=False
    )
    blank = Question.objects.filter(pole="").order_by("order", "code").first()
    blank.text = "   "  # only possible outside the admin's forms
    blank.save()
    situation = Situation.objects.order_by("order", "code").first()
    situation.coach = ""
    situation.save()

    client.force_login(staff)
    response = client.get(reverse("admin:roles_catalog_check"))
    assert response.status_code == 200
    html = response.content.decode()
    headings = ["Axes and poles", "Skills", "Statements", "Titles", "Situations"]
    positions = [html.index(f"<h2>{heading} ") for heading in headings]
    assert positions == sorted(positions)
    for url in (
        reverse("admin:roles_skill_change", args=[roadmapping.pk]),
        reverse("admin:roles_role_change", args=[title.pk]),
        reverse("admin:roles_question_change", args=[blank.pk]),
        reverse("admin:roles_situation_change", args=[situation.pk]),
        reverse("admin:roles_situation_changelist"),
        reverse("admin:roles_question_changelist") + "?active__exact=1&amp;pole__in=strategic",
    ):
        assert f'href="{url}"' in html, url
    assert "has no reverse-keyed active statement" in html
    assert "an import refuses a catalog with this problem" in html
    # The pole links open the statements of that pole (or axis), active ones only.
    axis = client.get(
        reverse("admin:roles_question_changelist") + "?active__exact=1&pole__in=strategic,tactical"
    )
    assert axis.status_code == 200
    assert axis.context["cl"].result_count == (
        Question.objects.active().filter(pole__in=["strategic", "tactical"]).count()
    )


def test_catalog_check_page_says_so_when_there_is_nothing_to_fix(client, staff, catalog):
    client.force_login(staff)
    html = client.get(reverse("admin:roles_catalog_check")).content.decode()
    assert "No problems found" in html


# --- the admin ----------------------------------------------------------------------------


ADMIN_PAGES = [
    "admin:roles_track_changelist",
    "admin:roles_skillgroup_changelist",
    "admin:roles_skill_changelist",
    "admin:roles_role_changelist",
    "admin:roles_question_changelist",
    "admin:roles_developmentaction_changelist",
    "admin:roles_situation_changelist",
    "admin:accounts_user_changelist",
    "admin:roles_catalog_check",
]


def test_admin_pages_load_for_staff(client, staff, catalog):
    client.force_login(staff)
    for name in ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    role = Role.objects.get(slug="director-of-pm")
    skill = Skill.objects.get(slug="mentoring-coaching")
    situation = Situation.objects.first()
    for url in (
        reverse("admin:roles_role_change", args=[role.pk]),
        reverse("admin:roles_skill_change", args=[skill.pk]),
        reverse("admin:roles_situation_change", args=[situation.pk]),
        reverse("admin:roles_question_changelist") + "?q=coach",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_is_closed_to_people_who_are_not_staff(client, alice, catalog):
    client.force_login(alice)
    for name in ADMIN_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response.url, name


def _skill_statement(code_prefix: str) -> Question:
    """A statement of the skill that places no one on a pole, keyed +."""
    return (
        Question.objects.filter(code__startswith=code_prefix, pole="", key=1)
        .order_by("order", "code")
        .first()
    )


def test_staff_can_edit_a_question_in_the_admin(client, staff, catalog):
    question = _skill_statement("mentoring-coaching-")
    client.force_login(staff)
    response = client.post(
        reverse("admin:roles_question_change", args=[question.pk]),
        {
            "code": question.code,
            "text": "I coach another PM every week.",
            "skill": question.skill_id,
            "pole": "",
            "key": -1,
            "scale": "frequency",
            "order": question.order,
            "active": "on",
            "seen_version": question.version,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "I coach another PM every week." and question.key == -1
    assert question.scale == "frequency" and question.version == 2


def _question_post(question, text: str, seen_version) -> dict:
    return {
        "code": question.code,
        "text": text,
        "skill": question.skill_id,
        "pole": question.pole,
        "key": question.key,
        "scale": question.scale,
        "order": question.order,
        "active": "on",
        "seen_version": seen_version,
    }


def test_the_second_of_two_admins_editing_a_question_is_told_it_changed(staff, catalog):
    from django.test import Client

    question = Question.objects.filter(skill__slug="mentoring-coaching").order_by("code")[1]
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


# --- development actions: who they fit ---------------------------------------------------

PRACTICES = [p for p in Practice.values if p]
#: Skills a move up pulls against: the shipped catalog hands each of them over, towards the
#: people-leader ladder.
LET_GO_TOWARDS_LEADERSHIP = (
    "hands-on-execution",
    "backlog-delivery",
    "feature-definition",
    "product-analytics",
)
#: Words that only make sense to someone who manages people.
MANAGER_WORDS = ("you manage", "your report", "each report", "your direct report")


def _ic_can_do(action: dict) -> bool:
    return action["role_kind"] in ("", "ic")


def _leader_can_do(action: dict) -> bool:
    return action["role_kind"] in ("", "leader")


def _steps(data: dict, skill: str) -> list[dict]:
    return [a for a in data["actions"] if a["skill"] == skill and a["kind"] == "step"]


def test_shipped_actions_give_every_skill_steps_for_both_role_kinds_over_three_horizons(shipped):
    assert len(shipped["actions"]) >= 80
    for skill in shipped["skills"]:
        steps = _steps(shipped, skill["slug"])
        for can_do in (_ic_can_do, _leader_can_do):
            horizons = {a["horizon"] for a in steps if can_do(a)}
            assert horizons, (skill["slug"], can_do.__name__)
        assert {a["horizon"] for a in steps if _ic_can_do(a)} == {30, 60, 90}, skill["slug"]
        # Sized per rung: at least two versions of the skill's step for different levels.
        assert len({(a["min_level"], a["max_level"]) for a in steps}) >= 2, skill["slug"]


def test_shipped_actions_have_a_step_of_every_skill_for_every_title(shipped):
    """Whatever title someone holds today, each skill has a step they can do in it."""
    kind_of_track = {t["slug"]: t["kind"] for t in shipped["tracks"]}
    for title in shipped["titles"]:
        kind, level = kind_of_track[title["track"]], title["level"]
        for skill in shipped["skills"]:
            fitting = [
                a
                for a in _steps(shipped, skill["slug"])
                if a["role_kind"] in ("", kind) and a["min_level"] <= level <= a["max_level"]
            ]
            assert fitting, (title["slug"], skill["slug"])


def test_shipped_actions_tag_every_practice_for_people_with_and_without_reports(shipped):
    counts = Counter(a["practice"] for a in shipped["actions"])
    for practice in PRACTICES:
        assert counts[practice] >= 2, practice
    for practice in ("regular-check-ins", "empowerment-vs-command"):
        tagged = [a for a in shipped["actions"] if a["practice"] == practice]
        assert sum(map(_ic_can_do, tagged)) >= 2, practice
        assert sum(map(_leader_can_do, tagged)) >= 2, practice


def test_shipped_let_go_actions_hand_over_early_what_a_move_up_pulls_against(shipped):
    let_go = [a for a in shipped["actions"] if a["kind"] == "let-go"]
    assert len(let_go) >= 6
    assert all(a["horizon"] == 30 for a in let_go)
    for skill in LET_GO_TOWARDS_LEADERSHIP:
        towards_leadership = [
            a for a in let_go if a["skill"] == skill and a["track"] in (None, "product-leadership")
        ]
        assert towards_leadership, skill
    # And towards the craft path (principal PM): partners, ceremonies.
    assert {a["skill"] for a in let_go if a["track"] == "product-management"} & {
        "stakeholder-alignment",
        "backlog-delivery",
    }
    # Someone with reports and someone without each have a let-go for hands-on execution.
    hands_on = [a for a in let_go if a["skill"] == "hands-on-execution"]
    assert any(map(_ic_can_do, hands_on)) and any(map(_leader_can_do, hands_on))


def test_shipped_actions_never_ask_someone_without_reports_to_manage_people(shipped):
    for action in shipped["actions"]:
        if _ic_can_do(action):
            text = f"{action['title']} {action['description']}".lower()
            assert not any(word in text for word in MANAGER_WORDS), action["id"]
    handing_over = next(a for a in shipped["actions"] if a["id"] == "team-culture-empowerment-90")
    assert handing_over["role_kind"] == "leader"


def test_shipped_actions_are_short_and_keep_their_ids(shipped):
    """The first 51 actions keep their ids (plans point at them); new ones are named
    <skill>-<ic, leader or any>-<n>."""
    skills = {s["slug"] for s in shipped["skills"]}
    first, named = [], []
    for action in shipped["actions"]:
        assert len(action["title"]) < 80, action["id"]
        assert len(action["description"].split()) <= 60, action["id"]
        assert action["id"].startswith(f"{action['skill']}-") and action["skill"] in skills
        rest = action["id"].removeprefix(f"{action['skill']}-")
        if rest in ("30", "60", "90"):
            assert int(rest) == action["horizon"], action["id"]
            first.append(action["id"])
        else:
            who, _, n = rest.partition("-")
            assert who == (action["role_kind"] or "any") and n.isdigit(), action["id"]
            named.append(action["id"])
    assert len(first) == 51
    assert len(set(first + named)) == len(shipped["actions"])


def test_database_refuses_an_action_outside_its_rules(catalog):
    skill = Skill.objects.first()
    base = {"skill": skill, "horizon": 30, "title": "x", "description": "y"}
    for i, bad in enumerate(
        [
            {"role_kind": "boss"},
            {"min_level": 0},
            {"max_level": 7},
            {"min_level": 4, "max_level": 3},
            {"kind": "drop"},
            {"kind": "let-go", "horizon": 60},
        ]
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            DevelopmentAction.objects.create(code=f"bad-action-{i}", **{**base, **bad})
    fine = DevelopmentAction.objects.create(code="fine", **{**base, "kind": "let-go"})
    assert (fine.role_kind, fine.min_level, fine.max_level) == ("", 1, 6)


def _first_let_go(d: dict) -> dict:
    return next(a for a in d["actions"] if a["kind"] == "let-go")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["actions"][0].pop("role_kind"), "actions[0].role_kind: is missing"),
        (lambda d: d["actions"][0].pop("min_level"), "actions[0].min_level: is missing"),
        (lambda d: d["actions"][0].pop("max_level"), "actions[0].max_level: is missing"),
        (lambda d: d["actions"][0].pop("kind"), "actions[0].kind: is missing"),
        (
            lambda d: d["actions"][0].update(role_kind=None),
            "actions[0].role_kind: has the wrong type",
        ),
        (
            lambda d: d["actions"][0].update(min_level="1"),
            "actions[0].min_level: has the wrong type",
        ),
        (
            lambda d: d["actions"][0].update(max_level=True),
            "actions[0].max_level: has the wrong type",
        ),
        (
            lambda d: d["actions"][0].update(role_kind="manager"),
            'actions[0].role_kind: must be "", "ic" or "leader"',
        ),
        (
            lambda d: d["actions"][0].update(min_level=0),
            "actions[0].min_level: must be a level from 1 to 6",
        ),
        (
            lambda d: d["actions"][0].update(max_level=7),
            "actions[0].max_level: must be a level from 1 to 6",
        ),
        (
            lambda d: d["actions"][0].update(min_level=5, max_level=2),
            "actions[0].max_level: must be at least min_level (5)",
        ),
        (
            lambda d: d["actions"][0].update(kind="skip"),
            'actions[0].kind: must be "step" or "let-go"',
        ),
        (
            lambda d: _first_let_go(d).update(horizon=60),
            "actions[{let_go}].horizon: must be 30 on a let-go action",
        ),
    ],
)
def test_each_kind_of_action_problem_is_reported(db, shipped, mutate, expected):
    expected = expected.format(let_go=shipped["actions"].index(_first_let_go(shipped)))
    mutate(shipped)
    problems = _problems(shipped)
    assert any(p.startswith(expected) for p in problems), problems
    assert _database_is_empty()


def test_catalog_check_warns_about_actions_that_leave_someone_out(shipped):
    data = copy.deepcopy(shipped)
    # market-insight: only people leaders have steps; hiring-staffing: only ICs.
    for action in data["actions"]:
        if action["skill"] == "market-insight":
            action["role_kind"] = "leader"
            action["min_level"], action["max_level"] = 3, 6
        if action["skill"] == "hiring-staffing":
            action["role_kind"] = "ic"
            action["min_level"], action["max_level"] = 1, 4
    # hands-on-execution: nothing to let go of.
    for action in data["actions"]:
        if action["skill"] == "hands-on-execution" and action["kind"] == "let-go":
            action["kind"] = "step"
    # An action no title can take: people leaders start at level 3.
    lost = data["actions"][0]
    lost.update(role_kind="leader", min_level=1, max_level=2)
    assert import_problems(data) == []  # warnings only: the import takes the file
    problems = {str(p): p for p in quality_problems(data)}
    expected = {
        "skill market-insight: has no step an individual contributor (no reports) can do in "
        'their current role (a step with role_kind "" or "ic")': ("roles.Skill", "market-insight"),
        "skill hiring-staffing: has no step a people leader can do in their current role (a "
        'step with role_kind "" or "leader")': ("roles.Skill", "hiring-staffing"),
        "skill hands-on-execution: has no let-go action: a move up pulls against this skill, "
        "so the plan should say how to hand it over": ("roles.Skill", "hands-on-execution"),
        f"action {lost['id']}: fits no one: no people leader title sits at levels 1–2": (
            "roles.DevelopmentAction",
            lost["id"],
        ),
    }
    for text, target in expected.items():
        assert text in problems, sorted(problems)
        assert (problems[text].section, problems[text].target) == ("actions", target), text
        assert not problems[text].refuses_import
    assert len(problems) == len(expected)


def test_actions_round_trip_with_who_they_fit(db, shipped):
    changed = copy.deepcopy(shipped)
    action = next(a for a in changed["actions"] if a["kind"] == "step" and a["horizon"] == 30)
    action.update(role_kind="leader", min_level=4, max_level=5, kind="let-go")
    catalog_import(data=changed)
    exported = catalog_export()
    assert exported == changed
    stored = DevelopmentAction.objects.get(code=action["id"])
    assert (stored.role_kind, stored.min_level, stored.max_level, stored.kind) == (
        "leader",
        4,
        5,
        "let-go",
    )
    assert not catalog_import(data=exported).changed
    # Back to the shipped file: one update, and the row's version moves on once.
    report = catalog_import(data=shipped)
    assert report.updated["actions"] == 1 and sum(report.created.values()) == 0
    assert catalog_export() == shipped
    stored.refresh_from_db()
    assert (stored.kind, stored.version) == ("step", 2)


def _action_post(action: DevelopmentAction, **changes) -> dict:
    data = {
        "code": action.code,
        "skill": action.skill_id,
        "kind": action.kind,
        "title": action.title,
        "description": action.description,
        "role_kind": action.role_kind,
        "min_level": action.min_level,
        "max_level": action.max_level,
        "track": action.track_id or "",
        "horizon": action.horizon,
        "practice": action.practice,
        "seen_version": action.version,
    }
    return {**data, **changes}


def test_staff_edit_who_an_action_fits_in_the_admin(client, staff, catalog):
    action = DevelopmentAction.objects.get(code="customer-insight-60")
    url = reverse("admin:roles_developmentaction_change", args=[action.pk])
    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200 and 'name="seen_version"' in page.content.decode()
    listing = client.get(
        reverse("admin:roles_developmentaction_changelist") + "?kind__exact=let-go"
    )
    assert listing.status_code == 200
    assert (
        listing.context["cl"].result_count
        == DevelopmentAction.objects.filter(kind="let-go").count()
    )
    refused = client.post(url, _action_post(action, min_level=5, max_level=2))
    assert refused.status_code == 200
    assert "Must be at least the lowest level." in refused.content.decode()
    refused = client.post(url, _action_post(action, kind="let-go"))  # horizon 60
    assert refused.status_code == 200
    assert "A let-go action belongs in the first 30 days" in refused.content.decode()
    saved = client.post(url, _action_post(action, role_kind="leader", min_level=3, max_level=6))
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.role_kind, action.min_level, action.max_level, action.version) == (
        "leader",
        3,
        6,
        2,
    )
