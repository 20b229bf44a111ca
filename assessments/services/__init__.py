"""Writes for assessments and plans, split by domain; the names views and commands call."""

from assessments.services.answers import (
    AlreadySubmitted,
    answers_save,
    missing_questions,
    styles_save,
    week_save,
)
from assessments.services.assessments import (
    DRIVERS_PER_SIDE,
    Incomplete,
    assessment_start,
    assessment_submit,
    result_of,
    result_snapshot,
    score_answers,
    submission_of,
)
from assessments.services.plans import (
    EVIDENCE_MAX_LENGTH,
    PLAN_NOTE_MAX_LENGTH,
    plan_create,
    plan_item_update,
    plan_progress,
)
from assessments.services.sharing import assessment_set_sharing, latest_shared_refresh
from assessments.specs import default_target_for, skill_specs, title_specs
from roles.selectors import Catalog, active_questions


def catalog() -> Catalog:
    """The catalog for this request: each part read from the database when first used."""
    return Catalog()


__all__ = [
    "DRIVERS_PER_SIDE",
    "EVIDENCE_MAX_LENGTH",
    "PLAN_NOTE_MAX_LENGTH",
    "AlreadySubmitted",
    "Catalog",
    "Incomplete",
    "active_questions",
    "answers_save",
    "assessment_set_sharing",
    "assessment_start",
    "assessment_submit",
    "catalog",
    "default_target_for",
    "latest_shared_refresh",
    "missing_questions",
    "plan_create",
    "plan_item_update",
    "plan_progress",
    "result_of",
    "result_snapshot",
    "score_answers",
    "skill_specs",
    "styles_save",
    "submission_of",
    "title_specs",
    "week_save",
]
