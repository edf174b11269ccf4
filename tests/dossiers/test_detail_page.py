"""The dossier page: legal due date and the apology's new appointment side by side, a timeline
naming steps and performers, file sizes in MB, dates as dd/mm/yyyy in both languages."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.catalog.choices import Role
from motcua.dossiers import services
from motcua.dossiers.choices import EventType
from motcua.dossiers.models import DossierEvent
from motcua.stats.counters import counts_by_agency
from motcua.stats.periods import month_period
from tests.dossiers.factories import (
    InternalProcessFactory,
    ProcedureFactory,
    ProcessStepFactory,
    UserFactory,
    local,
    official,
    received_dossier,
)
from tests.petitions.files import PDF_BYTES

pytestmark = pytest.mark.django_db

# session, user, memos, the dossier, the access log (3), apologies, events, step names,
# assignees, the approving role, documents, files, waits, hand-overs, ratings, the action
# forms' choices…, and the print menu (dossiers/printing: the forms the history allows): events,
# apologies
PAGE_QUERIES = 21
# session, user, memos, the dossier, the form's assignees, then the service (lock, last event,
# membership check, update, chain, insert), and the dossier again for the redirect
ACTION_QUERIES = 14


@pytest.fixture
def dossier():
    procedure = ProcedureFactory(name="Cấp giấy phép xây dựng")
    process = InternalProcessFactory(procedure=procedure)
    check = ProcessStepFactory(process=process, position=1, name="Thẩm định", role=Role.SPECIALIST)
    ProcessStepFactory(process=process, position=2, name="Phê duyệt", role=Role.LEADER)
    d = received_dossier(procedure=procedure, at=local(2026, 11, 23, 8))
    minh = UserFactory(full_name="Trần Văn Minh")
    minh.save()
    d.agency.memberships.create(user=minh, role=Role.SPECIALIST)
    lead = official(d.agency, Role.LEADER, Role.DEPARTMENT_HEAD)
    lead.full_name = "Lê Quang Hải"
    lead.save()
    services.dossier_assign(
        dossier=d, actor=lead, assignee=minh, step=check, at=local(2026, 11, 23, 10)
    )
    services.dossier_step_advance(dossier=d, actor=minh, at=local(2026, 11, 24, 15))
    d.refresh_from_db()
    return {"dossier": d, "lead": lead, "minh": minh}


def page(user, code: str, language: str = "vi") -> str:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/dossiers/{code}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def timeline_items(body: str) -> list[str]:
    block = body[body.index('id="timeline"') : body.index("</ol>", body.index('id="timeline"'))]
    items = re.findall(r"<li class=\"ev-[a-z_]+\">(.*?)</li>", block, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_step_service_records_the_step_left(dossier):
    event = DossierEvent.objects.get(dossier=dossier["dossier"], type=EventType.STEP)
    assert event.payload["from_step"] == "Thẩm định" and event.payload["step"] == "Phê duyệt"
    assert event.payload["from_step_id"] == dossier["dossier"].process.steps.get(position=1).pk


def test_timeline_names_each_step_and_its_performer(dossier):
    items = timeline_items(page(dossier["lead"], dossier["dossier"].code))
    received, assigned, moved = items
    assert moved.startswith("Chuyển bước: Thẩm định → Phê duyệt")
    assert "Trần Văn Minh" in moved
    assert assigned.startswith("Phân công cho Trần Văn Minh (bước: Thẩm định)")
    assert "Lê Quang Hải" in assigned
    # A reception has no state before it: no "→ đã tiếp nhận", no "đã tiếp nhận → đã tiếp nhận".
    assert "→" not in received and received.lower().count("đã tiếp nhận") == 1
    # In English too.
    english = timeline_items(page(dossier["lead"], dossier["dossier"].code, "en"))
    assert english[2].startswith("Step moved: Thẩm định → Phê duyệt")


def test_older_step_events_without_the_step_left_still_name_it(dossier):
    event = DossierEvent.objects.get(dossier=dossier["dossier"], type=EventType.STEP)
    old = {k: v for k, v in event.payload.items() if not k.startswith("from_step")}
    DossierEvent.objects.filter(pk=event.pk).update(payload=old)  # as written before the change
    moved = timeline_items(page(dossier["lead"], dossier["dossier"].code))[2]
    assert moved.startswith("Chuyển bước: Thẩm định → Phê duyệt")


def test_legal_due_date_and_the_new_appointment_side_by_side(dossier):
    d = dossier["dossier"]
    legal = d.due_at
    new_date = legal + dt.timedelta(days=7)  # same weekday: a working day
    services.dossier_apologize(
        dossier=d,
        actor=dossier["lead"],
        new_due_at=new_date,
        reason="Chờ ý kiến phối hợp",
        at=legal - dt.timedelta(days=1),
    )
    d.refresh_from_db()
    assert d.due_at == legal  # the legal due date does not move
    body = page(dossier["lead"], d.code)
    shown_legal = re.search(r'id="due-legal"[^>]*>([^<]+)<', body).group(1)
    shown_new = re.search(r'id="due-appointment"[^>]*>([^<]+)<', body).group(1)
    assert shown_legal == timezone.localtime(legal).strftime("%H:%M %d/%m/%Y")
    assert shown_new == timezone.localtime(new_date).strftime("%H:%M %d/%m/%Y")
    assert "Hạn giải quyết theo quy định" in body and "Hẹn trả mới" in body
    # Resolved after the legal date but before the new appointment: statistics say late.
    resolved_at = legal + dt.timedelta(days=2)
    services.dossier_resolve(dossier=d, actor=dossier["lead"], at=resolved_at)
    day = timezone.localtime(resolved_at)
    counts = counts_by_agency(
        agency_ids=[d.agency_id], period=month_period(day.year, day.month, cutoff=0)
    )[d.agency_id]
    assert counts["resolved.late"] == 1 and counts["resolved.on_time"] == 0


def test_labels_start_with_a_capital_letter(dossier):
    """The model's verbose name is lowercase ("số định danh / mã số thuế"); as a label on the
    page it starts with a capital, like the others."""
    body = page(dossier["lead"], dossier["dossier"].code)
    labels = re.findall(r'<dt class="col-sm-3">([^<]+)</dt>', body)
    assert "Số định danh / mã số thuế" in labels
    assert all(label[0].isupper() for label in labels)


def test_without_an_apology_only_the_legal_date(dossier):
    body = page(dossier["lead"], dossier["dossier"].code)
    assert 'id="due-legal"' in body and 'id="due-appointment"' not in body


@pytest.mark.parametrize(("language", "size"), [("vi", "1,5 MB"), ("en", "1.5 MB")])
def test_file_sizes_in_mb_and_dates_dd_mm_yyyy(dossier, media, language, size):
    d = dossier["dossier"]
    content = PDF_BYTES + b" " * (1536 * 1024 - len(PDF_BYTES))  # 1.5 MB
    services.dossier_attach_file(
        dossier=d,
        actor=dossier["minh"],
        uploaded_file=SimpleUploadedFile("ban-ve.pdf", content, content_type="application/pdf"),
    )
    body = page(dossier["lead"], d.code, language)
    assert f"({size}" in body
    received = timezone.localtime(d.received_at).strftime("%H:%M %d/%m/%Y")
    assert received in body  # 08:00 23/11/2026 in either language
    assert not re.search(r"\b11/23/2026\b", body)


def test_page_and_action_query_counts_are_pinned(dossier, django_assert_num_queries):
    """The dossier page and an action POST read a fixed number of rows sets, whatever the
    length of the history (no query per event), and no longer re-read the agency table for
    every subtree walk (catalog.selectors memoises the tree)."""
    d, lead = dossier["dossier"], dossier["lead"]
    client = Client()
    client.force_login(lead)
    path = f"/dossiers/{d.code}/"
    post = f"/dossiers/{d.code}/actions/assign/"
    data = {"assign-assignee": dossier["minh"].pk}
    client.get(path)  # warm the per-process memos (core.generations)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(path).status_code == 200
    with django_assert_num_queries(ACTION_QUERIES):
        assert client.post(post, data).status_code == 302
    for _ in range(5):  # a longer history
        client.post(post, data)
    assert DossierEvent.objects.filter(dossier=d).count() == 9
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(path).status_code == 200
