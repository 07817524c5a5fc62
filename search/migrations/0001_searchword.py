"""`SearchWord` joins the migration state: its table and index were made by SQL in
site_project 0003_search, so nothing changes in the database."""

import django.contrib.postgres.indexes
from django.contrib.postgres.indexes import OpClass
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("site_project", "0003_search")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchWord",
                    fields=[
                        ("word", models.TextField(primary_key=True, serialize=False)),
                        (
                            "ndoc",
                            models.IntegerField(
                                default=1, help_text="How many titles and tag names hold it."
                            ),
                        ),
                    ],
                    options={
                        "db_table": "site_project_searchword",
                        "ordering": ["word"],
                        "indexes": [
                            django.contrib.postgres.indexes.GistIndex(
                                OpClass("word", name="gist_trgm_ops"),
                                name="site_project_searchword_trgm",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
