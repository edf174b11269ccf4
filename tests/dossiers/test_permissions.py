"""The authorisation matrix, generated from the permission table.

A small province like the demo's (province, public-service Center, two departments, a commune)
with the demo's accounts. Every account × every placement of a dossier (its own agency, a unit
that only received it, another agency, a hand-over addressed to it) × every action is tried
through the service, the web POST and the API endpoint. The expected answer is worked out here
from ``PERMISSIONS`` and the memberships, independently of ``dossiers.permissions``'s code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Membership, User
from motcua.accounts.tokens import api_token_create
from motcua.catalog.choices import Role
from motcua.catalog.models import Agency, ProcedureAssignment
from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.action_registry import ACTIONS
from motcua.dossiers.choices import DossierState
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.permissions import (
    CHECKLIST,
    HANDLING,
    PERMISSIONS,
    PORTAL,
    RECEIVING,
    TARGET,
    receiving_unit_for,
)
from motcua.dossiers.selectors import dossier_list
from motcua.worktime.selectors import calendar_for_agency
from tests.catalog.factories import AgencyLevelFactory
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import (
    AgencyFactory,
    InternalProcessFactory,
    ProcedureFactory,
    ProcessStepFactory,
    RequiredDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

C, S, H, L = Role.COUNTER_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.LEADER
# The demo's accounts (motcua/demo/build_catalog.py) and one official of another department.
ACCOUNTS = {
    "tiepnhan": [("center", C)],
    "chuyenvien": [("congthuong", S)],
    "lanhdao": [("congthuong", L), ("congthuong", H)],
    "giamsat": [("province", Role.MONITOR)],
    "kiemsoat": [("province", Role.CONTROL_OFFICER)],
    "canboxa": [("commune", C), ("commune", S), ("commune", L)],
    "xaydung": [("xaydung", S), ("xaydung", L)],
    "admin": [],  # superuser
}
# name -> (handling agency, receiving unit or None, where a hand-over goes)
PLACEMENTS = {
    "congthuong": ("congthuong", None, "commune"),
    "congthuong@center": ("congthuong", "center", "commune"),
    "congthuong@commune": ("congthuong", "commune", "commune"),
    "commune": ("commune", None, "congthuong"),
    "xaydung": ("xaydung", None, "congthuong"),
}
# The state each action is tried from ("step": in process at the specialist's step).
START = {
    E.PRECHECK_ACCEPT: "submitted",
    E.PRECHECK_REFUSE: "submitted",
    E.PRECHECK_RETURN: "submitted",
    E.ASSIGN: "received",
    E.STEP: "step",
    E.SUPPLEMENT_REQUEST: "step",
    E.SUPPLEMENT_RECEIVE: "awaiting",
    E.RESOLVE: "step",
    E.REFUSE: "step",
    E.WITHDRAW: "step",
    E.STOP: "step",
    E.APOLOGIZE: "step",
    E.TRANSFER: "step",
    E.TRANSFER_ACCEPT: "transferring",
    E.DELIVER: "resolved",
    E.RATE: "delivered",
    E.ATTACH: "step",
    CHECKLIST: "step",
}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    agencies: dict[str, Agency]
    users: dict[str, User]
    dossiers: dict[tuple[str, str], Dossier]  # (placement, start) -> dossier
    procedure: object
    next_due: dt.datetime


def _covers(member_at: str, agency: str | None) -> bool:
    """A role at an agency covers it and its subtree (here: the province covers everything)."""
    return agency is not None and member_at in (agency, "province")


def expected(account: str, action: str, placement: str) -> bool:
    """The answer of the permission table for this account, action and placement."""
    if account == "admin":
        return True
    handling, unit, target = PLACEMENTS[placement]
    row = PERMISSIONS[action]
    held = {
        HANDLING: {r for at, r in ACCOUNTS[account] if _covers(at, handling)},
        RECEIVING: {r for at, r in ACCOUNTS[account] if unit != handling and _covers(at, unit)},
        TARGET: {r for at, r in ACCOUNTS[account] if _covers(at, target)},
    }
    granted = set().union(*(held[scope] & roles for scope, roles in row.items() if scope in held))
    if action == E.STEP:  # the current step is the specialist's
        return S in granted
    if action == E.RESOLVE:  # the process's approval step is the leader's
        return L in held[HANDLING]
    return bool(granted)


def _build() -> World:
    province_level = AgencyLevelFactory(code="province", rank=0)
    commune_level = AgencyLevelFactory(code="commune", rank=2)
    province = AgencyFactory(code="000.00.00.H99", level=province_level)
    agencies = {
        "province": province,
        "center": AgencyFactory(code="000.00.20.H99", parent=province),
        "congthuong": AgencyFactory(code="000.00.02.H99", parent=province),
        "xaydung": AgencyFactory(code="000.00.03.H99", parent=province),
        "commune": AgencyFactory(code="H99.01", parent=province, level=commune_level),
    }
    procedure = ProcedureFactory(code="9.000001", processing_time=Decimal(10))
    RequiredDocumentFactory(procedure=procedure)
    for key in ("congthuong", "xaydung", "commune"):
        ProcedureAssignment.objects.create(procedure=procedure, agency=agencies[key])
    process = InternalProcessFactory(procedure=procedure)
    for position, role in enumerate([C, S, H, L, C]):
        ProcessStepFactory(process=process, position=position, role=role)
    users = {}
    for name, roles in ACCOUNTS.items():
        user = UserFactory(username=name, is_superuser=name == "admin")
        user.save()
        Membership.objects.bulk_create(
            Membership(user=user, agency=agencies[at], role=role) for at, role in roles
        )
        users[name] = user
    system = UserFactory(username="builder", is_superuser=True)
    dossiers: dict[tuple[str, str], Dossier] = {}
    for placement, (handling, unit, target) in PLACEMENTS.items():
        agency = agencies[handling]
        first_step = process.steps.get(role=S)

        def received(online: bool = False, agency=agency, unit=unit):
            call = services.dossier_submit_online if online else services.dossier_receive
            return call(
                actor=system,
                agency=agency,
                procedure=procedure,
                receiving_unit=agencies[unit] if unit else None,
                applicant_name="Nguyễn Văn An",
                applicant_id_number="001090000001",
            )

        dossiers[(placement, "submitted")] = received(online=True)
        dossiers[(placement, "received")] = received()
        d = services.dossier_assign(
            dossier=received(), actor=system, assignee=None, step=first_step
        )
        dossiers[(placement, "step")] = d
        d = services.dossier_assign(
            dossier=received(), actor=system, assignee=None, step=first_step
        )
        dossiers[(placement, "awaiting")] = services.dossier_supplement_request(
            dossier=d, actor=system, reason="Thiếu bản sao"
        )
        d = services.dossier_assign(
            dossier=received(), actor=system, assignee=None, step=first_step
        )
        dossiers[(placement, "transferring")] = services.dossier_transfer(
            dossier=d, actor=system, to_agency=agencies[target]
        )
        dossiers[(placement, "resolved")] = services.dossier_resolve(
            dossier=received(), actor=system
        )
        dossiers[(placement, "delivered")] = services.dossier_deliver(
            dossier=services.dossier_resolve(dossier=received(), actor=system),
            actor=system,
            delivery_channel="counter",
        )
    calendar = calendar_for_agency(agency_id=None)
    due = max(d.due_at for d in dossiers.values() if d.due_at)
    day = calendar.add_working_days(timezone.localtime(due).date(), 3)
    next_due = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return World(agencies, users, dossiers, procedure, next_due)


@pytest.fixture
def world(media) -> World:
    return _build()


def _assignee(w: World, d: Dossier) -> User:
    """An official of the handling agency."""
    by_agency = {w.agencies["commune"].pk: "canboxa", w.agencies["xaydung"].pk: "xaydung"}
    return w.users[by_agency.get(d.agency_id, "chuyenvien")]


def _other(w: World, d: Dossier) -> Agency:
    return w.agencies["xaydung" if d.agency_id != w.agencies["xaydung"].pk else "congthuong"]


def service_kwargs(w: World, action: str, d: Dossier) -> dict:
    return {
        E.PRECHECK_REFUSE: {"reason": "Thiếu"},
        E.PRECHECK_RETURN: {"reason": "Bổ sung bản sao"},
        E.ASSIGN: {"assignee": _assignee(w, d)},
        E.SUPPLEMENT_REQUEST: {"reason": "Bổ sung"},
        E.REFUSE: {"reason": "Không đủ điều kiện"},
        E.STOP: {"reason": "Dừng"},
        E.APOLOGIZE: {"new_due_at": w.next_due, "reason": "Chậm"},
        E.TRANSFER: {"to_agency": _other(w, d)},
        E.DELIVER: {"delivery_channel": "counter"},
        E.RATE: {"value": "satisfied"},
        E.ATTACH: {"uploaded_file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
        CHECKLIST: {"submitted": list(d.documents.values_list("pk", flat=True))},
    }.get(action, {})


SERVICES = {
    **{name: a.service for name, a in ACTIONS.items()},
    E.ATTACH: services.dossier_attach_file,
    CHECKLIST: services.dossier_checklist_update,
}


def web_data(w: World, action: str, d: Dossier) -> dict:
    values = {k: (v.pk if hasattr(v, "pk") else v) for k, v in service_kwargs(w, action, d).items()}
    if action == E.APOLOGIZE:
        values["new_due_at"] = timezone.localtime(w.next_due).strftime("%Y-%m-%dT%H:%M")
    return {f"{action}-{k}": v for k, v in values.items()}


def api_body(w: World, action: str, d: Dossier) -> dict:
    body = dict(service_kwargs(w, action, d))
    if action == E.ASSIGN:
        body = {"assignee": body["assignee"].username}
    if action == E.TRANSFER:
        body = {"to_agency_code": body["to_agency"].code}
    if action == E.APOLOGIZE:
        body["new_due_at"] = w.next_due.isoformat()
    return body


def _attempt(fn) -> str:
    """Run ``fn`` in a savepoint that is always rolled back; 'allow', 'deny' or an error."""
    with transaction.atomic():
        try:
            outcome = fn()
        finally:
            transaction.set_rollback(True)
    return outcome


def via_service(w: World, user: User, action: str, d: Dossier) -> str:
    events = d.events.count()

    def run():
        try:
            SERVICES[action](dossier=d.pk, actor=user, **service_kwargs(w, action, d))
        except PermissionDenied:
            return "deny"
        except MotcuaError as exc:
            return f"error: {exc}"
        return (
            "allow"
            if DossierEvent.objects.filter(dossier=d).count() > events or (action == CHECKLIST)
            else "error: nothing recorded"
        )

    return _attempt(run)


def _http(response, written: bool) -> str:
    if response.status_code in (403, 404):
        return "deny"
    if response.status_code in (200, 302) and written:
        return "allow"
    return f"error: {response.status_code} {response.content[:200]!r}"


def via_web(w: World, client: Client, action: str, d: Dossier) -> str:
    ref = d.code or f"id-{d.pk}"
    if action == CHECKLIST:
        url, data = f"/dossiers/{ref}/checklist/", {"submitted": []}
    elif action == E.ATTACH:
        url = f"/dossiers/{ref}/files/"
        data = {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")}
    else:
        url, data = f"/dossiers/{ref}/actions/{action}/", web_data(w, action, d)
    events = d.events.count()

    def run():
        response = client.post(url, data)
        written = DossierEvent.objects.filter(dossier=d).count() > events or (
            action == CHECKLIST and response.status_code == 302
        )
        return _http(response, written)

    return _attempt(run)


def via_api(w: World, token: str, action: str, d: Dossier) -> str:
    events = d.events.count()

    def run():
        response = Client().post(
            f"/api/v1/dossiers/{d.pk}/actions/{action}",
            api_body(w, action, d),
            content_type="application/json",
            headers={"authorization": f"Bearer {token}"},
        )
        return _http(response, DossierEvent.objects.filter(dossier=d).count() > events)

    return _attempt(run)


def test_authorisation_matrix(world, capsys):
    counts: Counter[str] = Counter()
    unexpected: list[str] = []
    for name, user in world.users.items():
        client = Client()
        client.force_login(user)
        token = api_token_create(user=user, name="matrix")[1]
        for placement in PLACEMENTS:
            for action, start in START.items():
                d = world.dossiers[(placement, start)]
                want = "allow" if expected(name, action, placement) else "deny"
                tries = {"service": lambda u=user, a=action, d=d: via_service(world, u, a, d)}
                if (
                    action in ACTIONS
                    and ACTIONS[action].form is not None
                    or action
                    in (
                        E.ATTACH,
                        CHECKLIST,
                    )
                ):
                    tries["web"] = lambda c=client, a=action, d=d: via_web(world, c, a, d)
                if action in ACTIONS:
                    tries["api"] = lambda t=token, a=action, d=d: via_api(world, t, a, d)
                for interface, attempt in tries.items():
                    got = attempt()
                    counts[f"{interface} {got if got in ('allow', 'deny') else 'error'}"] += 1
                    if got != want:
                        unexpected.append(
                            f"{name} {action} on {placement} via {interface}: "
                            f"expected {want}, got {got}"
                        )
    with capsys.disabled():
        print(
            f"\nauthorisation matrix: {sum(counts.values())} attempts, {dict(sorted(counts.items()))}"
        )
        print(f"unexpected: {len(unexpected)}")
    assert not unexpected, "\n".join(unexpected[:40])
    assert counts["service allow"] and counts["service deny"]


# -- the cases found from outside (issue 9), one by one ----------------------------------------


def dossier_rows() -> dict:
    """What the dossier services write (the audit log also records API tokens and logins)."""
    snap = db_snapshot()
    del snap["AuditLog"]
    return snap


def _api(w: World, name: str) -> tuple[Client, dict]:
    token = api_token_create(user=w.users[name], name="t")[1]
    return Client(), {"authorization": f"Bearer {token}"}


def _post(w: World, name: str, path: str, body: dict):
    client, headers = _api(w, name)
    return client.post(
        f"/api/v1/dossiers/{path}", body, content_type="application/json", headers=headers
    )


def test_monitors_and_controllers_only_read(world):
    d = world.dossiers[("congthuong", "step")]
    before = dossier_rows()
    assert _post(world, "giamsat", f"{d.code}/actions/resolve", {}).status_code == 403
    submitted = world.dossiers[("congthuong", "submitted")]
    assert _post(world, "giamsat", f"{submitted.pk}/actions/precheck_accept", {}).status_code == 403
    refused = _post(world, "kiemsoat", f"{d.code}/actions/refuse", {"reason": "x"})
    assert refused.status_code == 403 and refused.json()["detail"]
    body = {
        "agency_code": world.agencies["congthuong"].code,
        "procedure_code": "9.000001",
        "applicant_name": "A",
    }
    for name in ("giamsat", "kiemsoat"):
        assert _post(world, name, "", body).status_code == 403
        assert _post(world, name, "online", body).status_code == 403
        client = Client()
        client.force_login(world.users[name])
        page = client.post("/dossiers/new/", _reception_form(world, "congthuong"))
        assert page.status_code == 403
    assert dossier_rows() == before


def test_decisions_follow_the_roles_and_the_process(world):
    d = world.dossiers[("congthuong@center", "step")]
    before = dossier_rows()
    for name, action in [
        ("chuyenvien", "resolve"),
        ("chuyenvien", "refuse"),
        ("tiepnhan", "resolve"),
    ]:
        response = _post(
            world, name, f"{d.code}/actions/{action}", {"reason": "x"} if action == "refuse" else {}
        )
        assert response.status_code == 403, (name, action)
    assert dossier_rows() == before
    resolved = _post(world, "lanhdao", f"{d.code}/actions/resolve", {"result": "GP 1"})
    assert resolved.status_code == 200 and resolved.json()["state"] == DossierState.RESOLVED


def test_a_receiving_unit_does_counter_work_only(world):
    d = world.dossiers[("congthuong@commune", "step")]
    before = dossier_rows()
    assert _post(world, "canboxa", f"{d.code}/actions/resolve", {}).status_code == 403
    assert _post(world, "canboxa", f"{d.code}/actions/refuse", {"reason": "x"}).status_code == 403
    assert dossier_rows() == before
    resolved = world.dossiers[("congthuong@commune", "resolved")]
    body = {"delivery_channel": "counter"}
    assert _post(world, "canboxa", f"{resolved.code}/actions/deliver", body).status_code == 200


def test_hand_over_goes_to_the_target_only(world):
    d = world.dossiers[("congthuong", "transferring")]  # from Sở Công Thương to the commune
    commune = world.users["canboxa"]
    assert d in dossier_list(user=commune, state=DossierState.TRANSFERRING)
    before = dossier_rows()
    refused = _post(world, "lanhdao", f"{d.code}/actions/accept_transfer", {})
    assert refused.status_code == 403  # the sender, not a 404 after committing
    client = Client()
    client.force_login(world.users["lanhdao"])
    assert client.post(f"/dossiers/{d.code}/actions/transfer_accept/", {}).status_code == 403
    assert dossier_rows() == before
    page = Client()
    page.force_login(commune)
    assert "action-transfer_accept" in page.get(f"/dossiers/{d.code}/").content.decode()
    accepted = _post(world, "canboxa", f"{d.code}/actions/accept_transfer", {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["agency_code"] == world.agencies["commune"].code


def _reception_form(w: World, agency: str) -> dict:
    return {
        "procedure": w.procedure.pk,
        "agency": w.agencies[agency].pk,
        "channel": "direct",
        "applicant_kind": "person",
        "applicant_name": "Đỗ Thị Hoa",
        "applicant_id_number": "001090000001",
        "delivery_channel": "counter",
        "confirm_missing": "on",  # no document ticked: confirmed, so the permission decides
    }


def test_reception_is_at_the_users_own_counter(world):
    nobody = UserFactory(username="nobody")
    nobody.save()
    client = Client()
    client.force_login(nobody)
    before = dossier_rows()
    assert client.post("/dossiers/new/", _reception_form(world, "xaydung")).status_code == 403
    body = {
        "agency_code": world.agencies["congthuong"].code,
        "procedure_code": "9.000001",
        "applicant_name": "A",
        "receiving_unit_code": world.agencies["commune"].code,  # not the Center's counter
    }
    refused = _post(world, "tiepnhan", "", body)
    assert refused.status_code == 403 and world.agencies["commune"].code in refused.json()["detail"]
    assert dossier_rows() == before
    # Decree 118: the Center receives for a department, at its own counter and in its numbering.
    del body["receiving_unit_code"]
    created = _post(world, "tiepnhan", "", body)
    assert created.status_code == 201, created.content
    assert created.json()["receiving_unit_code"] == world.agencies["center"].code
    assert receiving_unit_for(world.users["canboxa"], world.agencies["commune"]) is None


def test_assignees_come_from_the_handling_agency(world):
    d = world.dossiers[("congthuong", "received")]
    before = dossier_rows()
    refused = _post(world, "lanhdao", f"{d.code}/actions/assign", {"assignee": "canboxa"})
    detail = refused.json()["detail"]
    assert refused.status_code == 400 and world.users["canboxa"].full_name in detail
    assert dossier_rows() == before
    ok = _post(world, "lanhdao", f"{d.code}/actions/assign", {"assignee": "chuyenvien"})
    assert ok.status_code == 200


def test_apology_appointment_on_a_working_day(world):
    d = world.dossiers[("congthuong", "step")]
    sunday = world.next_due
    while sunday.weekday() != 6:
        sunday += dt.timedelta(days=1)
    before = dossier_rows()
    with pytest.raises(MotcuaError, match="not a working day"):
        services.dossier_apologize(
            dossier=d, actor=world.users["lanhdao"], new_due_at=sunday, reason="Chậm"
        )
    assert dossier_rows() == before


def test_no_acting_user_and_system_actors_are_explicit(world):
    d = world.dossiers[("congthuong", "delivered")]
    before = dossier_rows()
    with pytest.raises(PermissionDenied):
        services.dossier_rate(dossier=d, actor=None, value="satisfied")
    with pytest.raises(PermissionDenied):
        services.dossier_resolve(dossier=world.dossiers[("congthuong", "step")], actor=PORTAL)
    assert dossier_rows() == before
    assert services.dossier_rate(dossier=d, actor=PORTAL, value="satisfied").value == "satisfied"
