"""The News title search (``icontains`` on the title and its translations) served by trigram indexes
(PostgreSQL only, core/trigram.py)."""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [
        trigram_indexes(
            "news_news",
            {
                "news_title_trgm": "title",
                "news_title_pt_br_trgm": "title_pt_br",
                "news_title_es_trgm": "title_es",
            },
        )
    ]
