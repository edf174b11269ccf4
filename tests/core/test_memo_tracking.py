"""Every memoised read touches only tables that its memo's groups track.

A memo is dropped when a table of its groups changes (``core.generations``). A memoised
selector that reads another table would serve stale data after that table changes, silently.
Here every ``remembered`` load of a tour through the memoised paths (receptions by service, API
and page, the dossier list, token and scope look-ups, the calendar) runs under
``CaptureQueriesContext``; every table its SQL names must be tracked by the memo's groups.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import Membership
from motcua.accounts.selectors import user_agency_ids
from motcua.accounts.tokens import api_token_create, api_token_user
from motcua.catalog.choices import Role
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_for_code, procedure_for_code
from motcua.core.generations import (
    GROUPS,
    TABLE,
    memo,
    memo_clear,
    remembered,
    tables_of,
    watch_loads,
)
from motcua.dossiers import services
from motcua.dossiers.permissions import PORTAL
from motcua.worktime.selectors import calendar_for_agency
from tests.catalog.factories import AgencyFactory, ProcedureAssignmentFactory, ProcedureFactory
from tests.dossiers.factories import (
    InternalProcessFactory,
    ProcessStepFactory,
    RequiredDocumentFactory,
    UserFactory,
    local,
)

pytestmark = pytest.mark.django_db

_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')


def _all_tables() -> set[str]:
    return {m._meta.db_table for m in apps.get_models(include_auto_created=True)}


class LoadChecker:
    """The watcher: runs each load, records the tables it read outside its groups."""

    def __init__(self) -> None:
        self.tables = _all_tables()
        self.loads: list[tuple[tuple[str, ...], object]] = []
        self.untracked: list[str] = []

    def __call__(self, groups, key, load):
        with CaptureQueriesContext(connection) as queries:
            value = load()
        allowed = tables_of(groups) | {TABLE}
        for query in queries.captured_queries:
            read = {name for name in _QUOTED.findall(query["sql"]) if name in self.tables}
            for table in sorted(read - allowed):
                self.untracked.append(f"memo {groups} key {key!r} reads {table}")
        self.loads.append((groups, key))
        return value


@pytest.fixture
def world(db):
    """An agency with a counter officer, a 5-day procedure with a document and a process."""
    agency = AgencyFactory(code="M.H96")
    procedure = ProcedureFactory(code="7.000001", processing_time=Decimal(5))
    ProcedureAssignmentFactory(procedure=procedure, agency=agency)
    RequiredDocumentFactory(procedure=procedure)
    ProcessStepFactory(process=InternalProcessFactory(procedure=procedure))
    officer = UserFactory(username="memo_officer")
    officer.save()
    Membership.objects.create(user=officer, agency=agency, role=Role.COUNTER_OFFICER)
    return {"agency": agency, "procedure": procedure, "officer": officer}


@pytest.fixture
def checker():
    memo_clear()
    check = LoadChecker()
    with watch_loads(check):
        yield check


def test_groups_are_registered_by_the_apps_and_name_real_tables():
    assert {"catalogue", "calendar", "access"} <= set(GROUPS)
    assert tables_of(GROUPS) <= _all_tables()


def test_the_checker_catches_a_memo_reading_a_table_its_groups_do_not_track(world, checker):
    """The check is not vacuous: a calendar memo that reads agencies is reported."""
    remembered(memo("calendar"), "wrong", lambda: list(Agency.objects.all()))
    assert checker.untracked == [f"memo ('calendar',) key 'wrong' reads {Agency._meta.db_table}"]


def test_every_memoised_read_reads_only_tracked_tables(world, client, checker):
    agency, procedure, officer = world["agency"], world["procedure"], world["officer"]
    # Selectors called directly.
    agency_for_code(code=agency.code)
    procedure_for_code(code=procedure.code)
    calendar_for_agency(agency_id=agency.pk)
    calendar_for_agency(agency_id=None)
    user_agency_ids(user=officer)
    user_agency_ids(user=officer, roles={"counter_officer"})
    _token, key = api_token_create(user=officer, name="tour")
    api_token_user(key=key)
    # Services: reception at the counter, online submission and its pre-check.
    at = local(2026, 3, 2, 9)
    services.dossier_receive(
        actor=officer, agency=agency, procedure=procedure, applicant_name="Lê Văn A", at=at
    )
    online = services.dossier_submit_online(
        actor=PORTAL, agency=agency, procedure=procedure, applicant_name="Trần B", at=at
    )
    services.dossier_precheck_accept(dossier=online, actor=officer, at=at + dt.timedelta(hours=1))
    # Through HTTP: the dossier list page, an API reception with the token.
    client.force_login(officer)
    assert client.get(reverse("dossiers:list")).status_code == 200
    client.logout()
    body = {"agency_code": agency.code, "procedure_code": procedure.code, "applicant_name": "C"}
    response = client.post(
        "/api/v1/dossiers/",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.content
    # The portal: a procedure's page and its online filing form (memoised procedure, choices).
    procedure.online_class = "full"
    procedure.save()
    assert client.get(reverse("portal:procedure", args=[procedure.code])).status_code == 200
    assert client.get(reverse("portal:file_online", args=[procedure.code])).status_code == 200
    assert {"portal_procedure", "filing_choices"} <= {
        key[0] for _groups, key in checker.loads if isinstance(key, tuple)
    }
    assert checker.untracked == []
    loaded_groups = {group for groups, _key in checker.loads for group in groups}
    assert loaded_groups == {"catalogue", "calendar", "access"}
    assert len(checker.loads) >= 10
