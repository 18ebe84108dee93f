"""The full-text index, one row per article: FTS5 on SQLite, a tsvector with GIN on PostgreSQL.

Both hold stems computed in Python (``knowledge.search.text``) and do not stem again, so the
two databases find the same candidates (see ``knowledge.search``).
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
    "article_id UNINDEXED, version_id UNINDEXED, program_id UNINDEXED, title, headings, body,"
    " tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE knowledge_fts_vocab USING fts5vocab(knowledge_fts, 'row')",
]
SQLITE_REVERSE = ["DROP TABLE knowledge_fts_vocab", "DROP TABLE knowledge_fts"]
POSTGRES = [
    "CREATE TABLE knowledge_fts (article_id bigint PRIMARY KEY REFERENCES knowledge_article(id) ON DELETE CASCADE"
    " DEFERRABLE INITIALLY DEFERRED, version_id bigint NOT NULL, program_id bigint NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX knowledge_fts_document ON knowledge_fts USING gin (document)",
    "CREATE INDEX knowledge_fts_program ON knowledge_fts (program_id)",
]
POSTGRES_REVERSE = ["DROP TABLE knowledge_fts"]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
