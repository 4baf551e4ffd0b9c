from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo magazine (`load_demo`) and the synthetic archive for benchmarks (`populate`)."""

    name = "demo"
