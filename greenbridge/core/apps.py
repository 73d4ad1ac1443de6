from django.apps import AppConfig
from django.utils.autoreload import autoreload_started


def _watch_compiled_sources(sender, **kwargs) -> None:
    """runserver reloads when a compiled hot path's source changes (it watches the files modules were loaded from:
    for those, the compiled form); the new process imports the edited source (core/compiled.py)."""
    from . import compiled

    sender.extra_files.update(compiled.source_of(module) for module in compiled.MODULES)


class CoreConfig(AppConfig):
    name = "greenbridge.core"
    verbose_name = "GreenBridge"

    def ready(self) -> None:
        autoreload_started.connect(_watch_compiled_sources)
