"""``core`` is below every app: it imports none of them and names none of their models.

(The management commands in ``core/management`` are the CLI's entry points and may call apps.)
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

CORE = Path(__file__).resolve().parents[2] / "motcua" / "core"
APP_LABELS = sorted(
    config.label
    for config in apps.get_app_configs()
    if config.name.startswith("motcua.") and config.label != "core"
)


def _core_modules() -> list[Path]:
    return [
        path
        for path in CORE.rglob("*.py")
        if "management" not in path.parts and "migrations" not in path.parts
    ]


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_no_app_above_it():
    found = {
        f"{path.relative_to(CORE)}: {name}"
        for path in _core_modules()
        for name in _imported(path)
        if name.startswith("motcua.") and not name.startswith("motcua.core")
    }
    assert APP_LABELS and _core_modules()
    assert found == set()


def test_core_names_no_model_of_an_app():
    """The tracked tables are registered by their apps (``generations.track``), not listed here."""
    found = {
        f"{path.relative_to(CORE)}: {label}."
        for path in _core_modules()
        for label in APP_LABELS
        if f'"{label}.' in path.read_text(encoding="utf-8")
    }
    assert found == set()
