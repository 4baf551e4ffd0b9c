from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from . import receivers  # noqa: F401  (article and page saves and deletes queue events after commit)
