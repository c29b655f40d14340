from django.db import migrations

from config.text import trigram_index


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_editing_safety")]

    operations = [trigram_index("programmes_supportprogramme")]
