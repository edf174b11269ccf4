import os

import pytest
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@pytest.fixture(autouse=True)
def _vietnamese_default(settings):
    """Tests run with the product's default language (Vietnamese) unless they say otherwise."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def english(settings):
    """For tests that check messages by their English source text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
