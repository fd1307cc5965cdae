"""Patient search on PostgreSQL: trigram (pg_trgm) GIN indexes on the upper-cased names, which
serve the `icontains` search (UPPER(name) LIKE UPPER('%word%')) without reading every patient
row. Other databases (SQLite) keep the plain search and get nothing here."""

from django.db import migrations

INDEXES = {
    "patient_first_name_trgm": "first_name",
    "patient_last_name_trgm": "last_name",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0014_movement_results")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
