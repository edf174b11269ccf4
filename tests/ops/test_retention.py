"""Retention: closed dossiers' personal data and files erased when due, statistics unchanged."""

from __future__ import annotations

import json
import os

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.permissions import DEMO, RETENTION
from motcua.dossiers.replay import replay
from motcua.dossiers.services.retention import PERSONAL_FIELDS
from motcua.ops.auditchain import verify
from motcua.ops.retention import apply_retention
from motcua.stats.assembly import report_for_code
from motcua.stats.periods import resolve_period
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    local,
    received_dossier,
    staff,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"


def person(**kwargs):
    kwargs.setdefault("applicant_phone", "0912345678")
    kwargs.setdefault("applicant_address", "12 Hàng Bạc")
    return received_dossier(**kwargs)


def report(agency) -> str:
    period = resolve_period(period="2026-09", start=None, end=None, cutoff=None)
    return json.dumps(report_for_code(code=agency.code, period=period), default=str)


@pytest.fixture
def history(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_RETENTION_PERSONAL_DAYS = 30
    settings.MOTCUA_RETENTION_FILES_DAYS = 60
    agency, procedure = AgencyFactory(), ProcedureFactory()
    old = person(agency=agency, procedure=procedure, at=local(2026, 9, 1, 9))
    upload = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    stored = services.dossier_attach_file(
        dossier=old, actor=DEMO, uploaded_file=upload, at=local(2026, 9, 2, 9)
    )
    services.dossier_resolve(dossier=old, actor=DEMO, at=local(2026, 9, 3, 9))
    # closed 45 days before "now": personal data due (30), files not yet (60)
    middle = person(agency=agency, procedure=procedure, at=local(2026, 10, 1, 9))
    upload = SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")
    services.dossier_attach_file(
        dossier=middle, actor=DEMO, uploaded_file=upload, at=local(2026, 10, 2, 9)
    )
    services.dossier_resolve(dossier=middle, actor=DEMO, at=local(2026, 10, 17, 9))
    still_open = person(agency=agency, procedure=procedure, at=local(2026, 9, 5, 9))
    recent = person(agency=agency, procedure=procedure, at=local(2026, 11, 20, 9))
    services.dossier_resolve(dossier=recent, actor=DEMO, at=local(2026, 11, 21, 9))
    return {
        "agency": agency,
        "old": old,
        "middle": middle,
        "open": still_open,
        "recent": recent,
        "file": stored,
    }


def test_retention_erases_what_is_due_and_keeps_the_statistics(
    history, django_capture_on_commit_callbacks
):
    now = local(2026, 12, 1, 12)
    before = report(history["agency"])
    path = DossierFile.objects.get(pk=history["file"].pk).file.path
    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention(now=now)
    assert result.personal == [history["old"].pk, history["middle"].pk]
    assert result.files == [history["old"].pk]
    old = Dossier.objects.get(pk=history["old"].pk)
    assert all(getattr(old, name) == "" for name in PERSONAL_FIELDS)
    assert old.applicant_search == ""  # nor can the erased name still be searched
    middle = Dossier.objects.get(pk=history["middle"].pk)
    assert middle.applicant_name == "" and middle.files.exclude(file="").count() == 1
    for key in ("open", "recent"):
        kept = Dossier.objects.get(pk=history[key].pk)
        assert (kept.applicant_phone, kept.applicant_address) == ("0912345678", "12 Hàng Bạc")
    stored = DossierFile.objects.get(pk=history["file"].pk)
    assert stored.file.name == "" and stored.sha256 and stored.size == len(PDF)
    assert not os.path.exists(path)
    assert report(history["agency"]) == before
    assert list(verify()) == []
    event = old.events.order_by("-seq").first()
    assert (event.type, event.payload["files"]) == ("erase", 1)
    assert "0912345678" not in json.dumps(event.payload)
    assert replay(old.events.all()).state == old.state
    # Run again: nothing left to do.
    again = apply_retention(now=now)
    assert (again.personal, again.files) == ([], [])


@pytest.mark.usefixtures("english")
def test_open_dossiers_are_never_erased(history):
    with pytest.raises(MotcuaError, match="only a closed dossier"):
        services.dossier_erase_personal_data(dossier=history["open"], actor=RETENTION)


@pytest.mark.usefixtures("english")
def test_only_the_retention_job_or_an_administrator_erases(history):
    with pytest.raises(PermissionDenied):
        services.dossier_erase_personal_data(dossier=history["old"], actor=staff(history["old"]))
    with pytest.raises(PermissionDenied):
        services.dossier_resolve(dossier=history["open"], actor=RETENTION)
    assert Dossier.objects.get(pk=history["old"].pk).applicant_phone == "0912345678"


def test_command_dry_run_counts_only(history, capsys):
    with time_machine.travel(local(2026, 12, 1, 12), tick=False):
        call_command("retention", "apply", "--dry-run")
    out = capsys.readouterr().out
    assert "personal data due: 2 dossiers" in out
    assert "files due: 1 dossiers" in out
    assert Dossier.objects.get(pk=history["old"].pk).applicant_phone == "0912345678"
