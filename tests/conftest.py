import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@pytest.fixture(autouse=True)
def _vietnamese_default(settings):
    """Tests run with the product's default language (Vietnamese) unless they say otherwise."""
    settings.LANGUAGE_CODE = "vi"
