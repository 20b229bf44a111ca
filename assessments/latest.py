"""Which of a person's results their manager's team page shows: ``Assessment.is_latest_shared``.

The marker sits on the person's latest submitted self-assessment that they share with their
manager (newest ``submitted_at``, then newest ``created_at``), or nowhere. The database allows
at most one per person (``one_latest_shared_per_subject``). Every write that can change which
result that is calls ``latest_shared_refresh`` inside its transaction: submitting a
self-assessment, and switching its sharing (which calls ``latest_shared_release`` first), in
``assessments.services``. Deleting a person deletes their results and the marker with them;
discarding a draft cannot move it (drafts never carry it).

The marker decides which result is joined, never who may see it: the team page still checks
each result it shows with the visibility rule (``Assessment.is_visible_to``).
"""

from django.db import connection, transaction

from accounts.models import User
from assessments.models import Assessment


def latest_shared_release(assessment: Assessment, lock: bool = True) -> None:
    """Lock the person's row, then take the marker off their results; call it before changing
    whether a result is shared (the database refuses the marker on an unshared result), and
    ``latest_shared_refresh`` after, in the same transaction.

    Every change to a person's marker takes this lock before it touches their results: a
    submit and a sharing switch at the same moment (two tabs) would otherwise each pick a
    result from what it saw, and the second to commit would break the one-per-person rule
    (or, taking the row locks in opposite orders, deadlock).

    ``lock=False``: a submit, which marks its own new result (the newest there is) in the
    same transaction; it takes the marker off the older result and then writes its own row
    with it, so the one-per-person rule holds at every statement without the person's lock.
    """
    if lock:
        _subject_lock(assessment)
    # In plain SQL (every submit runs it): Assessment.objects.filter(subject_id=…,
    # is_latest_shared=True).update(is_latest_shared=False), several times as quick to send.
    table = connection.ops.quote_name(Assessment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET is_latest_shared = %s "  # noqa: S608 (our table)
            "WHERE subject_id = %s AND is_latest_shared",
            [False, assessment.subject_id],
        )
    assessment.is_latest_shared = False


def _subject_lock(assessment: Assessment) -> None:
    list(User.objects.select_for_update().filter(pk=assessment.subject_id).values_list("pk"))


def skill_scores(result: dict | None) -> list[list]:
    """The compact copy of a stored result's skill scores kept in ``Assessment.skill_scores``:
    ``[slug, name, score]`` per skill, in the result's order."""
    skills = ((result or {}).get("score") or {}).get("skills") or ()
    return [[s["slug"], s["name"], s["score"]] for s in skills]


@transaction.atomic
def latest_shared_refresh(assessment: Assessment) -> None:
    """Put the marker on the latest shared, submitted self-assessment of ``assessment``'s
    subject (taking it off any other), and update ``assessment.is_latest_shared`` in memory so
    a later ``save()`` of this instance writes the right value. A manager assessment changes
    nothing."""
    if assessment.kind != Assessment.Kind.SELF:
        return
    _subject_lock(assessment)
    mine = Assessment.objects.filter(subject_id=assessment.subject_id)
    latest = (
        mine.filter(
            kind=Assessment.Kind.SELF,
            status=Assessment.Status.SUBMITTED,
            shared_with_manager=True,
        )
        .order_by("-submitted_at", "-created_at")
        .values_list("pk", "is_latest_shared", "skill_scores")
        .first()
    )
    pk, marked, scores = latest or (None, False, None)
    # Off first, then on: the one-per-person constraint holds after every statement.
    mine.filter(is_latest_shared=True).exclude(pk=pk).update(is_latest_shared=False)
    if pk is not None and not marked:
        changes = {"is_latest_shared": True}
        if scores is None:
            # The result being submitted is in memory; an older one is read (once, ever).
            if pk == assessment.pk and assessment.result is not None:
                result = assessment.result
            else:
                result = mine.filter(pk=pk).values_list("result", flat=True).get()
            changes["skill_scores"] = skill_scores(result)
            if pk == assessment.pk:
                assessment.skill_scores = changes["skill_scores"]
        mine.filter(pk=pk).update(**changes)
    assessment.is_latest_shared = assessment.pk == pk
