"""The database refuses to change access-log rows (both engines) or delete them (PostgreSQL;
SQLite test databases are emptied row by row between browser tests, so it keeps only the update
guard). The models refuse both already; this holds against raw SQL and other clients too."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: rows cannot be changed or deleted.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
CREATE TRIGGER audit_accessevent_no_delete BEFORE DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_accessevent_no_update ON audit_accessevent;
DROP TRIGGER IF EXISTS audit_accessevent_no_delete ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
BEGIN
    SELECT RAISE(ABORT, 'The access log is append-only: rows cannot be changed.');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_accessevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
