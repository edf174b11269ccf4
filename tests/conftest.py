import os

import pytest
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@pytest.fixture(autouse=True)
def _vietnamese_default(settings):
    """Tests run with the product's default language (Vietnamese) unless they say otherwise."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _cold_memos():
    """Each test starts with empty per-process memos (core.generations), so query counts do not
    depend on which tests ran before."""
    from motcua.core.generations import memo_clear
    from motcua.portal.lookup import forget_all

    memo_clear()
    forget_all()
    yield
    memo_clear()


@pytest.fixture
def english(settings):
    """For tests that check messages by their English source text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A ``replica`` alias that mirrors the test database (TEST MIRROR), unless a real one is
    configured: the replica router's tests install the router and read through it."""
    from django.conf import settings
    from django.db import connections

    if "replica" not in connections.settings:
        default = connections.settings["default"]
        mirror = {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}
        connections.settings["replica"] = mirror
        settings.DATABASES["replica"] = mirror
