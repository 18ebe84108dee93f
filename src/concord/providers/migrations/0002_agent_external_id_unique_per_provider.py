"""Agent external ids are unique per provider, not across providers (#9.1: no existence oracle)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_provider(apps, schema_editor):
    external = apps.get_model("providers", "AgentExternalId")
    for row in external.objects.select_related("agent").iterator():
        row.provider_id = row.agent.provider_id
        row.save(update_fields=["provider"])


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="agentexternalid", name="agent_external_id_unique"),
        migrations.AddField(
            model_name="agentexternalid",
            name="provider",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="providers.provider"
            ),
        ),
        migrations.RunPython(fill_provider, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agentexternalid",
            name="provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="providers.provider"
            ),
        ),
        migrations.AddConstraint(
            model_name="agentexternalid",
            constraint=models.UniqueConstraint(
                fields=("provider", "source", "external_id"), name="agent_external_id_unique_per_provider"
            ),
        ),
    ]
