"""Item analysis: the statistics against a known latent model, and the admin page."""

import csv
import io
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import item_analysis as ia
from assessments.models import Answer, Assessment
from roles.models import Question, Situation, Skill, SkillGroup
from tests.conftest import make_user

URL = "admin_item_analysis"

# -- a known latent model -------------------------------------------------------------------

LOADINGS = (0.6, 0.7, 0.8, 0.9, 1.0, 0.7)
NOISE = 1.0


def latent_answers(n: int, seed: int, loadings=LOADINGS, noise_items: int = 0) -> list[list[int]]:
    """``n`` respondents: item j = round(3 + loading_j·θ + ε) clipped to 1..5, with θ and ε
    standard normal (ε scaled by NOISE); then ``noise_items`` answers drawn uniformly 1..5,
    unrelated to θ."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        theta = rng.gauss(0, 1)
        row = [min(5, max(1, round(3 + lo * theta + rng.gauss(0, NOISE)))) for lo in loadings]
        rows.append(row + [rng.randint(1, 5) for _ in range(noise_items)])
    return rows


def covariance_alpha(matrix) -> float:
    """Alpha the other way round (k·mean covariance / (mean variance + (k−1)·mean covariance)),
    written independently of the module under test."""
    k, n = len(matrix[0]), len(matrix)
    means = [sum(r[j] for r in matrix) / n for j in range(k)]

    def cov(a, b):
        return sum((r[a] - means[a]) * (r[b] - means[b]) for r in matrix) / (n - 1)

    variances = [cov(j, j) for j in range(k)]
    covs = [cov(a, b) for a in range(k) for b in range(k) if a != b]
    c = sum(covs) / len(covs)
    return k * c / (sum(variances) / k + (k - 1) * c)


@pytest.fixture(scope="module")
def population_alpha() -> float:
    """The alpha of the discretised model itself, from 100,000 respondents."""
    return ia.cronbach_alpha(latent_answers(100_000, seed=1))


def test_alpha_is_recovered_from_400_respondents_of_a_known_model(population_alpha):
    sample = latent_answers(400, seed=20240501)
    alpha = ia.cronbach_alpha(sample)
    assert abs(alpha - population_alpha) < 0.05, (alpha, population_alpha)
    # The continuous model before rounding, in closed form: rounding costs a little.
    k = len(LOADINGS)
    continuous = (
        k / (k - 1)
        * (1 - sum(lo**2 + NOISE**2 for lo in LOADINGS) / (sum(LOADINGS) ** 2 + k * NOISE**2))
    )  # fmt: skip
    assert abs(alpha - continuous) < 0.05, (alpha, continuous)
    assert alpha == pytest.approx(covariance_alpha(sample), abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_stays_within_005_whatever_the_sample(population_alpha, seed):
    assert abs(ia.cronbach_alpha(latent_answers(400, seed=100 + seed)) - population_alpha) < 0.05


def test_reverse_keyed_items_are_turned_around_before_alpha():
    sample = latent_answers(400, seed=7)
    keys = [1, -1, 1, -1, 1, 1]
    as_answered = [[v if k == 1 else 6 - v for v, k in zip(r, keys, strict=True)] for r in sample]
    assert ia.cronbach_alpha(ia.keyed(as_answered, keys)) == pytest.approx(
        ia.cronbach_alpha(sample)
    )
    # Left unflipped, the reverse items pull alpha down, and show a negative item-rest.
    assert ia.cronbach_alpha(as_answered) < 0.3
    assert ia.item_rest_correlations(as_answered)[1] < 0


def test_a_pure_noise_item_gets_a_low_item_rest_and_is_flagged():
    sample = latent_answers(400, seed=11, noise_items=1)
    rests = ia.item_rest_correlations(sample)
    assert rests[-1] < ia.ITEM_REST_FLAG
    assert all(r > 0.4 for r in rests[:-1])
    items = tuple(ia.Item(id=f"q{j}", text=f"Statement {j}") for j in range(7))
    report = ia.analyse([ia.Scale("Noisy", "skill", items, tuple(map(tuple, sample)))])[0]
    assert report.shown and report.n == 400
    assert [i.flagged for i in report.items] == [False] * 6 + [True]
    assert report.flagged_items == 1


def test_zero_variance_gives_none_not_a_crash():
    flat = [[3, 3, 3]] * 40
    assert ia.cronbach_alpha(flat) is None
    assert ia.item_rest_correlations(flat) == [None, None, None]
    one_constant = [[v, v, 3] for v in (1, 2, 3, 4, 5) * 8]
    assert ia.item_rest_correlations(one_constant)[2] is None
    assert ia.cronbach_alpha(one_constant) is not None
    items = tuple(ia.Item(id=c, text=c) for c in "abc")
    report = ia.analyse_scale(ia.Scale("Flat", "pole", items, tuple(map(tuple, flat))))
    assert report.shown and report.alpha is None and not report.alpha_flagged
    assert not any(i.flagged for i in report.items)
    assert ia.cronbach_alpha([]) is None and ia.item_rest_correlations([]) == []
    assert ia.cronbach_alpha([[1], [5]]) is None  # one item: no alpha


def test_a_loose_scale_is_flagged_and_the_page_says_so():
    weak = latent_answers(400, seed=4, loadings=(0.3, 0.3, 0.3, 0.3))
    items = tuple(ia.Item(id=f"q{j}", text=f"Statement {j}") for j in range(4))
    report = ia.analyse_scale(ia.Scale("Loose", "skill", items, tuple(map(tuple, weak))))
    assert report.alpha < ia.ALPHA_FLAG and report.alpha_flagged
    html = render_to_string(
        "admin/item_analysis_scale.html",
        {"scale": report, "values": ia.VALUES, "alpha_flag": 0.7, "item_rest_flag": 0.2},
    )
    assert f"Alpha: {report.alpha:.2f}" in html and "below 0.7" in html


def test_means_and_answer_counts_are_as_answered():
    matrix = [[1, 5], [2, 5], [2, 4], [5, 1]]
    assert ia.item_means(matrix) == [2.5, 3.75]
    assert ia.item_distributions(matrix) == [(1, 2, 0, 0, 1), (1, 0, 0, 1, 2)]


def test_nothing_is_computed_below_the_minimum_of_responses():
    items = tuple(ia.Item(id=f"q{j}", text="x") for j in range(6))
    few = tuple(map(tuple, latent_answers(ia.MIN_RESPONSES - 1, seed=3)))
    report = ia.analyse_scale(ia.Scale("Few", "skill", items, few))
    assert not report.shown and report.n == ia.MIN_RESPONSES - 1 and report.alpha is None
    assert all(i.mean is None and i.counts == () and i.item_rest is None for i in report.items)
    enough = tuple(map(tuple, latent_answers(ia.MIN_RESPONSES, seed=3)))
    assert ia.analyse_scale(ia.Scale("Enough", "skill", items, enough)).shown


def test_complete_cases_leave_out_whoever_missed_an_item_of_that_scale():
    people = [{"a": 1, "b": 2}, {"a": 3}, {"a": 4, "b": 5, "c": 1}]
    assert ia.complete_cases(people, ["a", "b"]) == ((1, 2), (4, 5))
    assert ia.complete_cases(people, ["a"]) == ((1,), (3,), (4,))


def test_the_style_lens_counts_choices_per_situation():
    situations = [("s1", "A launch slips"), ("s2", "A new hire")]
    choices = [{"s1": "coach", "s2": "direct"}] * 20 + [{"s1": "delegate", "gone": "coach"}] * 12
    report = ia.analyse_styles(situations, [*choices, {"s2": "shout"}])
    assert report.n == 32 and report.shown
    s1, s2 = report.situations
    assert s1.shown and s1.n == 32 and s1.counts == (0, 20, 0, 12)
    assert s1.shares == pytest.approx((0, 20 / 32, 0, 12 / 32))
    assert not s2.shown and s2.n == 20 and s2.counts == ()


# -- the admin page -------------------------------------------------------------------------

FORMULA = "=HYPERLINK('http://evil.example','click')"


@pytest.fixture
def bank(db) -> list[Question]:
    """A small catalog of its own (the shipped one is changing): two skills; each pole has
    two statements; one reverse-keyed statement; one statement whose text looks like a
    formula; one pure-noise statement; two situations."""
    group = SkillGroup.objects.create(slug="ia-group", name="Item analysis group", order=99)
    vision = Skill.objects.create(slug="ia-vision", name="IA Vision", group=group, order=98)
    people = Skill.objects.create(slug="ia-people", name="IA People", group=group, order=99)
    specs = [
        ("ia-v1", "I set direction for the year.", vision, 1, "strategic"),
        ("ia-v2", "I connect work to company goals.", vision, 1, "strategic"),
        ("ia-v3", "I mostly react to this week's fires.", vision, -1, ""),
        ("ia-v4", FORMULA, vision, 1, "tactical"),
        ("ia-v5", "I ship the backlog on time.", vision, 1, "tactical"),
        ("ia-p1", "I coach the people I manage.", people, 1, "leader"),
        ("ia-p2", "I hire and grow a team.", people, 1, "leader"),
        ("ia-p3", "I do the hands-on work myself.", people, 1, "ic"),
        ("ia-p4", "I prefer working alone.", people, 1, "ic"),
        ("ia-p5", "I like the colour blue.", people, 1, ""),  # pure noise
    ]
    Question.objects.exclude(code__startswith="ia-").update(active=False)
    Situation.objects.update(active=False)
    for i, code in enumerate(("ia-s1", "ia-s2")):
        Situation.objects.create(
            code=code, text=f"Situation {i}", direct="d", coach="c", support="s",
            delegate="g", order=i,
        )  # fmt: skip
    return [
        Question.objects.create(code=c, text=t, skill=s, key=k, pole=p, order=i)
        for i, (c, t, s, k, p) in enumerate(specs)
    ]


def respond(questions: list[Question], count: int, *, seed: int = 5, start: int = 0) -> None:
    """``count`` people submit an instrument-2 self-assessment, answers from a latent model
    (one trait per skill; the noise statement answered at random)."""
    rng = random.Random(seed + start)
    now = timezone.now()
    styles = ("direct", "coach", "support", "delegate")
    for n in range(start, start + count):
        person = make_user(f"ia{n}@example.com", f"Respondent {n}")
        traits = {"ia-vision": rng.gauss(0, 1), "ia-people": rng.gauss(0, 1)}
        assessment = Assessment.objects.create(
            subject=person,
            assessor=person,
            kind=Assessment.Kind.SELF,
            status=Assessment.Status.SUBMITTED,
            submitted_at=now - timedelta(minutes=n),
            result={"score": {"instrument": 2}},
            style_choices={
                "ia-s1": {"style": rng.choice(styles[:2]), "text": "t", "option": "o"},
                "ia-s2": {"style": rng.choice(styles), "text": "t", "option": "o"},
            },
        )
        answers = []
        for q in questions:
            if q.code == "ia-p5":
                value = rng.randint(1, 5)
            else:
                latent = 3 + q.key * 1.2 * traits[q.skill.slug] + rng.gauss(0, 0.6)
                value = min(5, max(1, round(latent)))
            answers.append(
                Answer(
                    assessment=assessment, question=q, question_code=q.code, text=q.text,
                    key=q.key, pole=q.pole, skill_slug=q.skill.slug, skill_name=q.skill.name,
                    value=value,
                )
            )  # fmt: skip
        Answer.objects.bulk_create(answers)


def not_counted(questions: list[Question]) -> None:
    """Results that must not count: a first-instrument result, a draft, a manager's."""
    old = make_user("old@example.com", "Old Instrument")
    manager = make_user("boss@example.com", "Boss")
    subject = make_user("subj@example.com", "Subject", manager=manager)
    now = timezone.now()
    rows = [
        Assessment(subject=old, assessor=old, status="submitted", submitted_at=now,
                   result={"score": {"answered": 1}}),
        Assessment(subject=subject, assessor=subject, status="draft"),
        Assessment(subject=subject, assessor=manager, kind="manager", status="submitted",
                   submitted_at=now, result={"score": {"instrument": 2}}),
    ]  # fmt: skip
    for a in rows:
        a.save()
        Answer.objects.bulk_create(
            Answer(
                assessment=a, question=q, question_code=q.code, text=q.text, key=q.key,
                pole=q.pole, skill_slug=q.skill.slug, skill_name=q.skill.name, value=1,
            )
            for q in questions
        )  # fmt: skip


