from django.apps import AppConfig


class RichTextConfig(AppConfig):
    name = "richtext"
    verbose_name = "Rich text"

    def ready(self):
        from . import receivers  # noqa: F401  (the image-use table follows article saves)
