"""Build assessments through the real services, so tests see what users see."""

from collections.abc import Callable

from accounts.models import User
from assessments import services
from assessments.models import Assessment
from roles.models import Question, Role
from roles.selectors import active_situations

Answerer = Callable[[Question], int]


#: An even week: it pulls no way on either axis.
EVEN_WEEK = {"delivery": 20, "craft": 20, "strategy": 20, "people": 20, "other": 20}
POLE_SIGNS = {"strategic": (0, 1), "tactical": (0, -1), "leader": (1, 1), "ic": (1, -1)}


def neutral(question: Question) -> int:
    return 3


def leaning(strategic: int, leadership: int) -> Answerer:
    """Answers that push a person towards a quadrant: +1 strategic/leader, -1 the other way
    (0: neither). A pole statement is agreed with when its pole is the wanted end and
    disagreed with when it is the other end; skill-only statements are answered neutrally.
    The answerer carries a week that pulls the same way (``answerer.week``)."""
    wanted = (strategic, leadership)

    def answer(question: Question) -> int:
        if not question.pole:
            return 3
        axis, sign = POLE_SIGNS[question.pole]
        if wanted[axis] == 0:
            return 3
        return 5 if wanted[axis] == sign else 1

    s_share = {1: ("strategy", 40), -1: ("delivery", 40), 0: ("other", 20)}[strategic]
    l_share = {1: ("people", 40), -1: ("craft", 40), 0: ("other", 20)}[leadership]
    week = {"delivery": 0, "craft": 0, "strategy": 0, "people": 0, "other": 0}
    week[s_share[0]] += s_share[1]
    week[l_share[0]] += l_share[1]
    week["other"] += 100 - sum(week.values())
    answer.week = week
    return answer


def draft_for(user: User, *, assessor: User | None = None, target: str | None = None):
    target_title = Role.objects.get(slug=target) if target else None
    return services.assessment_start(
        assessor=assessor or user,
        subject=user,
        current_title=user.current_title or Role.objects.get(slug="product-manager"),
        target_title=target_title,
    )


def answer_all(assessment: Assessment, answerer: Answerer = neutral, notes=None) -> None:
    """Every statement; and for a self-assessment the week (the answerer's, else an even one)
    and every situation (coaching)."""
    questions = list(services.active_questions())
    services.answers_save(
        assessment=assessment,
        values={q.code: answerer(q) for q in questions},
        notes=notes or {},
    )
    if assessment.kind == Assessment.Kind.SELF:
        services.week_save(assessment=assessment, split=getattr(answerer, "week", EVEN_WEEK))
        choices = {s.code: "coach" for s in active_situations()}
        if choices:
            services.styles_save(assessment=assessment, choices=choices)


def submitted(
    user: User,
    answerer: Answerer = neutral,
    *,
    shared: bool = True,
    target: str | None = None,
    assessor: User | None = None,
) -> Assessment:
    draft = draft_for(user, assessor=assessor, target=target)
    answer_all(draft, answerer)
    return services.assessment_submit(assessment=draft, shared_with_manager=shared)
