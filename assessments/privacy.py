"""A person's own data: everything of theirs as JSON (deleting it all is
``accounts.services.account_delete``)."""

from typing import Any

from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment, Plan

EXPORT_FORMAT = "trajectory-personal-data"


def _answers(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "question": a.text,
            "question_id": a.question_code,
            "skill": a.skill_slug,
            "key": a.key,
            "value": a.value,
            **({"evidence": a.note} if a.note else {}),
        }
        for a in assessment.answers.all()
    ]


def _assessment(a: Assessment) -> dict[str, Any]:
    score = (a.result or {}).get("score", {})
    return {
        "id": str(a.pk),
        "kind": a.kind,
        "status": a.status,
        "created_at": a.created_at.isoformat(),
        "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
        "current_title": a.current_title_name or (a.current_title and a.current_title.short_name),
        "target_title": a.target_title_name or (a.target_title and a.target_title.short_name),
        "shared_with_manager": a.shared_with_manager,
        "strategic": a.strategic,
        "leadership": a.leadership,
        "quadrant": a.quadrant,
        "reading": a.quadrant_label,
        "confidence": a.confidence,
        "closest_title": a.closest_title_name,
        "skills": {s["slug"]: s["score"] for s in score.get("skills", [])},
        "answers": _answers(a),
    }


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": str(plan.pk),
        "assessment": str(plan.assessment_id),
        "target_title": plan.target_name,
        "created_at": plan.created_at.isoformat(),
        "actions": [
            {
                "id": i.action_code,
                "skill": i.skill_slug,
                "horizon_days": i.horizon,
                "title": i.title,
                "status": i.status,
                "note": i.note,
                "evidence": i.evidence,
            }
            for i in plan.items.all()
        ],
    }


def personal_data(user: User) -> dict[str, Any]:
    """Everything stored about this person, and nothing about anyone else.

    Manager assessments about them are included without naming who wrote them; assessments
    they wrote about others are not theirs to export.
    """
    own = (
        Assessment.objects.filter(subject=user, kind=Assessment.Kind.SELF)
        .select_related("current_title", "target_title")
        .prefetch_related("answers")
        .order_by("created_at")
    )
    about_me = (
        Assessment.objects.filter(subject=user, kind=Assessment.Kind.MANAGER)
        .submitted()
        .prefetch_related("answers")
        .order_by("created_at")
    )
    plans = Plan.objects.filter(owner=user).prefetch_related("items").order_by("created_at")
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "name": user.name,
            "current_title": user.current_title.short_name if user.current_title else None,
            "has_manager": user.manager_id is not None,
            "date_joined": user.date_joined.isoformat(),
        },
        "assessments": [_assessment(a) for a in own],
        "manager_assessments_about_me": [_assessment(a) for a in about_me],
        "plans": [_plan(p) for p in plans],
    }
