"""The search index: one row of plain text per published (or scheduled) article.

The text lives in `SearchEntry` on every database. What makes it searchable depends on
the database (see backends.py): on PostgreSQL the weighted `document` tsvector with a
GIN index; on SQLite the FTS5 table `search_fts`, an external-content index over this
table kept in step by triggers (migration 0001).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    # A future migration that alters this table on SQLite rebuilds it and drops the
    # FTS5 triggers with it: recreate them in that migration (see 0001).
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title = models.TextField()
    dek = models.TextField(blank=True)
    tags = models.TextField(blank=True, help_text="The names of the article's people, places and events.")
    body = models.TextField(blank=True, help_text="The body as plain text.")
    document = SearchVectorField(null=True, help_text="PostgreSQL only: the weighted text search vector.")

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class SQLiteIndexRow(models.Model):
    """A row of SQLite's FTS5 table, only so article queries can join it (never on PostgreSQL)."""

    entry = models.OneToOneField(
        SearchEntry, on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid", related_name="fts"
    )

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self):
        return f"search row {self.pk}"
