"""Trigram indexes for accent-folded substring search (PostgreSQL only; SQLite keeps the plain index)."""

from django.db import migrations

INDEXES = [
    ("members_member", "name_folded", "member_name_folded_trgm"),
    ("orgs_organization", "name_folded", "org_name_folded_trgm"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_initial"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
