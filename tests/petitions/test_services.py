from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.core.uploads import DOCX, PDF, PNG, check_upload
from motcua.petitions import services
from motcua.petitions.choices import PetitionAbout, PetitionEventType, PetitionState
from motcua.petitions.models import Petition, PetitionEvent, PetitionFile
from motcua.worktime.selectors import calendar_for_agency
from tests.petitions.files import big_pdf, docx_bytes, exe_as_pdf, pdf, png

pytestmark = pytest.mark.django_db

MONDAY_9 = timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0))


def submit(world, **kwargs):
    fields = {
        "agency": world["agency"],
        "about": PetitionAbout.PROCEDURE,
        "procedure": world["procedure"],
        "name": "Lê Văn C",
        "phone": "0912345678",
        "title": "Thời hạn giải quyết quá dài",
        "content": "Đề nghị rút ngắn thời hạn.",
        "at": MONDAY_9,
    }
    fields.update(kwargs)
    return services.petition_submit(**fields)


def test_submit_counts_the_answer_deadline_in_working_days_and_keeps_no_secret(world, settings):
    settings.MOTCUA_PETITION_ANSWER_DAYS = 10
    petition, secret = submit(world, files=[pdf(), png()])
    calendar = calendar_for_agency(agency_id=world["agency"].pk)
    # Tuesday 24/11/2026 is Vietnamese Culture Day, a day off from 2026; the ten working days
    # after Monday 23/11 are 25, 26, 27, 30/11 and 1, 2, 3, 4, 7, 8/12.
    assert not calendar.is_working_day(dt.date(2026, 11, 24))
    assert timezone.localtime(petition.due_at).date() == dt.date(2026, 12, 8)
    assert petition.due_at == calendar.closing_instant(dt.date(2026, 12, 8))
    assert petition.code.startswith("PA261123-") and len(petition.code) == 15
    assert len(secret) == 10 and secret not in petition.secret_hash
    assert petition.state == PetitionState.RECEIVED
    assert list(petition.events.values_list("type", flat=True)) == [PetitionEventType.SUBMIT]
    assert sorted(petition.files.values_list("content_type", flat=True)) == [PDF, PNG]
    assert petition.phone == "0912345678"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"phone": "", "email": ""}, "phone number or an e-mail"),
        ({"phone": "12345"}, "12345 is not a Vietnamese number"),
        ({"email": "not-an-address", "phone": ""}, "valid email"),
        ({"title": "  "}, "Title is required"),
        ({"procedure": None}, "Choose the procedure"),
        ({"files": [pdf(), exe_as_pdf()]}, "scan.pdf is not an accepted file"),
    ],
)
def test_bad_submissions_are_refused_and_write_nothing(world, media, changes, message):
    with pytest.raises(MotcuaError, match=message):
        submit(world, **changes)
    assert Petition.objects.count() == PetitionEvent.objects.count() == 0
    assert PetitionFile.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_oversized_file_is_refused(world, settings):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(MotcuaError, match=r"big.pdf is 0\.01 MB; the limit is 0\.01 MB"):
        submit(world, files=[big_pdf(2048)])
    assert Petition.objects.count() == 0


def test_types_are_read_from_the_content_not_the_name():
    from django.core.files.uploadedfile import SimpleUploadedFile

    word = SimpleUploadedFile("ban-sao.pdf", docx_bytes(), content_type="application/pdf")
    assert check_upload(word).content_type == DOCX
    with pytest.raises(MotcuaError):
        check_upload(SimpleUploadedFile("x.docx", b"PK\x03\x04garbage", content_type=DOCX))


def test_a_petition_about_a_dossier_goes_to_its_handling_agency(world):
    from tests.dossiers.factories import received_dossier

    dossier = received_dossier(agency=world["other"])
    petition, _secret = submit(world, about=PetitionAbout.DOSSIER, dossier=dossier, procedure=None)
    assert petition.agency == world["other"] and petition.dossier == dossier


def test_the_flow_assign_answer_publish(world):
    petition, _ = submit(world, consent_publish=True)
    at = MONDAY_9 + dt.timedelta(days=1)
    services.petition_assign(
        petition=petition, actor=world["leader"], assignee=world["specialist"], at=at
    )
    services.petition_answer(
        petition=petition, actor=world["specialist"], answer="Đã xem xét.", at=at
    )
    services.petition_publish(petition=petition, actor=world["head"], at=at)
    petition.refresh_from_db()
    assert petition.state == PetitionState.ANSWERED and petition.answered_on_time is True
    assert petition.published_at == at
    assert list(petition.events.values_list("type", "from_state", "to_state")) == [
        ("submit", "", "received"),
        ("assign", "received", "assigned"),
        ("answer", "assigned", "answered"),
        ("publish", "answered", "answered"),
    ]


@pytest.mark.parametrize(
    "who", ["specialist", "counter", "monitor", "control", "other_leader", "other_specialist"]
)
def test_only_leaders_and_heads_of_the_agency_assign(world, who):
    petition, _ = submit(world)
    with pytest.raises(PermissionDenied):
        services.petition_assign(petition=petition, actor=world[who], assignee=world["specialist"])
    petition.refresh_from_db()
    assert petition.state == PetitionState.RECEIVED and petition.events.count() == 1


def test_the_assignee_must_work_at_the_agency(world):
    petition, _ = submit(world)
    with pytest.raises(MotcuaError, match="does not work at"):
        services.petition_assign(
            petition=petition, actor=world["leader"], assignee=world["other_specialist"]
        )


@pytest.mark.parametrize("who", ["specialist2", "counter", "monitor", "other_leader"])
def test_only_the_assignee_or_a_leader_answers(world, who):
    petition, _ = submit(world)
    services.petition_assign(petition=petition, actor=world["leader"], assignee=world["specialist"])
    with pytest.raises(PermissionDenied):
        services.petition_answer(petition=petition, actor=world[who], answer="x")
    services.petition_answer(petition=petition, actor=world["leader"], answer="Trả lời")
    with pytest.raises(MotcuaError, match="already been answered"):
        services.petition_answer(petition=petition, actor=world["leader"], answer="again")


def test_publication_needs_an_answer_and_the_petitioners_consent(world):
    petition, _ = submit(world, consent_publish=False)
    with pytest.raises(MotcuaError, match="Only an answer"):
        services.petition_publish(petition=petition, actor=world["leader"])
    services.petition_answer(petition=petition, actor=world["leader"], answer="Trả lời")
    with pytest.raises(MotcuaError, match="did not agree"):
        services.petition_publish(petition=petition, actor=world["leader"])


def test_a_late_answer_is_late(world):
    petition, _ = submit(world)
    late = petition.due_at + dt.timedelta(minutes=1)
    services.petition_answer(petition=petition, actor=world["leader"], answer="Muộn", at=late)
    petition.refresh_from_db()
    assert petition.answered_on_time is False
