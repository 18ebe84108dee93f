

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('knowledge', '0005_transition_plans'),
        ('knowledge', '0007_merge_0005_training_0006_search_index_keys'),
    ]

    operations = [
    ]
