"""API tokens expire (default one year) and may be read-only (issue 9 §9). Tokens issued before expire one year
after they were created."""

import datetime as dt

from django.db import migrations, models


def expire_a_year_after_creation(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + dt.timedelta(days=365))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_access_log_items")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_a_year_after_creation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="read_only",
            field=models.BooleanField(
                default=False,
                help_text="A read-only token can read but never change anything.",
                verbose_name="read only",
            ),
        ),
    ]
