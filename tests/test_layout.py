"""The apps import each other one way only (docs/development.md, "Code layout")."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def first_party_apps():
    """HOLR's own top-level packages: the installed apps, holr/ and helpers such as resilience/."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench", "docs"}
    assert {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()} <= packages
    return packages


def imported_apps(app, known):
    """The other first-party apps that `app`'s modules import, anywhere in a module."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & known
    return found - {app}


def cycle_in(graph):
    """One import cycle as a list of apps, or None."""
    visiting, done = [], set()

    def visit(app):
        if app in visiting:
            return visiting[visiting.index(app) :] + [app]
        if app in done:
            return None
        visiting.append(app)
        for other in sorted(graph[app]):
            if cycle := visit(other):
                return cycle
        visiting.pop()
        done.add(app)
        return None

    for app in sorted(graph):
        if cycle := visit(app):
            return cycle
    return None


def test_no_two_apps_import_each_other_in_a_circle():
    known = first_party_apps()
    graph = {app: imported_apps(app, known) for app in known}
    assert cycle_in(graph) is None, " → ".join(cycle_in(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


def test_the_project_package_only_wires():
    """holr/ imports apps only from its URLconf (and settings names them as strings)."""
    known = first_party_apps() - {"holr"}
    for path in (ROOT / "holr").glob("*.py"):
        if path.name == "urls.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            (node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        } | {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not imported & known, f"holr/{path.name} imports {sorted(imported & known)}"
