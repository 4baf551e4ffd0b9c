from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Image library"

    def ready(self):
        from pagecache import versions

        from . import receivers  # noqa: F401  (connects the rendition signal)
        from .cache_scope import change_scope

        # An edited image retires only the pages that show it (issue 12).
        versions.register_scope(change_scope)
