"""The online filing's one-pass write (``dossier_submit_online(files=...)``) is the plain one.

The portal used to submit the dossier, then attach each file with ``dossier_attach_file`` (lock,
read of the last event's time, read of the last event, one savepoint each). Now the submission
writes its files itself, going on from the SUBMIT event it has just written (decisions.md,
"filing"). The property: on any applicant, any choice of documents and any files, both ways
leave the same dossier, the same files (bytes and facts) and the same events (seq, type, time,
states, payload), and both chains verify. Plus: a failure half-way removes the files already
stored, and the fast path reads nothing back.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import ProcedureAssignment, RequiredDocument
from motcua.core.uploads import check_upload
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.permissions import PORTAL
from motcua.ops.auditchain import check_chain
from motcua.portal import services as portal_services
from tests.catalog.factories import AgencyFactory, ProcedureFactory
from tests.petitions.files import PDF_BYTES, PNG_BYTES, docx_bytes

pytestmark = pytest.mark.django_db

KINDS = {"pdf": PDF_BYTES, "png": PNG_BYTES, "docx": docx_bytes()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def procedure():
    p = ProcedureFactory(online_class=OnlineClass.FULL, postal_return=True)
    ProcedureAssignment.objects.create(procedure=p, agency=AgencyFactory())
    for position, mandatory in enumerate((True, True, False, False), start=1):
        RequiredDocument.objects.create(
            procedure=p, position=position, name=f"Giấy tờ {position}", mandatory=mandatory
        )
    return p


uploads = st.lists(
    st.tuples(
        st.sampled_from(sorted(KINDS)),
        st.binary(max_size=300),  # appended: same type, different bytes and sizes
        st.text("abcdđêươ ._-", min_size=1, max_size=20),
    ),
    min_size=4,
    max_size=4,
)


def _files(procedure, drawn, optional: list[bool]) -> dict[int, SimpleUploadedFile]:
    documents = list(procedure.documents.order_by("position"))
    files = {}
    for doc, (kind, tail, name) in zip(documents, drawn, strict=True):
        if doc.mandatory or optional[doc.position - 3]:
            content = KINDS[kind] if kind == "docx" else KINDS[kind] + tail
            files[doc.pk] = SimpleUploadedFile(f"{name}.{kind}", content)
    return files


def _submit(procedure, at, applicant, *, files, fast: bool) -> Dossier:
    checked = {pk: (f, check_upload(f)) for pk, f in files.items()}
    common = dict(
        actor=PORTAL,
        agency=procedure.agencies.get(),
        procedure=procedure,
        documents_submitted=list(files),
        delivery_channel="counter",
        at=at,
        **applicant,
    )
    with transaction.atomic():
        if fast:
            return services.dossier_submit_online(**common, files=checked)
        dossier = services.dossier_submit_online(**common)
        checklist = {d.required_id: d for d in dossier.documents.all()}
        for pk, (uploaded, facts) in checked.items():
            uploaded.seek(0)
            services.dossier_attach_file(
                dossier=dossier,
                actor=PORTAL,
                uploaded_file=uploaded,
                document=checklist[pk],
                at=at,
                checked=facts,
            )
        return dossier


def _picture(dossier: Dossier) -> dict:
    """What both ways must leave, without the ids that differ between two dossiers."""
    dossier.refresh_from_db()
    files = list(DossierFile.objects.filter(dossier=dossier).order_by("pk"))
    file_ids = {f.pk: i for i, f in enumerate(files)}
    checklist = {d.pk: d.required_id for d in dossier.documents.all()}
    events = []
    for e in dossier.events.order_by("seq"):
        payload = dict(e.payload)
        if "file_id" in payload:
            payload["file_id"] = file_ids[payload["file_id"]]
            payload["document_id"] = checklist.get(payload["document_id"])
        events.append((e.seq, e.type, e.at, e.from_state, e.to_state, e.actor_id, payload))
    chain = list(
        dossier.events.order_by("seq").values_list(
            "dossier_id", "seq", "type", "at", "actor_id", "from_state", "to_state", "payload",
            "hash",
        )
    )  # fmt: skip
    assert check_chain(dossier.pk, chain) == []
    stored = []
    for f in files:
        with f.file.open("rb") as handle:
            content = handle.read()
        stored.append(
            (f.original_name, f.content_type, f.size, f.sha256, f.document.required_id, content)
        )
    checklist_rows = sorted((d.required_id, d.submitted, d.name) for d in dossier.documents.all())
    fields = ("state", "channel", "applicant_name", "applicant_id_number", "submitted_at")
    return {
        "dossier": {name: getattr(dossier, name) for name in fields},
        "checklist": checklist_rows,
        "events": events,
        "files": stored,
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=uploads,
    optional=st.lists(st.booleans(), min_size=2, max_size=2),
    name=st.text("ANHTRƯỜNGĐỗ ", min_size=1, max_size=30).filter(str.strip),
    minutes=st.integers(0, 60 * 24 * 365),
)
def test_the_one_pass_submission_writes_what_submit_then_attach_writes(
    procedure, media, drawn, optional, name, minutes
):
    at = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    applicant = {"applicant_name": name.strip(), "applicant_id_number": "001090000123"}
    plain = _submit(procedure, at, applicant, files=_files(procedure, drawn, optional), fast=False)
    fast = _submit(procedure, at, applicant, files=_files(procedure, drawn, optional), fast=True)
    assert _picture(fast) == _picture(plain)


def test_a_failure_half_way_leaves_no_stored_file(procedure, media, monkeypatch):
    from motcua.dossiers.services import documents

    recorded = documents.record_event
    calls = []

    def second_attach_fails(**kwargs):
        calls.append(kwargs["type"])
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return recorded(**kwargs)

    monkeypatch.setattr(documents, "record_event", second_attach_fails)
    files = _files(procedure, [("pdf", b"1", "a"), ("png", b"2", "b")] * 2, [True, False])
    with pytest.raises(RuntimeError):
        _submit(procedure, None, {"applicant_name": "An"}, files=files, fast=True)
    assert len(calls) == 2
    assert Dossier.objects.count() == DossierFile.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_the_portal_filing_reads_nothing_back(procedure, media):
    files = _files(procedure, [("pdf", b"1", "a"), ("png", b"2", "b")] * 2, [True, True])
    with CaptureQueriesContext(connection) as queries:
        dossier, submission, _secret = portal_services.online_filing_submit(
            procedure=procedure,
            agency=procedure.agencies.get(),
            applicant={"applicant_name": "An", "applicant_id_number": "001090000123"},
            delivery_channel="counter",
            files=files,
        )
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in statements if "FOR UPDATE" in s or "MAX(" in s]
    assert not [s for s in statements if s.startswith("SELECT") and "DOSSIERS_DOSSIEREVENT" in s]
    assert [e.type for e in dossier.events.order_by("seq")] == ["submit"] + ["attach"] * 4
    assert DossierFile.objects.filter(dossier=dossier).count() == 4
    assert submission.dossier_id == dossier.pk
