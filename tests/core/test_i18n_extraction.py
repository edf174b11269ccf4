"""Every string the source marks for translation has a Vietnamese translation.

The msgids are extracted as `motcua makemessages -l vi` extracts them (Django's command, which
runs GNU xgettext), but in a temporary copy of the tree: makemessages writes preprocessed
templates next to their source and rewrites the catalogue, and neither may touch the
repository. The extracted msgids are then looked up in the committed catalogue: each must be
there, translated and not fuzzy. The third-party templates rendered inside our pages are
extracted too when their app ships no Vietnamese catalogue (django-tables2's pagination).

The GNU gettext tools come from the Debian package `gettext`; without them these tests skip.
"""

from __future__ import annotations

import contextlib
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import django_tables2 as tables
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.template.loader import get_template
from django.test import override_settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The project's own source: what makemessages run from the project root would scan, less the
# tests, scripts and benchmarks (no user-visible text there) and the static files (no .py,
# .html or .txt to extract; no JavaScript catalogue).
SOURCE_DIRS = ("config", "motcua")
SKIPPED = shutil.ignore_patterns("__pycache__", "locale", "static", "*.pyc")
# Templates of other apps that our pages render and that have no Vietnamese catalogue of their
# own: their strings must come from ours.
BORROWED_TEMPLATES = (settings.DJANGO_TABLES2_TEMPLATE,)

GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib", "msgfmt")
MISSING_TOOLS = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
needs_gettext = pytest.mark.skipif(
    bool(MISSING_TOOLS),
    reason=f"GNU gettext tools not installed ({', '.join(MISSING_TOOLS)}): apt-get install gettext",
)

FIX = "add it to motcua/locale/vi/LC_MESSAGES/django.po, then run: motcua compilemessages -l vi"


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _extract(tree: Path) -> Catalog:
    """Run makemessages -l vi in `tree` (a scratch directory) and return what it found."""
    locale_dir = tree / "locale"
    locale_dir.mkdir(exist_ok=True)
    with contextlib.chdir(tree), override_settings(LOCALE_PATHS=[str(locale_dir)]):
        call_command("makemessages", locale=["vi"], verbosity=0)
    return _read_po(locale_dir / "vi" / "LC_MESSAGES" / "django.po")


def _copy_sources(tree: Path) -> None:
    for name in SOURCE_DIRS:
        shutil.copytree(BASE_DIR / name, tree / name, ignore=SKIPPED)
    for name in BORROWED_TEMPLATES:
        target = tree / "borrowed" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(get_template(name).origin.name, target)


def _where(message: Message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:3])


def _gaps(extracted: Catalog, committed: Catalog) -> dict[str, list[str]]:
    """The extracted messages the committed catalogue lacks, leaves empty, or marks fuzzy."""
    gaps: dict[str, list[str]] = {"missing": [], "untranslated": [], "fuzzy": []}
    for message in extracted:
        if not message.id:
            continue
        label = f"{message.id!r} ({_where(message)})"
        if message.context:
            label = f"[{message.context}] {label}"
        known = committed.get(message.id, context=message.context)
        if known is None or known.id != message.id:  # absent, or its plural form differs
            gaps["missing"].append(label)
            continue
        strings = known.string if isinstance(known.string, tuple) else (known.string,)
        if not all(strings):
            gaps["untranslated"].append(label)
        if known.fuzzy:
            gaps["fuzzy"].append(label)
    return gaps


@pytest.fixture(scope="module")
def committed() -> Catalog:
    return _read_po(PO_PATH)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    tree = tmp_path_factory.mktemp("makemessages")
    _copy_sources(tree)
    return _extract(tree)


@needs_gettext
def test_every_source_string_has_a_vietnamese_translation(extracted, committed):
    assert len([m for m in extracted if m.id]) > 100, "extraction found (almost) nothing"
    gaps = _gaps(extracted, committed)
    for kind, problem in (
        ("missing", "not in the catalogue"),
        ("untranslated", "translation left empty"),
        ("fuzzy", "marked fuzzy (ignored at run time: review it)"),
    ):
        assert gaps[kind] == [], f"{problem}; {FIX}:\n" + "\n".join(gaps[kind])


@needs_gettext
def test_the_pagination_of_tables_is_extracted(extracted):
    # The borrowed django-tables2 template is part of the extraction, and its strings are
    # therefore checked by the test above.
    borrowed = {m.id for m in extracted if any(p.startswith("borrowed/") for p, _ in m.locations)}
    assert {"previous", "next"} <= borrowed


def test_table_pagination_reads_in_vietnamese(rf):
    class Numbers(tables.Table):
        n = tables.Column()

    request = rf.get("/", {"page": 2})
    table = Numbers([{"n": n} for n in range(3)])
    tables.RequestConfig(request, paginate={"per_page": 1}).configure(table)
    with translation.override("vi"):
        html = table.as_html(request)
    words = set(re.findall(r">\s*([^<>]*?)\s*<", html))
    assert {"trang trước", "trang sau"} <= words
    assert not {"previous", "next"} & words


@needs_gettext
def test_extraction_reports_a_string_the_catalogue_lacks(tmp_path, committed):
    # The check itself: a scratch tree with one known string and two new ones.
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "\n"
        "KNOWN = _('Dossier')\n"
        "NEW = _('A sentence nobody has translated yet')\n",
        encoding="utf-8",
    )
    (app / "templates" / "page.html").write_text(
        "{% load i18n %}<p>{% translate 'Another untranslated sentence' %}</p>\n",
        encoding="utf-8",
    )
    assert committed.get("Dossier") is not None
    gaps = _gaps(_extract(tmp_path), committed)
    assert sorted(gaps["missing"]) == [
        "'A sentence nobody has translated yet' (app/views.py:4)",
        "'Another untranslated sentence' (app/templates/page.html:1)",
    ]
    assert gaps == {
        "missing": gaps["missing"],
        "untranslated": [],
        "fuzzy": [],
    }


def _mo_messages(path: Path) -> dict:
    with path.open("rb") as fh:
        messages = dict(gettext.GNUTranslations(fh)._catalog)
    messages.pop("", None)  # the header: tool-dependent metadata
    return messages


@needs_gettext
def test_committed_mo_is_what_msgfmt_compiles_from_the_po(tmp_path):
    # compilemessages runs `msgfmt --check-format`; --check adds the header and domain checks.
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected, committed = _mo_messages(compiled), _mo_messages(MO_PATH)
    stale = sorted(
        str(key)
        for key in expected.keys() | committed.keys()
        if expected.get(key) != committed.get(key)
    )
    assert stale == [], "django.mo is out of date: run motcua compilemessages -l vi"
