from django.db import migrations

from config.text import trigram_index


class Migration(migrations.Migration):
    dependencies = [("professionals", "0003_staff_editing")]

    operations = [trigram_index("professionals_professional")]
