import django.db.models.deletion
from django.db import migrations, models


def drop_triggers(apps, schema_editor) -> None:  # noqa: ANN001
    """Migrating back past this: the triggers write the stamp table, so they go first."""
    from patients import stamps

    stamps.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    """The stamp table. Its triggers are made after every migrate (post_migrate, from the
    models: patients.stamps.install), not here, so tables added later get theirs too."""

    dependencies = [
        ("patients", "0016_cache_table"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordStamp",
            fields=[
                (
                    "patient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stamp",
                        serialize=False,
                        to="patients.patient",
                    ),
                ),
                ("stamp", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
