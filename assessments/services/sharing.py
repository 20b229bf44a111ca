"""Sharing a result with one's manager, and the marker on the latest shared result."""

from django.db import transaction

from accounts.models import User
from assessments.models import Assessment

# ``Assessment.is_latest_shared`` marks the one result per person that their manager's team
# page joins: their latest submitted self-assessment shared with the manager (newest
# ``submitted_at``, then newest ``created_at``), or none. It is written only here, in the
# transactions that can change it (a submit, a sharing switch); the database allows at most
# one per person. It decides which result is joined, never who may see it.


def skill_scores(result: dict | None) -> list[list]:
    """The compact copy of a stored result's skill scores kept in ``Assessment.skill_scores``
    for the team heatmap: ``[slug, name, score]`` per skill, in the result's order."""
    skills = ((result or {}).get("score") or {}).get("skills") or ()
    return [[s["slug"], s["name"], s["score"]] for s in skills]


def marker_release(subject_id) -> None:
    Assessment.objects.filter(subject_id=subject_id, is_latest_shared=True).update(
        is_latest_shared=False
    )


def _subject_lock(subject_id) -> None:
    # A submit and a sharing switch at the same moment (two tabs) would otherwise each pick a
    # result from what they saw, and the second to commit would break the one-per-person rule.
    User.objects.select_for_update().filter(pk=subject_id).exists()


@transaction.atomic
def latest_shared_refresh(assessment: Assessment) -> None:
    """Put the marker on the latest shared, submitted self-assessment of ``assessment``'s
    subject (taking it off any other), and update ``assessment.is_latest_shared`` in memory so
    a later ``save()`` of this instance writes the right value."""
    if assessment.kind != Assessment.Kind.SELF:
        return
    _subject_lock(assessment.subject_id)
    mine = Assessment.objects.filter(subject_id=assessment.subject_id)
    latest = (
        mine.filter(
            kind=Assessment.Kind.SELF,
            status=Assessment.Status.SUBMITTED,
            shared_with_manager=True,
        )
        .order_by("-submitted_at", "-created_at")
        .only("pk", "is_latest_shared", "skill_scores", "result")
        .first()
    )
    # Off first, then on: the one-per-person constraint holds after every statement.
    mine.filter(is_latest_shared=True).exclude(pk=getattr(latest, "pk", None)).update(
        is_latest_shared=False
    )
    if latest is not None and not latest.is_latest_shared:
        scores = latest.skill_scores
        if scores is None:
            scores = skill_scores(latest.result)
        mine.filter(pk=latest.pk).update(is_latest_shared=True, skill_scores=scores)
        if latest.pk == assessment.pk:
            assessment.skill_scores = scores
    assessment.is_latest_shared = latest is not None and assessment.pk == latest.pk


@transaction.atomic
def assessment_set_sharing(*, assessment: Assessment, shared: bool) -> Assessment:
    """Share a submitted self-assessment with the subject's manager, or stop sharing it."""
    _subject_lock(assessment.subject_id)
    marker_release(assessment.subject_id)  # the database refuses it on an unshared result
    assessment.is_latest_shared = False
    assessment.shared_with_manager = shared
    assessment.save(update_fields=["shared_with_manager", "updated_at"])
    latest_shared_refresh(assessment)
    return assessment
