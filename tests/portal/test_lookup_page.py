"""The look-up's result page: result delivery, no personal data beyond the applicant's own, no
internal events; one SQL statement for a dossier whose page is cached, and a cache that a new
event (or any change of what the page shows) makes stale at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.models import Agency, Procedure
from motcua.dossiers import services
from motcua.dossiers.permissions import IMPORT, PORTAL
from motcua.dossiers.services.history import HistoryApology, HistoryEntry, dossier_history_record
from motcua.integrations.models import PostalOrder
from motcua.portal import views
from motcua.portal.services import online_filing_submit
from tests.catalog.factories import AgencyFactory, ProcedureFactory
from tests.dossiers.factories import local, official, received_dossier, staff

pytestmark = pytest.mark.django_db
ID_NUMBER = "099111222333"


@pytest.fixture(autouse=True)
def _english(english):
    """The pages in English (the language middleware follows settings.LANGUAGE_CODE)."""


@pytest.fixture
def postal_procedure():
    return ProcedureFactory(name="Cấp bản sao trích lục", postal_return=True)


def dossier_by_post(procedure, **kwargs):
    return received_dossier(
        procedure=procedure,
        applicant_id_number=ID_NUMBER,
        applicant_name="Vũ Thị Yến",
        applicant_phone="0912345678",
        applicant_email="yen@example.vn",
        applicant_address="Số 7 đường Lê Lợi, phường Bắc Sơn",
        delivery_channel="postal",
        delivery_address="Số 7 đường Lê Lợi, phường Bắc Sơn",
        at=local(2026, 11, 23, 9),
        **kwargs,
    )


def lookup(code: str, proof: str = ID_NUMBER, client: Client | None = None) -> str:
    response = (client or Client()).post(
        reverse("portal:lookup"), {"code": code, "id_number": proof}
    )
    assert response.status_code == 200
    return response.content.decode()


def result(body: str) -> str:
    """The result's own part of the page (without the rating form, which carries the CSRF
    token and what the citizen typed)."""
    return body[body.index('id="lookup-result"') :].split('id="rating-card"')[0]


def test_result_delivery_by_post_with_the_tracking_number(postal_procedure):
    d = dossier_by_post(postal_procedure)
    body = lookup(d.code)
    assert 'id="result-delivery"' in body and "By post, at my address" in body
    assert 'id="postal-tracking"' not in body  # not known yet
    services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 11, 24, 9))
    # The post takes the order and gives its tracking number (integrations/adapters/postal.py).
    PostalOrder.objects.create(
        ref=f"{d.code}:delivery", dossier=d, kind="delivery", tracking="EB123456789VN"
    )
    body = lookup(d.code)
    assert re.search(r'id="postal-tracking">EB123456789VN<', body)
    services.dossier_deliver(
        dossier=d, actor=staff(d), postal_tracking="EB123456789VN", at=local(2026, 11, 26, 15)
    )
    body = lookup(d.code)
    assert re.search(r'id="postal-tracking">EB123456789VN<', body)
    assert "Result handed over: 15:00, 26/11/2026" in body


def test_result_delivery_at_the_counter():
    d = received_dossier(applicant_id_number=ID_NUMBER, delivery_channel="counter")
    body = lookup(d.code)
    assert re.search(r'id="result-delivery">At the agency&#x27;s counter', body)
    assert 'id="postal-tracking"' not in body


def test_a_result_page_shows_no_personal_data_beyond_the_applicants_own(postal_procedure):
    counter = official(AgencyFactory(), "counter_officer")
    counter.full_name = "Phạm Văn Tiếp Nhận"
    counter.save()
    d = dossier_by_post(postal_procedure)
    handler = staff(d)
    handler.full_name = "Lê Thị Chuyên Viên"
    handler.save()
    services.dossier_assign(dossier=d, actor=handler, assignee=handler, at=local(2026, 11, 23, 10))
    services.dossier_resolve(dossier=d, actor=handler, at=local(2026, 11, 24, 9))
    other = received_dossier(applicant_name="Người Khác", applicant_id_number="001090000999")
    body = lookup(d.code)
    assert 'id="lookup-result"' in body and 'id="rating-card"' in body
    # No official: neither names nor user names.
    for user in (handler, counter):
        assert user.full_name not in body and user.username not in body
    # Of the applicant, only what the citizen typed in the form, where it was typed.
    for private in ("0912345678", "yen@example.vn", "Lê Lợi", "Vũ Thị Yến"):
        assert private not in body
    assert body.count(ID_NUMBER) == 2  # the form's field and the rating form's hidden field
    assert ID_NUMBER not in result(body)
    assert other.applicant_name not in body and other.code not in body


def test_looked_up_by_the_secret_the_id_number_never_appears(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    procedure = ProcedureFactory(online_class="full")
    agency = AgencyFactory()
    procedure.agencies.add(agency)
    dossier, submission, secret = online_filing_submit(
        procedure=procedure,
        agency=agency,
        applicant={"applicant_name": "Trần Thị B", "applicant_id_number": ID_NUMBER},
        delivery_channel="counter",
        files={},
    )
    body = lookup(submission.reference, secret)
    assert 'id="lookup-result"' in body and submission.reference in body
    assert ID_NUMBER not in body and "Trần Thị B" not in body


def test_an_import_event_is_not_shown_to_citizens():
    d = received_dossier(applicant_id_number=ID_NUMBER, at=local(2026, 3, 2, 9))
    apology = HistoryApology(
        issued_at=local(2026, 3, 6, 9), new_due_at=local(2026, 3, 20, 17), reason="Chờ xác minh"
    )
    entry = HistoryEntry(
        dossier_id=d.pk, applicant={"applicant_phone": "0987654321"}, apologies=[apology]
    )
    assert dossier_history_record(actor=IMPORT, entries=[entry], source="hệ thống cũ") == 1
    assert d.events.filter(type="import").exists()
    body = lookup(d.code)
    assert "ev-import" not in body and "mported" not in body and "hệ thống cũ" not in body
    assert "ev-receive" in body
    # What the import brought that concerns the citizen is shown: the new appointment.
    assert "Chờ xác minh" in body and "17:00, 20/03/2026" in body
    assert "0987654321" not in body


def test_one_statement_when_the_page_is_cached_two_when_not(django_assert_num_queries, monkeypatch):
    d = received_dossier(applicant_id_number=ID_NUMBER)
    client = Client()
    # With a replica (as in the tests' settings) the throttle count is read on the primary first.
    with django_assert_num_queries(3):  # throttle count, the dossier, its events
        first = lookup(d.code, client=client)
    with django_assert_num_queries(2):
        again = lookup(d.code.lower(), client=client)
    assert result(first) == result(again)
    # Without (the usual deployment): the dossier's statement reads the throttle count too.
    monkeypatch.setattr(views, "replica_configured", lambda: False)
    services.dossier_assign(dossier=d, actor=staff(d), assignee=staff(d))
    with django_assert_num_queries(2):  # the dossier with the throttle count, its events
        first = lookup(d.code, client=client)
    with django_assert_num_queries(1):
        again = lookup(d.code, client=client)
    assert result(first) == result(again)


def test_a_new_event_or_a_renamed_procedure_shows_at_once():
    d = received_dossier(applicant_id_number=ID_NUMBER)
    assert "Documents to add" not in lookup(d.code)
    services.dossier_supplement_request(dossier=d, actor=staff(d), reason="Thiếu bản sao sổ đỏ")
    body = lookup(d.code)
    assert "Documents to add" in body and "Thiếu bản sao sổ đỏ" in body
    assert "The time limit is paused" in body
    Procedure.objects.filter(pk=d.procedure_id).update(name="Tên mới của thủ tục")
    Agency.objects.filter(pk=d.agency_id).update(name="UBND xã Tên Mới")
    body = lookup(d.code)
    assert "Tên mới của thủ tục" in body and "UBND xã Tên Mới" in body
    services.dossier_supplement_receive(dossier=d, actor=staff(d))
    services.dossier_resolve(dossier=d, actor=staff(d))
    Client().post(
        reverse("portal:rate"), {"code": d.code, "id_number": ID_NUMBER, "value": "satisfied"}
    )
    body = lookup(d.code)
    assert 'id="rating-card"' not in body and "ev-rate" in body


def test_the_fast_page_is_the_template_page(monkeypatch):
    """The page filled into the shared shell (portal/lookup.py) is, byte for byte apart from the
    CSRF token's mask, the page the template renders with the same context."""
    d = received_dossier(applicant_id_number=ID_NUMBER)
    services.dossier_apologize(
        dossier=d, actor=staff(d), new_due_at=local(2026, 12, 30, 9), reason="Chờ <ý kiến>"
    )
    code = f"  {d.code.lower()}<&"  # what the citizen typed is escaped the same way
    fast = Client().post(reverse("portal:lookup"), {"code": d.code, "id_number": ID_NUMBER})
    typed = Client().post(reverse("portal:lookup"), {"code": code, "id_number": ID_NUMBER})
    monkeypatch.setattr(views, "result_page", lambda *args, **kwargs: None)
    slow = Client().post(reverse("portal:lookup"), {"code": d.code, "id_number": ID_NUMBER})

    def unmasked(response) -> str:
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())

    assert unmasked(fast) == unmasked(slow)
    assert "Chờ &lt;ý kiến&gt;" in unmasked(fast)
    assert 'id="not-found"' in typed.content.decode()  # "<&" is not part of any code
    assert "&lt;&amp;" in typed.content.decode()


def test_rating_by_the_portal_actor_is_counted_once(postal_procedure):
    d = dossier_by_post(postal_procedure)
    services.dossier_rate(dossier=d, actor=PORTAL, value="very_satisfied")
    assert 'id="rating-card"' not in lookup(d.code)


@pytest.mark.postgres
def test_the_lookup_statement_finds_the_dossier_through_indexes():
    """On PostgreSQL the dossier is found by its code's index (or the tracking reference's), then
    read by primary key: no plan can scan the dossiers."""
    from django.db import connection, transaction

    from motcua.portal import selectors

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    d = received_dossier(applicant_id_number=ID_NUMBER)
    sql, slots, *_rest = selectors._statement("default", True)
    values = {"code": d.code, "address": "127.0.0.1", "window": d.received_at, "limit": 10}
    params = [literal if name is None else values[name] for name, literal in slots]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossiers_dossier_code" in plan and "(id = COALESCE(" in plan, plan
    assert "Seq Scan" not in plan and "Filter: (((code)" not in plan, plan
