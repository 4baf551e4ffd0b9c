from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The editors' desk: the admin for articles and tags, the workflow, share links."""

    name = "editorial"
    verbose_name = "Editorial desk"
