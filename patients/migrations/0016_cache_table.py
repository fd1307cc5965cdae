"""The database cache's table (settings.CACHES), so `migrate` is all a new server or an upgrade
needs. Does nothing when the cache is elsewhere (REDIS_URL)."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("patients", "0015_patient_name_trigram_index")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
