from django.db import migrations

from config.http import create_counter_table


def create(apps, schema_editor):
    # Rate limits and their counters (config/http.py): a table of their own, never culled like a cache.
    create_counter_table(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_cache_table")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
