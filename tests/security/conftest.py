import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many officials are made here; MD5 keeps their set-up fast (not what production uses)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