def test_staff_see_the_page_and_few_results_show_nothing(client_for, staff, bank):
    respond(bank, 5)
    not_counted(bank)
    response = client_for(staff).get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Item analysis</h1>" in html and 'class="breadcrumbs"' in html
    assert "5 submitted self-assessments on this catalog version" in html
    # Four poles, two skills and the style lens: each says so and shows nothing else.
    assert html.count("Fewer than 30 responses on this catalog version — not shown yet") == 7
    assert "Item-rest r</th>" not in html and "I set direction" not in html
    assert "forced choice" in html  # why the style lens has no alpha


def test_with_enough_results_every_scale_shows_its_figures(client_for, staff, bank):
    respond(bank, 120)  # enough for the noise statement to stay clear of 0.2 by chance
    not_counted(bank)
    response = client_for(staff).get(reverse(URL))
    html = response.content.decode()
    assert "120 submitted self-assessments" in html
    assert "Fewer than 30" not in html
    assert html.count("Responses: 120") == 7  # 4 poles, 2 skills, style lens
    poles = ("Strategic pole", "Tactical pole", "People leader pole", "Individual contributor pole")
    for pole in poles:
        assert f"<h3>{pole}</h3>" in html
    assert "I mostly react to this week&#x27;s fires. <em>(reverse-keyed)</em>" in html
    scales = {s.name: s for s in response.context["skills"]}
    people = scales["IA People"]
    assert people.shown and people.n == 120
    flagged = {i.id for i in people.items if i.flagged}
    assert flagged == {"ia-p5"}  # the pure-noise statement
    assert "below 0.2" in html
    vision = scales["IA Vision"]
    assert vision.alpha > 0.7 and not vision.alpha_flagged
    assert all(i.item_rest > 0.2 for i in vision.items)  # the reverse item was turned round
    assert sum(vision.items[0].counts) == 120
    styles = response.context["styles"]
    assert styles.shown and styles.situations[0].counts[2:] == (0, 0)


