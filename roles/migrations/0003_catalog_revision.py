import uuid

from django.db import migrations, models


def first_revision(apps, schema_editor):
    apps.get_model("roles", "CatalogRevision").objects.create(pk=1, token=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0002_catalog_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "catalog revision",
            },
        ),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
    ]
