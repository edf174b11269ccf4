"""Per-process memos (core.generations) are never stale: every write to a tracked table, from
the ORM, a bulk update or raw SQL, changes the group's generation, and a rolled-back one is
never reused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction

from motcua.accounts.models import Membership
from motcua.accounts.selectors import user_agency_ids
from motcua.accounts.tokens import api_token_create, api_token_revoke, api_token_user
from motcua.catalog.choices import Role
from motcua.catalog.models import AgencyLevel, Procedure
from motcua.catalog.selectors import procedure_for_code
from motcua.core.generations import (
    GROUPS,
    TABLE,
    install_triggers,
    memo,
    memos,
    triggers_installed,
)
from motcua.core.models import AuditLog
from motcua.dossiers.models import CounterClosure
from motcua.worktime.models import CalendarOverride
from motcua.worktime.selectors import calendar_for_agency
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    UserFactory,
    local,
    received_dossier,
)

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Raised inside an atomic block to roll it back."""


def _values() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {TABLE}")  # noqa: S608 - constant
        return dict(cursor.fetchall())


def test_every_tracked_table_has_its_trigger_after_migrate():
    installed = triggers_installed()
    assert len(installed) == sum(len(labels) for labels in GROUPS.values())
    assert all(installed.values()), installed
    assert set(_values()) == set(GROUPS)


def test_installing_again_changes_nothing():
    before = triggers_installed()
    install_triggers()
    install_triggers()
    assert triggers_installed() == before


def test_each_group_changes_only_with_its_own_tables():
    before = _values()
    AgencyFactory()
    after_agency = _values()
    assert after_agency["catalogue"] != before["catalogue"]
    assert after_agency["calendar"] == before["calendar"]
    assert after_agency["access"] == before["access"]
    CalendarOverride.objects.create(date="2026-12-26", is_working_day=True, name="bù")
    after_override = _values()
    assert after_override["calendar"] != after_agency["calendar"]
    assert after_override["catalogue"] == after_agency["catalogue"]


def test_a_memo_is_dropped_by_any_write_even_bulk_or_raw_sql():
    procedure = ProcedureFactory(code="1.999999")
    assert procedure_for_code(code="1.999999").processing_time == Decimal(10)
    assert procedure_for_code(code="1.999999") is procedure_for_code(code="1.999999")

    Procedure.objects.filter(pk=procedure.pk).update(processing_time=Decimal(3))  # no save()
    assert procedure_for_code(code="1.999999").processing_time == Decimal(3)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_procedure SET processing_time = 7 WHERE id = %s", [procedure.pk]
        )
    assert procedure_for_code(code="1.999999").processing_time == Decimal(7)


def test_reception_sees_a_changed_processing_time_at_once():
    agency = AgencyFactory()
    procedure = ProcedureFactory(processing_time=Decimal(1))
    first = received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 9, 0))
    Procedure.objects.filter(pk=procedure.pk).update(processing_time=Decimal(5))
    second = received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 9, 5))
    assert first.processing_time == 1 and second.processing_time == 5
    assert second.due_at > first.due_at


def test_reception_sees_a_new_counter_closure_at_once():
    from motcua.core.errors import MotcuaError

    agency = AgencyFactory()
    procedure = ProcedureFactory()
    received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 9, 0))
    CounterClosure.objects.create(
        agency=agency, start="2026-11-23", end="2026-11-24", reason="sửa chữa"
    )
    with pytest.raises(MotcuaError, match="sửa chữa"):
        received_dossier(agency=agency, procedure=procedure, at=local(2026, 11, 23, 10, 0))


def test_the_calendar_sees_a_new_override_at_once():
    saturday = local(2026, 11, 28, 12, 0).date()
    assert not calendar_for_agency().is_working_day(saturday)
    CalendarOverride.objects.create(date=saturday, is_working_day=True, name="làm bù")
    assert calendar_for_agency().is_working_day(saturday)


def test_a_revoked_token_stops_working_at_once():
    user = UserFactory()
    token, key = api_token_create(user=user, name="hệ thống khác")
    assert api_token_user(key=key) == user
    assert api_token_user(key=key) is api_token_user(key=key)  # memoised
    api_token_revoke(token=token)
    assert api_token_user(key=key) is None


