from django.apps import AppConfig


class RevisionsConfig(AppConfig):
    name = "revisions"
    verbose_name = "Revisions"

    def ready(self):
        from . import receivers  # noqa: F401  (a revision for every article save)
