"""Keys for re-indexing one article: postings by article, and (SQLite) the FTS5 rowid is the article id.

Re-indexing an article deletes its rows first; both deletes scanned the whole index (FTS5 cannot
index a column), so each publish cost grew with the knowledge base and building 10,000 articles
was quadratic. Existing FTS5 rows are rewritten under their article id.
"""

from django.db import migrations, models


def fts_rowid_is_article(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in (
        "CREATE TEMP TABLE knowledge_fts_copy AS"
        " SELECT article_id, version_id, program_id, title, headings, body FROM knowledge_fts",
        "DELETE FROM knowledge_fts",
        "INSERT INTO knowledge_fts (rowid, article_id, version_id, program_id, title, headings, body)"
        " SELECT article_id, article_id, MAX(version_id), program_id, title, headings, body FROM knowledge_fts_copy"
        " GROUP BY article_id",  # a row left behind by a flush: the newest version wins (SQLite takes its row)
        "DROP TABLE knowledge_fts_copy",
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_attachments")]
    operations = [
        migrations.AddIndex(
            model_name="posting",
            index=models.Index(fields=["article_id"], name="knowledge_posting_article"),
        ),
        migrations.RunPython(fts_rowid_is_article, migrations.RunPython.noop),
    ]
