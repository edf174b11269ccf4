from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.petitions import services
from motcua.petitions.choices import PetitionAbout, PetitionState
from motcua.petitions.models import Petition, PetitionFile
from tests.petitions.files import exe_as_pdf, pdf, png

pytestmark = pytest.mark.django_db


def form_data(world, **changes):
    data = {
        "about": PetitionAbout.PROCEDURE,
        "agency": world["agency"].pk,
        "procedure": world["procedure"].pk,
        "name": "Lê Văn C",
        "phone": "0912345678",
        "email": "",
        "title": "Thời hạn quá dài",
        "content": "Đề nghị rút ngắn.",
        "consent_publish": "on",
    }
    data.update(changes)
    return data


def send(client, world, files=(), **changes):
    data = form_data(world, **changes)
    if files:
        data["files"] = list(files)
    return client.post(reverse("feedback:new"), data)


def test_a_citizen_sends_a_petition_with_two_files_and_gets_code_and_secret(client, world):
    response = send(client, world, files=[pdf(), png()])
    assert response.status_code == 201
    petition = Petition.objects.get()
    html = response.content.decode()
    secret = re.search(r'id="petition-secret">([A-Z0-9]+)<', html).group(1)
    assert petition.code in html and len(secret) == 10
    assert petition.files.count() == 2
    # The secret is shown once: nowhere in the database.
    assert secret not in str(list(Petition.objects.values_list()))


def test_a_disguised_executable_is_refused_and_nothing_is_written(client, world):
    response = send(client, world, files=[pdf(), exe_as_pdf()])
    assert response.status_code == 400
    assert "scan.pdf" in response.content.decode()  # the refused file is named
    assert Petition.objects.count() == 0 and PetitionFile.objects.count() == 0


def test_a_wrong_secret_answers_exactly_like_an_unknown_code(world, settings):
    petition, secret = services.petition_submit(
        agency=world["agency"],
        about=PetitionAbout.AGENCY,
        name="A",
        phone="0912345678",
        title="T",
        content="C",
    )
    client = Client()
    url = reverse("feedback:follow")
    good = client.post(url, {"code": petition.code.lower(), "secret": secret.lower()})
    assert good.status_code == 200 and 'id="petition-result"' in good.content.decode()

    def body(response):
        text = response.content.decode()
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", text).replace('value="XX"', 'value="YY"')

    wrong = client.post(url, {"code": petition.code, "secret": "AAAAAAAAAA"})
    unknown = client.post(url, {"code": "PA000000-XXXXXX", "secret": "AAAAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 200
    assert 'id="not-found"' in wrong.content.decode()
    wrong_body = body(wrong).replace(petition.code, "CODE")
    unknown_body = body(unknown).replace("PA000000-XXXXXX", "CODE")
    assert wrong_body == unknown_body

    settings.MOTCUA_PORTAL_MAX_FAILURES = 3
    third = client.post(url, {"code": petition.code, "secret": "BBBBBBBBBB"})
    assert third.status_code == 200  # the third failure is recorded
    blocked = client.post(url, {"code": petition.code, "secret": secret})
    assert blocked.status_code == 429 and 'id="petition-result"' not in blocked.content.decode()


def test_every_form_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("feedback:new"), form_data(world)).status_code == 403
    assert client.post(reverse("feedback:follow"), {"code": "x", "secret": "y"}).status_code == 403
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(world["leader"])
    petition, _ = services.petition_submit(
        agency=world["agency"], about="agency", name="A", phone="0912345678", title="T", content="C"
    )
    url = reverse("petitions:detail", args=[petition.code])
    assert officer.post(url, {"action": "answer", "answer": "x"}).status_code == 403
    assert Petition.objects.get().state == PetitionState.RECEIVED


def test_officials_see_their_agencys_petitions_and_only_the_actions_they_may_take(world):
    ours, _ = services.petition_submit(
        agency=world["agency"],
        about="agency",
        name="A",
        phone="0912345678",
        title="Của sở",
        content="C",
        consent_publish=True,
        files=[pdf()],
    )
    theirs, _ = services.petition_submit(
        agency=world["other"],
        about="agency",
        name="B",
        phone="0912345678",
        title="Của sở khác",
        content="C",
    )
    client = Client()
    client.force_login(world["leader"])
    listing = client.get(reverse("petitions:list")).content.decode()
    assert ours.code in listing and theirs.code not in listing
    detail = client.get(reverse("petitions:detail", args=[ours.code])).content.decode()
    assert 'id="assign-form"' in detail and 'id="answer-form"' in detail
    assert client.get(reverse("petitions:detail", args=[theirs.code])).status_code == 404

    client.force_login(world["monitor"])
    detail = client.get(reverse("petitions:detail", args=[ours.code])).content.decode()
    assert 'id="assign-form"' not in detail and 'id="answer-form"' not in detail
    refused = client.post(
        reverse("petitions:detail", args=[ours.code]), {"action": "answer", "answer": "x"}
    )
    assert refused.status_code == 403
    assert Petition.objects.get(pk=ours.pk).state == PetitionState.RECEIVED

    client.force_login(world["leader"])
    url = reverse("petitions:detail", args=[ours.code])
    assert (
        client.post(url, {"action": "assign", "assignee": world["specialist"].pk}).status_code
        == 302
    )
    client.force_login(world["specialist"])
    assert client.post(url, {"action": "answer", "answer": "Đã trả lời"}).status_code == 302
    client.force_login(world["leader"])
    assert client.post(url, {"action": "publish"}).status_code == 302
    answers = Client().get(reverse("feedback:answers")).content.decode()
    assert "Đã trả lời" in answers and "0912345678" not in answers

    file_id = ours.files.get().pk
    download = client.get(reverse("petitions:file", args=[ours.code, file_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(world["other_leader"])
    assert client.get(reverse("petitions:file", args=[ours.code, file_id])).status_code == 404
