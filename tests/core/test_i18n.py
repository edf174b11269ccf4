"""The Vietnamese catalogue is complete, compiled, and used by default.

Vietnamese is the product's default language whatever the browser says; English is shown
when the user picks it (the language cookie set by the switcher).
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"


@pytest.fixture(scope="module")
def catalog():
    with PO_PATH.open("rb") as fh:
        return read_po(fh, locale="vi")


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_header_declares_vietnamese_with_one_plural_form(catalog):
    assert str(catalog.locale) == "vi"
    assert catalog.num_plurals == 1
    assert not catalog.fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy(catalog):
    messages = [m for m in catalog if m.id]
    assert messages, "the catalogue is empty"
    untranslated = [m.id for m in messages if not all(_strings(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%%|%[sdr]")


def test_translations_keep_their_placeholders(catalog):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
    dropped = []
    for m in catalog:
        if not m.id or not m.python_format:
            continue
        wanted = sorted(PLACEHOLDER.findall(m.id[0] if isinstance(m.id, tuple) else m.id))
        dropped += [(m.id, s) for s in _strings(m) if sorted(PLACEHOLDER.findall(s)) != wanted]
    assert dropped == []


def _mo_messages(data: bytes) -> dict:
    translations = gettext.GNUTranslations(io.BytesIO(data))
    messages = dict(translations._catalog)
    messages.pop("", None)  # the header: tool-dependent metadata
    return messages


def test_committed_mo_matches_the_po(catalog):
    assert MO_PATH.exists(), "run: motcua compilemessages -l vi"
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    expected = _mo_messages(compiled.getvalue())
    committed = _mo_messages(MO_PATH.read_bytes())
    stale = {k: (committed.get(k), v) for k, v in expected.items() if committed.get(k) != v}
    extra = sorted(str(k) for k in committed.keys() - expected.keys())
    assert stale == {}, "django.mo is out of date: run motcua compilemessages -l vi"
    assert extra == []


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in body
    assert "Mật khẩu" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_browser_language_does_not_switch_to_english(client):
    response = client.get(reverse("login"), headers={"accept-language": "en"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_language_cookie_overrides_the_default(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("login")).content.decode()
    assert "Log in" in body
    assert "Đăng nhập" not in body


@pytest.mark.django_db
def test_english_cookie_wins_over_a_vietnamese_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("login"), headers={"accept-language": "vi"}).content.decode()
    assert "Log in" in body
    assert "Mật khẩu" not in body
