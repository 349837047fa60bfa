"""Feedback gets a public id for Open311 (the tracking code is no longer published) and the hash of the
reporter's secret. Existing items get a random public id; their secret stays empty (no one can prove to be
their reporter through the portal)."""

import secrets

from django.db import migrations, models

import coso.citizens.models


def fill_public_ids(apps, schema_editor):
    Feedback = apps.get_model("citizens", "Feedback")
    used = set()
    for pk in Feedback.objects.values_list("pk", flat=True).iterator():
        value = secrets.token_hex(8)
        while value in used:
            value = secrets.token_hex(8)
        used.add(value)
        Feedback.objects.filter(pk=pk).update(public_id=value)


class Migration(migrations.Migration):
    dependencies = [("citizens", "0004_complaint_round_and_especially_complex")]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="public_id",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="public id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedback",
            name="public_id",
            field=models.CharField(
                default=coso.citizens.models.new_public_id,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="public id",
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="reporter_secret_hash",
            field=models.CharField(blank=True, editable=False, max_length=128),
        ),
        migrations.AddField(
            model_name="historicalfeedback",
            name="public_id",
            field=models.CharField(
                db_index=True,
                default=coso.citizens.models.new_public_id,
                editable=False,
                max_length=16,
                verbose_name="public id",
            ),
        ),
    ]
