"""Mark each person's latest shared, submitted self-assessment (``is_latest_shared``), the one
their manager's team page shows, with a small copy of its skill scores (``skill_scores``): at
most one per person, only on a shared, submitted self-assessment, indexed for the team page."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def mark_latest_shared(apps, schema_editor):
    """The same choice and copy as assessments.latest.latest_shared_refresh, for everyone."""
    Assessment = apps.get_model("assessments", "Assessment")
    shared = Assessment.objects.filter(kind="self", status="submitted", shared_with_manager=True)
    latest = shared.filter(subject=OuterRef("subject")).order_by("-submitted_at", "-created_at")
    chosen = shared.filter(pk=Subquery(latest.values("pk")[:1])).only("pk", "result")
    batch = []
    for a in chosen.iterator(chunk_size=500):
        skills = ((a.result or {}).get("score") or {}).get("skills") or ()
        a.skill_scores = [[s["slug"], s["name"], s["score"]] for s in skills]
        a.is_latest_shared = True
        batch.append(a)
        if len(batch) == 500:
            Assessment.objects.bulk_update(batch, ["is_latest_shared", "skill_scores"])
            batch = []
    Assessment.objects.bulk_update(batch, ["is_latest_shared", "skill_scores"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("roles", "0002_catalog_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="is_latest_shared",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="assessment",
            name="skill_scores",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_latest_shared, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("is_latest_shared", True)),
                fields=[
                    "subject",
                    "is_latest_shared",
                    "quadrant",
                    "strategic",
                    "leadership",
                    "submitted_at",
                    "id",
                ],
                name="latest_shared_team_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_latest_shared", True)),
                fields=("subject", "is_latest_shared"),
                name="one_latest_shared_per_subject",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_latest_shared", False),
                    models.Q(
                        ("kind", "self"),
                        ("shared_with_manager", True),
                        ("skill_scores__isnull", False),
                        ("status", "submitted"),
                    ),
                    _connector="OR",
                ),
                name="latest_shared_is_a_shared_self_assessment",
            ),
        ),
    ]
