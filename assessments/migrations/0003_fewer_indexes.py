"""Drop seven indexes that others already cover (each is the first column of a unique or
composite index): answers and plan items are written on every page save and every submit.

Only the indexes are dropped: on SQLite, letting Django alter the fields would copy each table
(answers three times over) to change nothing else."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (index, table, column): every name as Django gave it, on both databases.
COVERED = [
    ("assessments_answer_assessment_id_bf63c452", "assessments_answer", "assessment_id"),
    ("assessments_answer_question_code_c9507f96", "assessments_answer", "question_code"),
    ("assessments_answer_skill_slug_d81d75cb", "assessments_answer", "skill_slug"),
    ("assessments_assessment_subject_id_502a7663", "assessments_assessment", "subject_id"),
    ("assessments_planitem_action_code_cd598ac3", "assessments_planitem", "action_code"),
    ("assessments_planitem_plan_id_31939a43", "assessments_planitem", "plan_id"),
    ("assessments_planitem_skill_slug_68d649bc", "assessments_planitem", "skill_slug"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_team_latest_shared"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    # PostgreSQL also has a "_like" twin for each text column's index.
                    sql=[f'DROP INDEX IF EXISTS "{name}"', f'DROP INDEX IF EXISTS "{name}_like"'],
                    reverse_sql=[f'CREATE INDEX "{name}" ON "{table}" ("{column}")'],
                )
                for name, table, column in COVERED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="assessment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="assessments.assessment",
                    ),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="question_code",
                    field=models.SlugField(db_index=False),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="skill_slug",
                    field=models.SlugField(db_index=False),
                ),
                migrations.AlterField(
                    model_name="assessment",
                    name="subject",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assessments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="planitem",
                    name="action_code",
                    field=models.SlugField(db_index=False),
                ),
                migrations.AlterField(
                    model_name="planitem",
                    name="plan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="assessments.plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="planitem",
                    name="skill_slug",
                    field=models.SlugField(db_index=False),
                ),
            ],
        ),
    ]
