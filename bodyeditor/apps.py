from django.apps import AppConfig


class BodyEditorConfig(AppConfig):
    name = "bodyeditor"
    verbose_name = "Story editor"
