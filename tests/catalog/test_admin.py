"""The admin pages load for a superuser, with search and filters, in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from motcua.accounts.models import ApiToken, Membership
from motcua.catalog.choices import Role
from motcua.catalog.models import InternalProcess, ProcessStep, RequiredDocument
from motcua.core.audit import audit_record
from motcua.worktime.models import CalendarOverride, WorkingHours
from tests.catalog.factories import AgencyFactory, AgencyLevelFactory, ProcedureAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def data(django_user_model):
    province = AgencyFactory(code="000.00.00.H23", level=AgencyLevelFactory(code="province"))
    agency = AgencyFactory(code="000.00.02.H23", name="Sở Công Thương", parent=province)
    assignment = ProcedureAssignmentFactory(agency=agency, procedure__name="Cấp giấy phép")
    procedure = assignment.procedure
    RequiredDocument.objects.create(procedure=procedure, name="Đơn đề nghị", originals=1)
    process = InternalProcess.objects.create(procedure=procedure, agency=agency)
    ProcessStep.objects.create(
        process=process, position=1, name="Tiếp nhận", role=Role.COUNTER_OFFICER
    )
    CalendarOverride.objects.create(date=dt.date(2026, 1, 2), is_working_day=False, name="Nghỉ bù")
    WorkingHours.objects.create(agency=None)
    official = django_user_model.objects.create_user(
        "canbo", password="pw", full_name="Nguyễn Văn A"
    )
    Membership.objects.create(user=official, agency=agency, role=Role.SPECIALIST)
    ApiToken.objects.create(user=official, name="Cổng DVC", key_hash="x" * 64)
    audit_record(actor=official, action="catalog.import_agencies", payload={"created": 1})
    return {"procedure": procedure, "agency": agency, "process": process, "user": official}


CHANGELISTS = [
    ("catalog", "agencylevel", "?q=prov"),
    ("catalog", "agency", "?q=H23&level__id__exact=1&parent_level=province"),
    ("catalog", "agency", "?parent_level=none"),
    ("catalog", "field", "?q=L"),
    ("catalog", "procedure", "?q=giấy&one_way__exact=0&online_class__exact=none&postal=yes"),
    ("catalog", "procedure", "?time_unit__exact=working_days&postal=no&level__exact=province"),
    ("catalog", "internalprocess", "?q=Cấp"),
    ("worktime", "calendaroverride", "?year=2026&is_working_day__exact=0"),
    ("worktime", "workinghours", ""),
    ("accounts", "user", "?q=canbo&memberships__role__exact=specialist"),
    ("accounts", "membership", "?role__exact=specialist"),
    ("accounts", "apitoken", "?revoked__exact=0"),
    ("core", "auditlog", "?action__exact=catalog.import_agencies"),
]


@pytest.mark.parametrize(("app", "model", "query"), CHANGELISTS)
def test_changelist_loads_with_search_and_filters(admin_client, data, app, model, query):
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist") + query)
    assert response.status_code == 200
    assert "errornote" not in response.content.decode()


def test_search_finds_the_agency_by_code(admin_client, data):
    response = admin_client.get(reverse("admin:catalog_agency_changelist") + "?q=000.00.02")
    assert "Sở Công Thương" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("catalog_procedure", "procedure"),
        ("catalog_agency", "agency"),
        ("catalog_internalprocess", "process"),
        ("accounts_user", "user"),
    ],
)
def test_change_pages_load_with_inlines(admin_client, data, name, key):
    response = admin_client.get(reverse(f"admin:{name}_change", args=[data[key].pk]))
    assert response.status_code == 200


def test_admin_is_in_vietnamese(admin_client, data):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"


def test_audit_log_is_read_only(admin_client, data):
    assert admin_client.get(reverse("admin:core_auditlog_add")).status_code == 403


def test_admin_changes_are_audited(admin_client):
    from motcua.catalog.models import Field
    from motcua.core.models import AuditLog

    response = admin_client.post(
        reverse("admin:catalog_field_add"), {"name": "Chứng thực", "code": ""}
    )
    assert response.status_code == 302
    field = Field.objects.get(name="Chứng thực")
    added = AuditLog.objects.get(action="admin.add")
    assert (added.object_type, added.object_id) == ("catalog.field", str(field.pk))
    assert added.actor.username == "root"
    response = admin_client.post(
        reverse("admin:catalog_field_delete", args=[field.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Field.objects.exists()
    assert AuditLog.objects.get(action="admin.delete").object_id == str(field.pk)
