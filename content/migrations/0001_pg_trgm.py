from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    # Search's typo suggestions use trigram similarity.
    operations = [TrigramExtension()]