def test_a_removed_membership_narrows_the_scope_at_once():
    user = UserFactory()
    a, b = AgencyFactory(), AgencyFactory()
    Membership.objects.create(user=user, agency=a, role=Role.COUNTER_OFFICER)
    Membership.objects.create(user=user, agency=b, role=Role.COUNTER_OFFICER)
    assert user_agency_ids(user=user) == {a.pk, b.pk}
    Membership.objects.filter(user=user, agency=b).delete()
    assert user_agency_ids(user=user) == {a.pk}
    child = AgencyFactory(parent=a)
    assert user_agency_ids(user=user) == {a.pk, child.pk}


def test_the_returned_scope_is_a_copy():
    user = UserFactory()
    a = AgencyFactory()
    Membership.objects.create(user=user, agency=a, role=Role.COUNTER_OFFICER)
    user_agency_ids(user=user).add(-1)
    assert user_agency_ids(user=user) == {a.pk}


def test_a_memo_filled_in_a_rolled_back_transaction_is_not_reused():
    procedure = ProcedureFactory(code="1.888888", processing_time=Decimal(10))

    with pytest.raises(Undo), transaction.atomic():
        Procedure.objects.filter(pk=procedure.pk).update(processing_time=Decimal(2))
        assert procedure_for_code(code="1.888888").processing_time == Decimal(2)
        raise Undo
    assert procedure_for_code(code="1.888888").processing_time == Decimal(10)
    # Another change after the rollback gets a value never used before.
    Procedure.objects.filter(pk=procedure.pk).update(name="Thủ tục đổi tên")
    assert procedure_for_code(code="1.888888").name == "Thủ tục đổi tên"


def test_memos_reads_several_groups_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        catalogue, calendar = memos("catalogue", "calendar")
    catalogue["x"] = 1
    assert memo("catalogue")["x"] == 1
    assert "x" not in memo("calendar")


def test_without_the_generation_row_nothing_is_memoised():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE name = 'catalogue'")  # noqa: S608 - constant
    data = memo("catalogue")
    data["x"] = 1
    assert "x" not in memo("catalogue")
    install_triggers()  # puts the row back
    assert "catalogue" in _values()


def _through_middleware(view):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from motcua.core.generations import GenerationMiddleware

    def respond(request):
        view()
        return HttpResponse("ok")

    return GenerationMiddleware(respond)(RequestFactory().get("/"))


def test_a_request_reads_the_values_once(django_assert_num_queries):
    ProcedureFactory(code="1.777777")
    procedure_for_code(code="1.777777")  # memos filled
    calendar_for_agency()

    def view():
        with django_assert_num_queries(1):
            procedure_for_code(code="1.777777")
            calendar_for_agency()
            memos("catalogue", "access")
        # A write to a table no group tracks keeps the request's values.
        with django_assert_num_queries(2):
            AgencyLevel.objects.filter(code="no-such-level").exists()
            AuditLog.objects.create(action="test")  # core_auditlog is not tracked
        with django_assert_num_queries(0):
            procedure_for_code(code="1.777777")

    _through_middleware(view)


def test_a_request_that_writes_the_catalogue_reads_the_new_values():
    procedure = ProcedureFactory(code="1.666666", processing_time=Decimal(10))
    seen = []

    def view():
        seen.append(procedure_for_code(code="1.666666").processing_time)
        Procedure.objects.filter(pk=procedure.pk).update(processing_time=Decimal(4))
        seen.append(procedure_for_code(code="1.666666").processing_time)
        with connection.cursor() as cursor:
            cursor.execute(
                "update catalog_procedure set processing_time = 6 where id = %s", [procedure.pk]
            )
        seen.append(procedure_for_code(code="1.666666").processing_time)

    _through_middleware(view)
    assert seen == [Decimal(10), Decimal(4), Decimal(6)]


def test_a_request_that_rolls_back_a_catalogue_write_does_not_keep_what_it_read():
    from motcua.catalog.selectors import agency_for_code

    seen = []

    def view():
        with pytest.raises(Undo), transaction.atomic():
            AgencyFactory(code="PHANTOM.H99")
            seen.append(agency_for_code(code="PHANTOM.H99") is not None)
            raise Undo
        seen.append(agency_for_code(code="PHANTOM.H99") is not None)

    _through_middleware(view)
    assert seen == [True, False]
