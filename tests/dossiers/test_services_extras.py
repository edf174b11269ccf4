"""Apologies, ratings, uploaded files, the checklist and counter closures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.choices import Role
from motcua.core.errors import IllegalTransition, MotcuaError
from motcua.core.models import AuditLog
from motcua.dossiers import services
from motcua.dossiers.choices import DossierState, EventType, RatingValue
from motcua.dossiers.models import DossierFile
from motcua.dossiers.permissions import PORTAL
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import (
    ProcedureFactory,
    RequiredDocumentFactory,
    local,
    official,
    received_dossier,
    staff,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_apology_before_the_deadline():
    d = received_dossier(at=local(2026, 11, 23, 9))
    due = d.due_at
    apology = services.dossier_apologize(
        dossier=d,
        actor=staff(d),
        new_due_at=due + dt.timedelta(days=7),  # the same weekday: a working day
        reason="Cần xác minh thực địa",
        at=due - dt.timedelta(days=1),
    )
    d.refresh_from_db()
    assert apology.issued_late is False
    assert d.due_at == due  # still counted against the original due date
    last = d.events.last()
    assert (last.type, last.from_state, last.to_state) == (
        EventType.APOLOGIZE,
        DossierState.RECEIVED,
        DossierState.RECEIVED,
    )
    assert last.payload["new_due_at"] == apology.new_due_at.isoformat()


def test_apology_after_the_deadline_is_accepted_and_flagged_late():
    d = received_dossier(at=local(2026, 11, 23, 9))
    apology = services.dossier_apologize(
        dossier=d,
        actor=staff(d),
        new_due_at=d.due_at + dt.timedelta(days=10),
        reason="Chậm",
        at=d.due_at + dt.timedelta(days=1),
    )
    assert apology.issued_late is True
    assert d.events.last().payload["issued_late"] is True


def test_apology_must_move_the_appointment_later():
    d = received_dossier(at=local(2026, 11, 23, 9))
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="new appointment"):
        services.dossier_apologize(
            dossier=d, actor=staff(d), new_due_at=d.due_at, reason="x", at=local(2026, 11, 23, 10)
        )
    assert db_snapshot() == before


def test_no_apology_once_resolved():
    d = received_dossier(at=local(2026, 11, 23, 9))
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 25, 9))
    with pytest.raises(IllegalTransition):
        services.dossier_apologize(
            dossier=d, actor=staff(d), new_due_at=d.due_at + dt.timedelta(days=3), reason="x"
        )


def test_rating_once_per_dossier_for_the_handling_agency():
    d = received_dossier(at=local(2026, 11, 23, 9))
    specialist = official(d.agency, Role.SPECIALIST)
    d = services.dossier_assign(
        dossier=d, actor=staff(d), assignee=specialist, at=local(2026, 11, 23, 10)
    )
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 24, 10))
    rating = services.dossier_rate(
        dossier=d, actor=PORTAL, value=RatingValue.VERY_SATISFIED, at=local(2026, 11, 24, 11)
    )
    assert (rating.agency, rating.official, rating.value) == (
        d.agency,
        specialist,
        "very_satisfied",
    )
    assert d.events.last().type == EventType.RATE
    before = db_snapshot()
    with pytest.raises(MotcuaError, match="already been rated"):
        services.dossier_rate(
            dossier=d, actor=PORTAL, value=RatingValue.SATISFIED, at=local(2026, 11, 24, 12)
        )
    with pytest.raises(MotcuaError, match="unknown rating"):
        services.dossier_rate(dossier=d, actor=PORTAL, value="meh")
    assert db_snapshot() == before


def test_attach_a_pdf_to_a_checklist_item(media, officer):
    procedure = ProcedureFactory()
    RequiredDocumentFactory(procedure=procedure, name="Đơn")
    d = received_dossier(procedure=procedure)
    item = d.documents.get()
    upload = SimpleUploadedFile("don de nghi.pdf", PDF, content_type="application/pdf")
    stored = services.dossier_attach_file(
        dossier=d, actor=staff(d), uploaded_file=upload, document=item, at=local(2026, 11, 23, 10)
    )
    assert stored.size == len(PDF) and stored.document == item
    assert stored.uploaded_by == staff(d)
    with stored.file.open("rb") as fh:
        assert fh.read() == PDF
    assert (media / stored.file.name).exists()
    assert len(stored.sha256) == 64
    event = d.events.last()
    assert (event.type, event.payload["file_id"]) == (EventType.ATTACH, stored.pk)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("a.exe", b"MZ\x90\x00", "application/x-msdownload", "not an accepted file"),
        ("fake.pdf", b"<html></html>", "application/pdf", "not an accepted file"),
        ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 10, "application/pdf", "not an accepted file"),
        ("photo.png", b"GIF89a" + b"\x00" * 10, "image/png", "not an accepted file"),
        ("empty.pdf", b"", "application/pdf", "empty"),
        ("big.pdf", PDF + b"\x00" * 200, "application/pdf", "limit"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    media, settings, name, content, content_type, message
):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 100
    d = received_dossier()
    before = db_snapshot()
    with pytest.raises(MotcuaError, match=message):
        services.dossier_attach_file(
            dossier=d,
            actor=staff(d),
            uploaded_file=SimpleUploadedFile(name, content, content_type=content_type),
        )
    assert db_snapshot() == before
    assert not DossierFile.objects.exists()
    assert not (media / "dossiers").exists()


def test_png_accepted_and_no_attachment_to_a_closed_dossier(media):
    d = received_dossier(at=local(2026, 11, 23, 9))
    ok = services.dossier_attach_file(
        dossier=d,
        actor=staff(d),
        uploaded_file=SimpleUploadedFile("scan.png", PNG, content_type="image/png"),
        at=local(2026, 11, 23, 10),
    )
    assert ok.content_type == "image/png"
    d = services.dossier_withdraw(dossier=d, actor=staff(d), at=local(2026, 11, 23, 11))
    with pytest.raises(IllegalTransition):
        services.dossier_attach_file(
            dossier=d,
            actor=staff(d),
            uploaded_file=SimpleUploadedFile("scan.png", PNG, content_type="image/png"),
        )


def test_checklist_update_is_audited_and_checked(officer):
    procedure = ProcedureFactory()
    RequiredDocumentFactory(procedure=procedure)
    RequiredDocumentFactory(procedure=procedure)
    d = received_dossier(procedure=procedure, documents_submitted=[])
    first, second = d.documents.all()
    docs = services.dossier_checklist_update(dossier=d, actor=staff(d), submitted=[second.pk])
    assert [x.submitted for x in docs] == [False, True]
    assert AuditLog.objects.filter(action="dossier.checklist").count() == 1
    with pytest.raises(MotcuaError, match="not on this dossier"):
        services.dossier_checklist_update(dossier=d, actor=staff(d), submitted=[first.pk, 10**9])


@pytest.mark.parametrize("close", ["resolve", "withdraw"])
def test_a_closed_dossiers_checklist_is_part_of_its_record(close):
    """Once the dossier is closed, which documents were handed in is no longer changed: the
    workflow refuses it before any permission is asked, and nothing is written."""
    procedure = ProcedureFactory()
    RequiredDocumentFactory(procedure=procedure)
    d = received_dossier(procedure=procedure, documents_submitted=[])
    getattr(services, f"dossier_{close}")(dossier=d, actor=staff(d), at=local(2026, 11, 25, 9))
    doc = d.documents.get()
    before = db_snapshot()
    with pytest.raises(IllegalTransition, match="checklist"):
        services.dossier_checklist_update(dossier=d, actor=staff(d), submitted=[doc.pk])
    assert db_snapshot() == before
    assert not d.documents.get().submitted


def test_counter_closure_needs_an_ordered_period():
    d = received_dossier()
    with pytest.raises(MotcuaError):
        services.counter_closure_create(
            actor=staff(d.agency),
            agency=d.agency,
            start=dt.date(2026, 4, 22),
            end=dt.date(2026, 4, 1),
            reason="x",
        )
