"""One rule, one home: grep-style checks that a rule is not copied, and that the architecture
page names only paths that exist.

* The deployment's time zone is named in ``motcua/core/localtime.py`` only (the settings import
  it); everything else imports ``LOCAL_TZ``.
* The deadline classification (early / on time / late, overdue, due soon) is written in
  ``motcua/dossiers/deadlines.py`` only: no other module truncates ``closed_at`` / ``due_at`` to a
  date, compares ``due_at`` with a lookup, or reads their local date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("motcua", "config", "tests", "benchmarks", "scripts")
CODE_SUFFIXES = {".py", ".html", ".js", ".txt", ".toml", ".cfg", ".sh"}
THIS = Path(__file__).resolve()

ZONE_HOME = ROOT / "motcua" / "core" / "localtime.py"
DEADLINE_HOME = ROOT / "motcua" / "dossiers" / "deadlines.py"
# Petitions have their own deadline (an answer due at an instant), defined once there.
PETITION_DEADLINE_HOME = ROOT / "motcua" / "petitions" / "deadlines.py"
# Each pattern is one way of writing the classification again.
DEADLINE_COPIES = {
    "a local date of closed_at/due_at in SQL": re.compile(
        r"TruncDate\(\s*(?:Coalesce\(\s*)?[\"'](?:closed_at|due_at)"
    ),
    "due_at compared by a lookup": re.compile(r"\bdue_at__(?:lt|lte|gt|gte)\b"),
    "a local date of closed_at/due_at in Python": re.compile(
        r"(?:localtime|astimezone)\([^)]*\b(?:closed_at|due_at)\b"
        r"|\b(?:closed_at|due_at)\)?\.(?:astimezone\(|date\(\))"
    ),
    "due_at compared with now": re.compile(
        r"\bnow\b\s*[<>]=?\s*[\w.]*\bdue_at\b|\bdue_at\b\s*[<>]=?\s*now\b"
    ),
}


def source_files(*dirs: str):
    for name in dirs:
        for path in sorted((ROOT / name).rglob("*")):
            if (
                path.is_file()
                and path.suffix in CODE_SUFFIXES
                and ".venv" not in path.parts
                and "node_modules" not in path.parts
                and "vendor" not in path.parts
                and path.resolve() != THIS
            ):
                yield path


def test_the_time_zone_is_named_once():
    found = [
        str(path.relative_to(ROOT))
        for path in source_files(*CODE_DIRS)
        if "Asia/Ho_Chi_Minh" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert found == [str(ZONE_HOME.relative_to(ROOT))]


def test_no_fixed_offset_stands_for_the_zone():
    """A fixed +07:00 offset in the product is the zone written again (tests and benchmarks write
    instants with explicit offsets on purpose, as other systems' files do)."""
    pattern = re.compile(r"timedelta\(\s*hours\s*=\s*7\s*\)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in source_files("motcua", "config")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


def test_the_settings_take_the_zone_from_its_home():
    from django.conf import settings

    from motcua.core.localtime import LOCAL_TZ, LOCAL_TZ_NAME

    assert settings.TIME_ZONE == LOCAL_TZ_NAME == LOCAL_TZ.key


@pytest.mark.parametrize("what", sorted(DEADLINE_COPIES))
def test_the_deadline_classification_lives_in_deadlines_only(what):
    """Tests are left out: ``tests/stats/reference.py`` is an independent oracle on purpose."""
    pattern = DEADLINE_COPIES[what]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in source_files("motcua", "config", "benchmarks", "scripts")
        if path.resolve() not in (DEADLINE_HOME, PETITION_DEADLINE_HOME)
        and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == [], f"{what} outside motcua/dossiers/deadlines.py"


def test_the_patterns_find_the_home_itself():
    """The patterns are not vacuous: the home matches the SQL ones."""
    home = DEADLINE_HOME.read_text(encoding="utf-8")
    assert DEADLINE_COPIES["a local date of closed_at/due_at in SQL"].search(home)
    assert DEADLINE_COPIES["due_at compared by a lookup"].search(home)
    assert DEADLINE_COPIES["due_at compared with now"].search("if now > dossier.due_at:")
    assert DEADLINE_COPIES["a local date of closed_at/due_at in Python"].search(
        "timezone.localtime(d.closed_at).date()"
    )


# -- docs/architecture.md names only what exists ----------------------------------------------

ARCHITECTURE = ROOT / "docs" / "architecture.md"
SPEC_NAMES = {"statistics.md", "domain.md", "interchange.md", "integration.md", "forms.md"}
CODE_SPAN = re.compile(r"`([^`\s]+)`")
PATHLIKE = re.compile(r"^[\w./-]+$")


def named_paths(text: str) -> list[str]:
    """Code spans that name a file or folder: with a slash, or ending in .py/.md."""
    names = []
    for span in CODE_SPAN.findall(text):
        if not PATHLIKE.match(span) or span.startswith("/api") or span.startswith("MOTCUA_"):
            continue
        if "/" in span or span.endswith((".py", ".md")):
            names.append(span)
    return names


def resolve(name: str) -> tuple[Path | None, str]:
    """The file or folder a name means, and the attribute it names inside a module ('' if
    none): `worktime/selectors.calendar_for_agency` → (motcua/worktime/selectors.py,
    'calendar_for_agency'); `views/actions.py` in the dossiers row → motcua/dossiers/views/...."""
    apps = sorted(p for p in (ROOT / "motcua").iterdir() if (p / "apps.py").exists())
    bases = (ROOT, ROOT / "motcua", ROOT / "docs", *apps)  # a row may name a path in its app
    attribute = ""
    candidate = name.rstrip("/")
    while True:
        for base in bases:
            for path in (base / candidate, base / f"{candidate}.py"):
                if path.exists():
                    return path, attribute
        last = candidate.rsplit("/", 1)[-1]
        if "." not in last or last.endswith((".py", ".md")):  # a file name, not an attribute
            break
        candidate, attribute = candidate.rsplit(".", 1)[0], candidate.rsplit(".", 1)[1]
    if "/" not in name.rstrip(
        "/"
    ):  # a bare file name of a row's app: must exist somewhere in the tree
        hits = sorted((ROOT / "motcua").rglob(name.rstrip("/")))
        return (hits[0] if hits else None), ""
    return None, attribute


def test_every_path_named_in_the_architecture_page_exists():
    names = named_paths(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(names) > 20  # the page names paths; the parser finds them
    missing = []
    for name in names:
        if name in SPEC_NAMES:  # the shared specification, outside the repository
            continue
        path, attribute = resolve(name)
        if path is None:
            missing.append(name)
        elif attribute and path.is_file():
            text = path.read_text(encoding="utf-8")
            if not re.search(rf"^(?:def|class) {attribute}\b|^{attribute}\b\s*[:=]", text, re.M):
                missing.append(f"{name} ({attribute} not in {path.relative_to(ROOT)})")
    assert missing == [], "\n".join(missing)
