"""The citizen portal: look a dossier up by code and ID number, rate it once, find procedures."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from motcua.dossiers import services
from motcua.dossiers.models import Rating
from tests.dossiers.factories import ProcedureFactory, local, received_dossier, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def dossier():
    return received_dossier(applicant_id_number="099111222333", applicant_name="Vũ Thị Yến")


def lookup(client, code, id_number):
    return client.post(reverse("portal:lookup"), {"code": code, "id_number": id_number})


def test_lookup_page_prefills_the_code_from_the_qr_link(client, dossier):
    response = client.get(reverse("portal:lookup"), {"code": dossier.code})
    assert response.status_code == 200
    assert f'value="{dossier.code}"' in response.content.decode()


def test_lookup_with_code_and_id_number_shows_state_due_and_history(client, dossier):
    response = lookup(client, dossier.code, "099111222333")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="lookup-result"' in body
    assert dossier.procedure.name in body
    assert 'id="plain-state"' in body
    assert dossier.due_at.astimezone().strftime("%Y") in body


def test_lookup_with_a_wrong_id_number_finds_nothing(client, dossier):
    body = lookup(client, dossier.code, "000000000000").content.decode()
    assert 'id="not-found"' in body
    assert 'id="lookup-result"' not in body
    assert dossier.applicant_name not in body


def test_lookup_without_an_id_number_asks_for_both(client, dossier):
    body = lookup(client, dossier.code, "").content.decode()
    assert 'id="lookup-result"' not in body


def test_rating_once_per_dossier(client, dossier):
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 23, 10, 0))
    assert 'id="rating-card"' in lookup(client, dossier.code, "099111222333").content.decode()
    data = {"code": dossier.code, "id_number": "099111222333", "value": "very_satisfied"}
    first = client.post(reverse("portal:rate"), data)
    assert first.status_code == 200
    assert Rating.objects.filter(dossier=dossier, value="very_satisfied").count() == 1
    assert 'id="rating-card"' not in first.content.decode()
    second = client.post(reverse("portal:rate"), {**data, "value": "dissatisfied"})
    assert Rating.objects.filter(dossier=dossier).count() == 1
    assert [str(m) for m in get_messages(second.wsgi_request)][-1] != ""


def test_rating_with_a_wrong_id_number_is_refused(client, dossier):
    services.dossier_resolve(dossier=dossier, actor=staff(dossier), at=local(2026, 11, 23, 10, 0))
    data = {"code": dossier.code, "id_number": "1", "value": "very_satisfied"}
    assert client.post(reverse("portal:rate"), data).status_code == 400
    assert not Rating.objects.filter(dossier=dossier).exists()


def test_procedure_search(client):
    wanted = ProcedureFactory(name="Cấp Giấy phép bán lẻ rượu")
    other = ProcedureFactory(name="Đăng ký khai sinh")
    body = client.get(reverse("portal:procedures"), {"q": "bán lẻ"}).content.decode()
    assert wanted.name in body and other.name not in body
    body = client.get(reverse("portal:procedures"), {"q": other.code}).content.decode()
    assert other.name in body and wanted.name not in body


def test_rating_is_offered_exactly_where_the_workflow_allows_it(client, dossier):
    """The portal asks dossiers.workflow (no list of its own): a received dossier still being
    handled may be rated, and the rating the card offers is accepted by the service."""
    from motcua.dossiers.choices import EventType
    from motcua.dossiers.workflow import allowed

    assert allowed(dossier.state, EventType.RATE)
    assert 'id="rating-card"' in lookup(client, dossier.code, "099111222333").content.decode()
    data = {"code": dossier.code, "id_number": "099111222333", "value": "satisfied"}
    assert client.post(reverse("portal:rate"), data).status_code == 200
    assert Rating.objects.filter(dossier=dossier, value="satisfied").count() == 1
