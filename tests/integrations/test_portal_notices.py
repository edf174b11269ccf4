"""Online submissions by SMS and e-mail: the tracking code and the secret on submission, what to
fix on a pre-check return. The secret is never in a payload and is gone once sent."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.portal.models import OnlineSubmission
from tests.dossiers.factories import staff
from tests.integrations.conftest import drain
from tests.portal.test_online_filing import post
from tests.portal.test_online_filing import procedure as procedure  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def notices_on(settings, fake_sms):
    settings.MOTCUA_EMAIL_NOTICES = True
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.sonlam.gov.vn"
    return fake_sms


def filed(procedure, **changes) -> tuple[str, str]:
    response = post(Client(), procedure, **{"applicant_email": "an@example.vn", **changes})
    assert response.status_code == 201, response.content.decode()[:2000]
    body = response.content.decode()
    filed.page = body  # what the citizen saw
    reference = re.search(r'id="tracking-code">([A-Z0-9-]+)<', body).group(1)
    secret = re.search(r'id="tracking-secret">([A-Z0-9]+)<', body).group(1)
    return reference, secret


def stored_text() -> str:
    """Everything the outbox table holds, as the database has it (payloads included)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM integrations_outboxmessage")
        return json.dumps([list(map(str, row)) for row in cursor.fetchall()], ensure_ascii=False)


def test_submission_sends_the_tracking_code_and_the_secret(procedure, notices_on, mailoutbox):
    reference, secret = filed(procedure)
    # The page says where else the codes go.
    assert "số điện thoại và địa chỉ thư điện tử" in filed.page.split('id="sent-by"')[1]
    queued = OutboxMessage.objects.filter(kind="submission").order_by("peer")
    assert [m.peer for m in queued] == ["email", "sms"]
    # Queued with the dossier, in its transaction; the secret is not in any payload.
    assert all(m.dossier_id == Dossier.objects.get().pk and m.event_seq == 1 for m in queued)
    assert all(
        secret not in json.dumps(m.payload) and "{secret}" in m.payload["text"] for m in queued
    )

    assert drain() == 0
    (sms,) = notices_on.texts
    assert sms["to"] == "0912345678"
    assert reference in sms["text"] and secret in sms["text"] and "Nguyễn Văn An" in sms["text"]
    assert f"https://dichvucong.sonlam.gov.vn/portal/?code={reference}" in sms["text"]
    assert "001090000123" not in sms["text"]  # no other personal data
    assert len(sms["text"]) <= 320
    (mail,) = mailoutbox
    assert mail.to == ["an@example.vn"] and reference in mail.subject and secret not in mail.subject
    assert secret in mail.body and reference in mail.body

    # Once sent, the secret is nowhere in the outbox any more.
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert secret not in stored_text()
    assert set(OutboxMessage.objects.values_list("secret", flat=True)) == {""}
    # The secret sent works: the citizen looks the dossier up with it.
    found = Client().post(reverse("portal:lookup"), {"code": reference, "id_number": secret})
    assert 'id="lookup-result"' in found.content.decode()


def test_the_secret_waits_for_a_peer_that_is_down_then_goes(procedure, notices_on, settings):
    notices_on.stop()
    _reference, secret = filed(procedure, applicant_email="")
    settings.MOTCUA_SYNC_MAX_ATTEMPTS = 50
    from motcua.integrations.delivery import run

    assert run(until_idle=True) == 3  # waiting for a retry: the secret is kept to send it
    assert OutboxMessage.objects.get(kind="submission").secret == secret
    notices_on.start()
    assert drain() == 0
    assert secret in notices_on.texts[-1]["text"] and secret not in stored_text()


def test_a_pre_check_return_tells_the_applicant_what_to_fix(procedure, notices_on, mailoutbox):
    reference, _secret = filed(procedure)
    dossier = Dossier.objects.get()
    services.dossier_precheck_return(
        dossier=dossier, actor=staff(dossier), reason="Bản sao CCCD bị mờ, chụp lại"
    )
    assert drain() == 0
    text = notices_on.texts[-1]["text"]
    assert "Bản sao CCCD bị mờ, chụp lại" in text and reference in text
    assert f"https://dichvucong.sonlam.gov.vn/portal/correct/?code={reference}" in text
    assert mailoutbox[-1].subject == f"Hồ sơ {reference} cần sửa, bổ sung"
    assert "Bản sao CCCD bị mờ" in mailoutbox[-1].body


def test_nothing_is_queued_when_no_peer_is_configured(procedure):
    # The integration conftest turns SMS and e-mail off.
    _reference, secret = filed(procedure)
    assert 'id="sent-by"' not in filed.page  # and the page promises nothing
    dossier = Dossier.objects.get()
    services.dossier_precheck_return(dossier=dossier, actor=staff(dossier), reason="thiếu giấy")
    assert OnlineSubmission.objects.count() == 1
    assert not OutboxMessage.objects.exists()
