"""The public catalogue and online filing: find a procedure without diacritics, file it with its
documents, get a tracking code and a secret, follow it, be accepted at pre-check."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import ProcedureAssignment, RequiredDocument
from motcua.core.errors import IllegalTransition, PermissionDenied
from motcua.core.validators import with_tax_check_digit
from motcua.dossiers import services
from motcua.dossiers.choices import DossierState
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.dossiers.permissions import PORTAL
from motcua.portal.models import OnlineSubmission
from tests.catalog.factories import AgencyFactory, ProcedureFactory
from tests.dossiers.factories import staff
from tests.petitions.files import exe_as_pdf, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def procedure():
    p = ProcedureFactory(
        name="Đăng ký thành lập hộ kinh doanh", online_class=OnlineClass.FULL, fee="100.000 đồng"
    )
    ProcedureAssignment.objects.create(procedure=p, agency=AgencyFactory(name="UBND xã Mường Lát"))
    RequiredDocument.objects.create(procedure=p, position=1, name="Giấy đề nghị", originals=1)
    RequiredDocument.objects.create(procedure=p, position=2, name="Bản sao CCCD", copies=1)
    RequiredDocument.objects.create(
        procedure=p, position=3, name="Văn bản ủy quyền", mandatory=False
    )
    return p


def docs(procedure):
    return list(procedure.documents.order_by("position"))


def filing(procedure, **changes):
    first, second, _optional = docs(procedure)
    data = {
        "agency": procedure.agencies.get().pk,
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001090000123",
        "applicant_phone": "0912 345 678",
        "applicant_email": "",
        "applicant_address": "Bản Lát, xã Mường Lát",
        "delivery_channel": "counter",
        "delivery_address": "",
        "note": "",
        f"doc_{first.pk}": pdf("de-nghi.pdf"),
        f"doc_{second.pk}": png("cccd.png"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, procedure, **changes):
    return client.post(
        reverse("portal:file_online", args=[procedure.code]), filing(procedure, **changes)
    )


def nothing_written(media):
    assert Dossier.objects.count() == DossierEvent.objects.count() == 0
    assert DossierFile.objects.count() == OnlineSubmission.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize("query", ["dang ky kinh doanh", "ĐĂNG KÝ", "Dang Ky Thanh Lap"])
def test_the_catalogue_finds_procedures_without_diacritics(client, procedure, query):
    ProcedureFactory(name="Cấp phép xây dựng")
    body = client.get(reverse("portal:procedures"), {"q": query}).content.decode()
    assert procedure.name in body and "Cấp phép xây dựng" not in body


def test_the_catalogue_filters_and_lists_only_procedures_in_force(client, procedure):
    gone = ProcedureFactory(name="Thủ tục đã bãi bỏ", is_active=False)
    offline = ProcedureFactory(name="Thủ tục trực tiếp", online_class=OnlineClass.NONE)
    body = client.get(reverse("portal:procedures")).content.decode()
    assert procedure.name in body and offline.name in body and gone.name not in body
    body = client.get(reverse("portal:procedures"), {"online": "full"}).content.decode()
    assert procedure.name in body and offline.name not in body
    agency = procedure.agencies.get()
    body = client.get(reverse("portal:procedures"), {"agency": agency.pk}).content.decode()
    assert procedure.name in body and offline.name not in body
    bad = client.get(
        reverse("portal:procedures"), {"agency": "x", "level": "nope", "field": "1e99"}
    )
    assert bad.status_code == 200
    assert client.get(reverse("portal:procedure", args=[gone.code])).status_code == 404


def test_a_procedure_page_gives_documents_time_fee_and_online_filing(client, procedure):
    offline = ProcedureFactory(online_class=OnlineClass.NONE)
    body = client.get(reverse("portal:procedure", args=[procedure.code])).content.decode()
    assert 'id="file-online"' in body and "100.000 đồng" in body
    assert "Giấy đề nghị" in body and "Văn bản ủy quyền" in body and "UBND xã Mường Lát" in body
    body = client.get(reverse("portal:procedure", args=[offline.code])).content.decode()
    assert 'id="file-online"' not in body
    assert client.get(reverse("portal:file_online", args=[offline.code])).status_code == 404


def test_filing_online_with_two_documents_then_pre_check_then_lookup(client, procedure, media):
    response = post(client, procedure)
    assert response.status_code == 201, response.content.decode()[:2000]
    body = response.content.decode()
    reference = re.search(r'id="tracking-code">([A-Z0-9-]+)<', body).group(1)
    secret = re.search(r'id="tracking-secret">([A-Z0-9]+)<', body).group(1)
    dossier = Dossier.objects.get()
    assert dossier.state == DossierState.SUBMITTED and dossier.due_at is None
    assert dossier.applicant_phone == "0912345678"
    assert sorted(dossier.files.values_list("original_name", flat=True)) == [
        "cccd.png",
        "de-nghi.pdf",
    ]
    handed = dict(dossier.documents.values_list("name", "submitted"))
    assert handed == {"Giấy đề nghị": True, "Bản sao CCCD": True, "Văn bản ủy quyền": False}
    assert secret not in str(list(OnlineSubmission.objects.values_list()))

    # The citizen follows it by the tracking code (any case) and the secret.
    found = Client().post(
        reverse("portal:lookup"), {"code": reference.lower(), "id_number": secret}
    )
    assert 'id="lookup-result"' in found.content.decode()

    # The agency accepts it at pre-check: the code is given and the deadline starts now.
    services.dossier_precheck_accept(dossier=dossier, actor=staff(dossier))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED and dossier.due_at is not None
    by_code = Client().post(
        reverse("portal:lookup"), {"code": dossier.code.lower(), "id_number": "001090000123"}
    )
    assert 'id="lookup-result"' in by_code.content.decode()
    by_secret = Client().post(reverse("portal:lookup"), {"code": dossier.code, "id_number": secret})
    assert 'id="lookup-result"' in by_secret.content.decode()


def test_a_wrong_secret_answers_like_an_unknown_code(procedure):
    post(Client(), procedure)
    reference = OnlineSubmission.objects.get().reference

    def answer(code):
        response = Client().post(
            reverse("portal:lookup"), {"code": code, "id_number": "ZZZZZZZZZZ"}
        )
        text = re.sub(r'value="[^"]*"', "", response.content.decode())
        return response.status_code, re.sub(r'"X-CSRFToken": "[^"]+"', "", text)

    assert answer(reference) == answer("TT000000-AAAAAA")


@pytest.mark.parametrize(
    "changes, where",
    [
        ({"applicant_id_number": "123456789"}, "applicant_id_number"),  # a CMND: not accepted
        ({"applicant_phone": "12345"}, "applicant_phone"),
        ({"delivery_channel": "postal"}, "delivery_channel"),  # not registered for post
        ({"applicant_kind": "organisation", "applicant_id_number": "0100109100"}, "applicant_id"),
    ],
)
def test_bad_applicant_details_are_refused_with_nothing_written(
    client, procedure, media, changes, where
):
    response = post(client, procedure, **changes)
    assert response.status_code == 400
    assert f'id="id_{where}' in response.content.decode()
    nothing_written(media)


def test_an_organisation_files_with_a_valid_tax_code(client, procedure):
    tax = with_tax_check_digit("010010910")
    response = post(client, procedure, applicant_kind="organisation", applicant_id_number=tax)
    assert response.status_code == 201
    assert Dossier.objects.get().applicant_id_number == tax


def test_a_disguised_executable_and_an_oversized_file_are_refused(
    client, procedure, media, settings
):
    first = docs(procedure)[0]
    response = post(client, procedure, **{f"doc_{first.pk}": exe_as_pdf()})
    assert response.status_code == 400 and 'id="filing-error"' in response.content.decode()
    nothing_written(media)
    settings.MOTCUA_UPLOAD_MAX_BYTES = 10
    response = post(client, procedure)
    assert response.status_code == 400
    nothing_written(media)


def test_a_missing_required_document_is_refused(client, procedure, media):
    second = docs(procedure)[1]
    response = post(client, procedure, **{f"doc_{second.pk}": None})
    assert response.status_code == 400
    nothing_written(media)


def test_the_rating_form_has_no_default_choice(client):
    from tests.dossiers.factories import received_dossier

    dossier = received_dossier(applicant_id_number="099111222333")
    services.dossier_resolve(dossier=dossier, actor=staff(dossier))
    body = client.post(
        reverse("portal:lookup"), {"code": dossier.code, "id_number": "099111222333"}
    ).content.decode()
    assert 'id="rating-card"' in body and " checked" not in body


def file_and_return(client, procedure):
    body = post(client, procedure).content.decode()
    reference = re.search(r'id="tracking-code">([A-Z0-9-]+)<', body).group(1)
    secret = re.search(r'id="tracking-secret">([A-Z0-9]+)<', body).group(1)
    dossier = Dossier.objects.get()
    services.dossier_precheck_return(
        dossier=dossier, actor=staff(dossier), reason="Bản sao CCCD bị mờ, đề nghị chụp lại."
    )
    return dossier, reference, secret


def test_needs_changes_goes_back_to_the_applicant_who_corrects_it(client, procedure, media):
    dossier, reference, secret = file_and_return(client, procedure)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED and not dossier.code and dossier.due_at is None
    found = Client().post(reverse("portal:lookup"), {"code": reference, "id_number": secret})
    body = found.content.decode()
    assert 'id="correct-link"' in body and "Bản sao CCCD bị mờ" in body

    url = reverse("portal:correct")
    wrong = Client().post(url, {"code": reference, "secret": "AAAAAAAAAA"})
    assert 'id="not-found"' in wrong.content.decode()
    page = Client().post(url, {"code": reference.lower(), "secret": secret})
    assert "Bản sao CCCD bị mờ" in page.content.decode()

    second = dossier.documents.get(name="Bản sao CCCD")
    sent = Client().post(
        url,
        {"code": reference, "secret": secret, "send": "1", f"doc_{second.pk}": png("cccd-ro.png")},
    )
    assert 'id="resubmitted"' in sent.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    assert dossier.files.filter(original_name="cccd-ro.png", document=second).exists()
    assert list(dossier.events.values_list("type", flat=True)) == [
        "submit",
        "attach",
        "attach",
        "precheck_return",
        "attach",
        "resubmit",
    ]
    services.dossier_precheck_accept(dossier=dossier, actor=staff(dossier))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED and dossier.due_at is not None


def test_a_bad_correction_writes_nothing(client, procedure, media):
    dossier, reference, secret = file_and_return(client, procedure)
    files_before = set(dossier.files.values_list("pk", flat=True))
    events_before = dossier.events.count()
    first = dossier.documents.get(name="Giấy đề nghị")
    response = Client().post(
        reverse("portal:correct"),
        {"code": reference, "secret": secret, "send": "1", f"doc_{first.pk}": exe_as_pdf()},
    )
    assert response.status_code == 400 and 'id="correct-error"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED and dossier.events.count() == events_before
    assert set(dossier.files.values_list("pk", flat=True)) == files_before


def test_the_applicant_cannot_resubmit_what_was_not_returned(client, procedure):
    post(client, procedure)
    dossier = Dossier.objects.get()
    with pytest.raises(IllegalTransition):
        services.dossier_resubmit(dossier=dossier, actor=PORTAL)
    with pytest.raises(PermissionDenied):
        services.dossier_precheck_return(dossier=dossier, actor=PORTAL, reason="x")


def test_the_filing_page_follows_the_catalogue_and_its_revisions_at_once(client, procedure):
    """The procedure is memoised per process (portal.selectors.procedure_public_get): a decision
    taking it out of force, or a new required document, shows on the very next request."""
    from motcua.control.models import ProcedureRevision

    url = reverse("portal:file_online", args=[procedure.code])
    assert "Giấy đề nghị" in client.get(url).content.decode()
    RequiredDocument.objects.create(procedure=procedure, position=4, name="Sơ đồ vị trí")
    assert "Sơ đồ vị trí" in client.get(url).content.decode()
    ProcedureRevision.objects.create(procedure=procedure, attributes={"is_active": False})
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:procedure", args=[procedure.code])).status_code == 404


def test_an_agency_not_handling_the_procedure_is_refused(client, procedure, media):
    other = AgencyFactory(name="UBND xã Khác")
    response = post(client, procedure, agency=other.pk)
    assert response.status_code == 400 and 'name="agency"' in response.content.decode()
    nothing_written(media)
