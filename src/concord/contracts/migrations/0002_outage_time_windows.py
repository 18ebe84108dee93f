"""Outage windows become time windows (start/end datetimes); results record the windows and the days measured."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def days_to_windows(apps, schema_editor):
    zone = ZoneInfo(settings.REPORTING_TIMEZONE)
    for outage in apps.get_model("contracts", "OutageWindow").objects.all():
        outage.starts_at = dt.datetime.combine(outage.first_day, dt.time(), tzinfo=zone)
        outage.ends_at = dt.datetime.combine(outage.last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        outage.save(update_fields=["starts_at", "ends_at"])


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [
        migrations.AddField("outagewindow", "starts_at", models.DateTimeField(null=True)),
        migrations.AddField("outagewindow", "ends_at", models.DateTimeField(null=True)),
        migrations.RunPython(days_to_windows, migrations.RunPython.noop),
        migrations.RemoveField("outagewindow", "first_day"),
        migrations.RemoveField("outagewindow", "last_day"),
        migrations.AlterField(
            "outagewindow",
            "starts_at",
            models.DateTimeField(help_text="When the outage began (reporting time zone)."),
        ),
        migrations.AlterField(
            "outagewindow", "ends_at", models.DateTimeField(help_text="When it ended (exclusive).")
        ),
        migrations.AlterModelOptions("outagewindow", {"ordering": ["starts_at", "pk"]}),
        migrations.RemoveField("slaresult", "excluded_days"),
        migrations.AddField(
            "slaresult",
            "excluded_windows",
            models.JSONField(
                blank=True, default=list, help_text="Outage windows left out, as ISO start/end pairs (UTC)."
            ),
        ),
        migrations.AddField(
            "slaresult",
            "measured_from",
            models.DateField(blank=True, null=True, help_text="First day measured (contract in force)."),
        ),
        migrations.AddField(
            "slaresult",
            "measured_to",
            models.DateField(blank=True, null=True, help_text="Last day measured (inclusive)."),
        ),
    ]