def test_a_missing_answer_leaves_that_person_out_of_that_scale_only(client_for, staff, bank):
    respond(bank, 31)
    first = Assessment.objects.get(subject__email="ia0@example.com")
    Answer.objects.filter(assessment=first, question_code="ia-v1").delete()
    response = client_for(staff).get(reverse(URL))
    scales = {s.name: s for s in [*response.context["poles"], *response.context["skills"]]}
    assert scales["IA Vision"].n == 30 and scales["Strategic pole"].n == 30
    assert scales["IA People"].n == 31 and scales["Tactical pole"].n == 31


def test_the_skill_list_links_to_the_page(client_for, staff, bank):
    html = client_for(staff).get(reverse("admin:roles_skill_changelist")).content.decode()
    assert f'href="{reverse(URL)}"' in html


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_anyone_but_staff_is_sent_to_the_admin_login(client_for, alice, who, bank):
    for url in (reverse(URL), reverse(URL) + "?format=csv"):
        response = client_for(None if who == "anonymous" else alice).get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_the_csv_has_one_row_per_item_and_neutralises_formulas(client_for, staff, bank):
    respond(bank, 120)
    response = client_for(staff).get(reverse(URL) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[:16] == [
        "scale", "kind", "item id", "text", "key", "n", "mean", "item-rest r", "flag",
        "count_1", "count_2", "count_3", "count_4", "count_5", "scale alpha", "scale flag",
    ]  # fmt: skip
    pole_items = sum(1 for q in bank if q.pole)
    assert len(body) == pole_items + len(bank) + 2  # poles, skills, two situations
    by_id = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in body}
    formula = by_id[("IA Vision", "ia-v4")]
    assert formula["text"] == "'" + FORMULA
    assert by_id[("Tactical pole", "ia-v4")]["text"] == "'" + FORMULA
    noise = by_id[("IA People", "ia-p5")]
    assert noise["n"] == "120" and noise["flag"] == "item-rest below 0.2"
    assert float(noise["item-rest r"]) < 0.2
    assert sum(int(noise[f"count_{v}"]) for v in range(1, 6)) == 120
    assert 0.7 < float(by_id[("IA Vision", "ia-v1")]["scale alpha"]) <= 1
    situation = by_id[("Style lens", "ia-s1")]
    assert int(situation["chose direct"]) + int(situation["chose coach"]) == 120


def test_the_csv_shows_no_figures_below_the_minimum(client_for, staff, bank):
    respond(bank, 10)
    response = client_for(staff).get(reverse(URL) + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all(r["mean"] == r["item-rest r"] == r["scale alpha"] == "" for r in rows)
    assert all(r["count_1"] == "" and r["chose coach"] == "" for r in rows)
    assert all("fewer than 30" in r["flag"] for r in rows)


def test_the_page_reads_a_constant_number_of_queries(
    client_for, staff, bank, django_assert_max_num_queries
):
    client = client_for(staff)
    respond(bank, 30)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(URL)).status_code == 200
    respond(bank, 45, start=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(URL))
    assert response.context["results"] == 75
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse(URL) + "?format=csv")
