"""Messages to applicants by e-mail and SMS, through the outbox, on the six occasions of §5."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import services
from motcua.integrations.models import NoticeTemplate, OutboxMessage
from tests.dossiers.factories import local, received_dossier, staff
from tests.integrations.conftest import drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices_on(settings, fake_sms):
    settings.MOTCUA_EMAIL_NOTICES = True
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.sonlam.gov.vn"
    return fake_sms


def applicant(**kwargs):
    kwargs.setdefault("applicant_email", "an@example.vn")
    kwargs.setdefault("applicant_phone", "0912345678")
    return received_dossier(applicant_name="Nguyễn Văn An", **kwargs)


def test_reception_sends_the_appointment_by_email_and_sms(notices_on, mailoutbox):
    dossier = applicant()
    assert drain() == 0
    (mail,) = mailoutbox
    assert mail.to == ["an@example.vn"]
    assert dossier.code in mail.subject
    due = dossier.due_at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    assert due in mail.body and "Nguyễn Văn An" in mail.body
    assert f"https://dichvucong.sonlam.gov.vn/portal/?code={dossier.code}" in mail.body
    (sms,) = notices_on.texts
    assert sms["to"] == "0912345678" and dossier.code in sms["text"] and due in sms["text"]
    assert dossier.applicant_id_number not in sms["text"] + mail.body  # no other personal data


def test_each_occasion_sends_one_message_per_channel(notices_on, mailoutbox):
    at = local(2026, 11, 24, 9)
    a = applicant()
    services.dossier_supplement_request(dossier=a, actor=staff(a), reason="thiếu sổ hộ khẩu", at=at)
    services.dossier_supplement_receive(dossier=a, actor=staff(a), at=at + dt.timedelta(hours=1))
    services.dossier_apologize(
        dossier=a, actor=staff(a), new_due_at=local(2026, 12, 30, 9), reason="chờ xác minh",
        at=at + dt.timedelta(hours=2),
    )  # fmt: skip
    services.dossier_resolve(dossier=a, actor=staff(a), at=at + dt.timedelta(hours=3))
    b = applicant()
    services.dossier_refuse(dossier=b, actor=staff(b), reason="không đủ điều kiện", at=at)
    c = applicant()
    services.dossier_stop(dossier=c, actor=staff(c), reason="người nộp đề nghị", at=at)
    kinds = sorted(OutboxMessage.objects.filter(peer="sms").values_list("kind", flat=True))
    assert kinds == sorted(
        ["reception"] * 3 + ["supplement", "apology", "result", "refusal", "stop"]
    )
    assert drain() == 0
    texts = [t["text"] for t in notices_on.texts]
    assert any("thiếu sổ hộ khẩu" in t for t in texts)
    assert any("30/12/2026" in t for t in texts)
    assert any("không đủ điều kiện" in t for t in texts)
    assert any("người nộp đề nghị" in t for t in texts)
    assert len(mailoutbox) == len(texts) == 8
    assert all(len(t) <= 320 for t in texts)


def test_no_address_and_no_phone_means_no_message(notices_on):
    applicant(applicant_email="", applicant_phone="")
    assert not OutboxMessage.objects.filter(peer__in=["sms", "email"]).exists()


def test_officials_edit_the_text_in_the_admin(notices_on, admin_client):
    template = NoticeTemplate.objects.get(occasion="reception", channel="sms")
    response = admin_client.post(
        f"/admin/integrations/noticetemplate/{template.pk}/change/",
        {
            "occasion": "reception",
            "channel": "sms",
            "subject": "",
            "text": "Hồ sơ {code}: đã nhận.",
        },
    )
    assert response.status_code == 302
    dossier = applicant()
    assert drain() == 0
    assert notices_on.texts[-1]["text"] == f"Hồ sơ {dossier.code}: đã nhận."


def test_sms_off_when_not_configured(settings):
    settings.MOTCUA_SMS_URL = ""
    settings.MOTCUA_EMAIL_NOTICES = False
    applicant()
    assert not OutboxMessage.objects.exists()
