from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from articles.models import Article
from holr.progress import command_progress
from search.documents import indexable, rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuilds the search index from every published article (scheduled ones included). "
        "Run it after importing or restoring data by a path that sends no model signals "
        "(loaddata, a database restore, bulk_create, raw SQL). Readers see the old index until it finishes."
    )

    def handle(self, *args, verbosity, **options):
        total = indexable(Article.objects).count()
        with command_progress(self, "Indexing", total, verbosity=verbosity, unit="articles") as progress:
            count = rebuild_index(progress)
        self.stdout.write(
            ngettext("Indexed %(count)d published article.", "Indexed %(count)d published articles.", count)
            % {"count": count}
        )
