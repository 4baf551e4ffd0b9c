from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Magazine"

    def ready(self):
        from django.urls import register_converter

        from pagecache import dependencies, versions

        from . import checks, corrections, redirects  # noqa: F401  (deploy checks; notes; 301s and 410s)
        from .cache_scope import LISTED, change_scope
        from .converters import IndexLetterConverter, UnicodeSlugConverter, VocabularyConverter

        # Registered here, not in urls.py: other apps' URLconfs (feeds) use them too.
        register_converter(UnicodeSlugConverter, "uslug")
        register_converter(VocabularyConverter, "vocabulary")
        register_converter(IndexLetterConverter, "letter")
        # Scheduled articles go live without a save: the page cache moves on at their time.
        versions.register_schedule(self.get_model("Article").objects.next_publication_after)
        # What an article change retires: nothing for drafts, its own pages for an edit (issue 12).
        versions.register_scope(change_scope)
        # Every page depends on what is listed unless it says otherwise (an article page).
        dependencies.register_default(LISTED)
