"""The access log's clinic and patient keys lose their single-column indexes: the (clinic, at)
and (patient, at) indexes lead with them and serve the same lookups. Every page view adds a
row, and each index is one more write. Only the indexes go: the foreign-key constraints stay
as they are (dropping and re-adding them would re-check every row of a large log)."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "clinic": "audit_accessevent_clinic_id_84252b20",
    "patient": "audit_accessevent_patient_id_ec566345",
}


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_patient_link_events"),
        ("patients", "0018_patient_active_list_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accessevent",
                    name=field,
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=f"patients.{field}",
                    ),
                )
                for field in INDEXES
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "audit_accessevent" ("{field}_id")',
                )
                for field, name in INDEXES.items()
            ],
        ),
    ]
