"""Personal data: a person's own export, and the access log the DPO reads."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from motcua.ops.models import PersonalDataAccess
from tests.dossiers.factories import UserFactory, received_dossier
from tests.dossiers.test_views import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_export_gives_only_that_persons_dossiers_and_logs_each(tmp_path):
    mine = [
        received_dossier(applicant_id_number="001090012345", applicant_phone="0912345678"),
        received_dossier(applicant_id_number="001090012345", applicant_name="Nguyễn Thị C"),
    ]
    received_dossier(applicant_id_number="001090099999")
    out = tmp_path / "me.json"
    call_command("personal-data", "export", "001090012345", "-o", str(out), "--reason", "đơn 12")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["code"] for d in data["dossiers"]] == [d.code for d in mine]
    assert data["dossiers"][0]["applicant"]["applicant_phone"] == "0912345678"
    assert data["dossiers"][1]["applicant"]["applicant_name"] == "Nguyễn Thị C"
    assert [e["type"] for e in data["dossiers"][0]["events"]] == ["receive"]
    logged = PersonalDataAccess.objects.order_by("dossier_id")
    assert [(a.dossier_id, a.kind, a.purpose) for a in logged] == [
        (d.pk, "subject_export", "đơn 12") for d in mine
    ]


def test_export_needs_an_id_number():
    with pytest.raises(CommandError, match="an ID number is required"):
        call_command("personal-data", "export", "  ")


def test_viewing_a_dossier_is_logged(client, world):  # noqa: F811
    officer, dossier = world["officer_a"], world["dossier_a"]
    client.force_login(officer)
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 200
    [access] = PersonalDataAccess.objects.all()
    assert (access.actor, access.dossier, access.kind) == (officer, dossier, "view")
    # A refused look at another agency's dossier shows nothing and logs nothing.
    client.get(reverse("dossiers:detail", args=[world["dossier_b"].code]))
    assert PersonalDataAccess.objects.count() == 1


def test_only_the_data_protection_officer_reads_the_log(client, world):  # noqa: F811
    client.force_login(world["officer_a"])
    client.get(reverse("dossiers:detail", args=[world["dossier_a"].code]))
    url = reverse("admin:ops_personaldataaccess_changelist")
    staff = UserFactory(is_staff=True)
    staff.save()
    client.force_login(staff)
    assert client.get(url).status_code == 403
    dpo = UserFactory(is_staff=True)
    dpo.save()
    dpo.user_permissions.add(Permission.objects.get(codename="view_personaldataaccess"))
    client.force_login(dpo)
    page = client.get(url)
    assert page.status_code == 200
    assert world["dossier_a"].code in page.content.decode()


def test_the_admins_dossier_page_is_logged_too(client, world):  # noqa: F811
    dossier = world["dossier_a"]
    staff = UserFactory(is_staff=True)
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client.force_login(staff)
    page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    assert dossier.applicant_name in page.content.decode()
    [access] = PersonalDataAccess.objects.all()
    assert (access.actor, access.dossier, access.kind, access.purpose) == (
        staff,
        dossier,
        "view",
        "admin page",
    )
    # the list shows no personal field and is not logged
    assert client.get(reverse("admin:dossiers_dossier_changelist")).status_code == 200
    assert PersonalDataAccess.objects.count() == 1
