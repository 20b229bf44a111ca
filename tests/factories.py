"""Build assessments through the real services, so tests see what users see."""

from collections.abc import Callable

from accounts.models import User
from assessments import services
from assessments.models import Assessment
from roles.models import Question, Role

Answerer = Callable[[Question], int]


def neutral(question: Question) -> int:
    return 3


def leaning(strategic: int, leadership: int) -> Answerer:
    """Answers that push a person towards a quadrant: +1 strategic/leader, -1 the other way.

    A statement is agreed with when its skill's loading (times its key) points the wanted way.
    """

    def answer(question: Question) -> int:
        skill = question.skill
        pull = strategic * skill.strategic_loading + leadership * skill.leadership_loading
        agree = pull * question.key
        return 5 if agree > 0.15 else 1 if agree < -0.15 else 3

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
    questions = list(services.active_questions())
    services.answers_save(
        assessment=assessment,
        values={q.code: answerer(q) for q in questions},
        notes=notes or {},
    )


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
