"""The working-calendar tests are pure: no Django, no database.

The project-wide ``tests/conftest.py`` has an autouse fixture that needs pytest-django's
``settings``; overriding it here keeps these tests runnable with ``-p no:django`` too.
"""

import pytest


@pytest.fixture(autouse=True)
def _vietnamese_default():
    """No Django settings to adjust for pure calendar arithmetic."""
    return None
