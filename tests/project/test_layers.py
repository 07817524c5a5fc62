"""The layers hold: content ← feeds ← the kind apps ← search, pagecache, api ←
site_project ← deploy; sitectl (the API's command-line client) imports nothing of the site;
accounts (signing in) stands alone beside content.

Imports are read with `ast` from every project module (function-level imports included), so
a cycle or an upward import fails here before a reader meets it.
"""

import ast
from pathlib import Path

import pytest

from content.models import Publishable, content_models

ROOT = Path(__file__).resolve().parents[2]
KINDS = {model._meta.app_label for model in content_models()}
PACKAGES = {
    "accounts", "content", "feeds", "search", "pagecache", "api", "sitectl", "site_project",
    "deploy", *KINDS,
}  # fmt: skip

# What each layer may import from the project, besides itself.
ALLOWED = {
    "accounts": set(),
    "content": set(),
    "feeds": {"content"},
    **{kind: {"content", "feeds"} for kind in KINDS},
    "search": {"content"},
    "pagecache": {"content"},
    # The token API sits above the kinds (it finds them through content_models()).
    "api": {"content", *KINDS},
    # A client of the API, installable on its own: nothing of the site.
    "sitectl": set(),
    "site_project": PACKAGES - {"deploy"},
    # The production topology (nginx before gunicorn) runs the site; nothing imports it.
    "deploy": {"site_project"},
}


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


MODULES = project_modules()


def resolve(name: str) -> str | None:
    """The project module an import names (the longest known prefix), or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return None


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for name in names if (target := resolve(name)) and target != module}
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def test_the_walk_sees_the_project():
    assert {"content.models.publishable", "search.handlers", "feeds.base"} <= set(MODULES)
    assert "content.models.publishable" in GRAPH["content.models.tags"]


def test_no_import_cycle():
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_imports_go_down_the_layers(package):
    upward = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in ALLOWED[package] | {package}
    }
    assert upward == set()


def shared_modules() -> list[str]:
    return [module for module in MODULES if module.split(".")[0] not in KINDS]


def test_no_shared_module_names_a_kind_model():
    classes = {model.__name__ for model in content_models()}
    named = {
        (module, node.id if isinstance(node, ast.Name) else node.attr)
        for module in shared_modules()
        for node in ast.walk(ast.parse(MODULES[module].read_text()))
        if (isinstance(node, ast.Name) and node.id in classes)
        or (isinstance(node, ast.Attribute) and node.attr in classes)
    }
    assert named == set()


def test_no_shared_module_probes_for_a_kind_field():
    """getattr(item, "summary") and friends would ask which kind an item is."""
    shared_fields = {field.name for field in Publishable._meta.get_fields()}
    own_fields = {
        field.name
        for model in content_models()
        for field in model._meta.get_fields()
        if field.name not in shared_fields and not field.is_relation
    }
    assert {"summary", "sources", "url", "domain"} <= own_fields
    probes = {
        (module, node.args[1].value)
        for module in shared_modules()
        for node in ast.walk(ast.parse(MODULES[module].read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "hasattr")
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value in own_fields
    }
    assert probes == set()


def test_the_project_package_is_configuration():
    assert len([m for m in MODULES if m.startswith("site_project")]) <= 12


# The settings stay one environment-driven file of numbered sections (STYLE.md): a flat list
# of names, where splitting by length would only scatter one concern across files.
LONGER = {"site_project.settings": 400}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_passes_300_lines(module):
    assert len(MODULES[module].read_text().splitlines()) <= LONGER.get(module, 320)
