from __future__ import annotations

import pytest

from motcua.core.models import AuditLog
from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierCodeSequence,
    DossierDocument,
    DossierEvent,
    DossierFile,
    Handover,
    Rating,
    SupplementWait,
)

WRITTEN = (
    Dossier,
    DossierEvent,
    DossierCodeSequence,
    DossierDocument,
    DossierFile,
    SupplementWait,
    Apology,
    Handover,
    Rating,
    AuditLog,
)


def db_snapshot() -> dict:
    """Every row the dossier services may write, to show a refused move wrote nothing."""
    snap: dict = {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in WRITTEN}
    snap["dossiers"] = sorted(
        Dossier.objects.values_list(
            "pk", "state", "due_at", "paused_at", "closed_at", "outcome", "agency_id", "code"
        )
    )
    snap["sequences"] = sorted(DossierCodeSequence.objects.values_list("pk", "last"))
    return snap


@pytest.fixture
def officer(db):
    from tests.dossiers.factories import UserFactory

    return UserFactory()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english_messages():
    """Error messages are matched in English (their msgids), whatever the catalogue holds."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
