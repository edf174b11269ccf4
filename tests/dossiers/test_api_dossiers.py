"""The dossier API: authentication, scoping, every bad input a 4xx with a message, happy paths."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Membership
from motcua.accounts.tokens import api_token_create, api_token_revoke
from motcua.catalog.choices import Role
from motcua.catalog.models import ProcedureAssignment
from motcua.dossiers.models import Dossier
from motcua.worktime.selectors import calendar_for_agency
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import UserFactory, staff
from tests.dossiers.test_import_dossiers import catalogue, record  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/api/v1/dossiers/"


class Api:
    """A client that sends JSON with a bearer token."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(
            BASE + path, data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def official_a(catalogue):  # noqa: F811
    user = UserFactory(username="officer_a")
    user.save()  # the factory does not save the password hash that sessions check
    Membership.objects.create(user=user, agency=catalogue["a"], role=Role.COUNTER_OFFICER)
    return user


@pytest.fixture
def api(official_a) -> Api:
    _token, key = api_token_create(user=official_a, name="test system")
    return Api(key)


@pytest.fixture
def api_b(catalogue):  # noqa: F811
    user = UserFactory(username="officer_b")
    Membership.objects.create(user=user, agency=catalogue["b"], role=Role.COUNTER_OFFICER)
    return Api(api_token_create(user=user, name="b")[1])


@pytest.fixture
def api_staff(catalogue) -> Api:  # noqa: F811
    """An official of A holding every working role (counter, specialist, heads, leader)."""
    return Api(api_token_create(user=staff(catalogue["a"]), name="staff")[1])


def reception(**fields):
    body = {
        "agency_code": "A.H98",
        "procedure_code": "8.000001",
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001234567890",
    }
    body.update(fields)
    return body


def assert_refused(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    for word in words:
        assert word in detail, detail


# -- authentication ---------------------------------------------------------------------------


def test_without_token_401(catalogue):  # noqa: F811
    assert_refused(Api(None).get(""), 401)
    assert_refused(Api(None).post("", reception()), 401)


def test_bad_token_401(api):
    assert_refused(Api("mc_not-a-key").get(""), 401)
    assert_refused(Api("garbage").get(""), 401)


def test_revoked_and_expired_tokens_401(official_a):
    token, key = api_token_create(user=official_a, name="old")
    assert Api(key).get("").status_code == 200
    api_token_revoke(token=token)
    assert_refused(Api(key).get(""), 401)
    _token, expired = api_token_create(
        user=official_a, name="expired", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert_refused(Api(expired).get(""), 401)


def test_session_works_and_needs_csrf_to_write(official_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official_a)
    assert client.get(BASE).status_code == 200
    response = client.post(BASE, json.dumps(reception()), content_type="application/json")
    assert response.status_code == 403
    assert Dossier.objects.count() == 0


# -- reception --------------------------------------------------------------------------------


def test_receive_creates_a_dossier_with_code_and_due(api):
    response = api.post("", reception(delivery_channel="postal", applicant_address="Số 1 Lê Lợi"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"A\.H98-\d{6}-0001", body["code"])
    assert body["state"] == "received" and body["due_at"] and body["received_at"]
    assert body["deadline_status"] in {"not_due", "due_soon"}
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.events.get().actor.username == "officer_a"


@pytest.mark.parametrize(
    ("fields", "status", "word"),
    [
        ({"agency_code": "NOPE"}, 422, "agency_code"),
        ({"receiving_unit_code": "NOPE"}, 422, "receiving_unit_code"),
        ({"procedure_code": "0.000000"}, 422, "procedure_code"),
        ({"channel": "fax"}, 422, "channel"),
        ({"applicant_name": ""}, 422, "applicant_name"),
        ({"applicant_kind": "robot"}, 422, "applicant_kind"),
        ({"delivery_channel": "pigeon"}, 422, "delivery_channel"),
        ({"documents_submitted": "all"}, 422, "documents_submitted"),
        ({"colour": "red"}, 422, "colour"),
        ({"receiving_unit_code": "B.H98"}, 403, "B.H98"),  # not the caller's own counter
    ],
)
def test_bad_receptions_are_refused_and_write_nothing(api, fields, status, word):
    before = db_snapshot()
    assert_refused(api.post("", reception(**fields)), status, word)
    assert db_snapshot() == before


def test_result_by_post_without_any_address_is_refused_by_the_service(api):
    """The rule of dossiers.reception_rules, enforced behind the API as behind the form."""
    before = db_snapshot()
    response = api.post("", reception(delivery_channel="postal"))
    assert 400 <= response.status_code < 500, response.content
    assert "delivery_address" in response.json()["detail"]
    assert db_snapshot() == before
    with_address = reception(delivery_channel="postal", delivery_address="Số 1 Lê Lợi")
    assert api.post("", with_address).status_code == 201


def test_missing_fields_and_broken_json_are_422(api):
    body = reception()
    del body["procedure_code"]
    assert_refused(api.post("", body), 422, "procedure_code")
    response = api.post("", raw="{not json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert Dossier.objects.count() == 0


def test_receiving_at_own_unit_for_another_agency_is_allowed(api):
    response = api.post(
        "", reception(agency_code="B.H98", procedure_code="8.000002", receiving_unit_code="A.H98")
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"].startswith("A.H98-")


def test_online_submission_then_precheck_by_id(api):
    assert_refused(api.post("online", reception()), 422, "channel")  # no channel field here
    body = reception()
    del body["channel"]
    response = api.post("online", body)
    assert response.status_code == 201, response.content
    submitted = response.json()
    assert submitted["code"] is None and submitted["state"] == "submitted"
    response = api.post(f"{submitted['id']}/actions/precheck_accept", {"note": "đủ"})
    assert response.status_code == 200, response.content
    assert response.json()["code"] and response.json()["state"] == "received"


# -- reading ----------------------------------------------------------------------------------


def test_list_is_scoped_filtered_and_paged(api, api_b):
    for _ in range(3):
        assert api.post("", reception()).status_code == 201
    assert api.post("", reception(channel="postal")).status_code == 201
    assert (
        api_b.post("", reception(agency_code="B.H98", procedure_code="8.000002")).status_code == 201
    )

    page = api.get("", limit=2).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (4, 2, 0, 2)
    assert len(api.get("", limit=2, offset=2).json()["items"]) == 2
    assert api.get("", channel="postal").json()["count"] == 1
    assert api.get("", agency_code="B.H98").json()["count"] == 0  # not theirs
    assert api_b.get("").json()["count"] == 1
    today = timezone.localdate().isoformat()
    assert api.get("", received_from=today, received_to=today).json()["count"] == 4
    code = page["items"][0]["code"]
    assert api.get("", q=code).json()["count"] == 1
    assert api.get("", q="001234567890").json()["count"] == 4


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"state": "lost"}, "state"),
        ({"channel": "fax"}, "channel"),
        ({"received_from": "yesterday"}, "received_from"),
        ({"received_from": "2025-03-02", "received_to": "2025-03-01"}, "received_to"),
        ({"agency_code": "NOPE"}, "agency_code"),
        ({"procedure_code": "NOPE"}, "procedure_code"),
    ],
)
def test_bad_list_filters_are_422(api, params, word):
    assert_refused(api.get("", **params), 422, word)


def test_get_by_code_with_history_and_404s(api, api_b):
    code = api.post("", reception()).json()["code"]
    body = api.get(code).json()
    assert body["code"] == code
    assert [e["type"] for e in body["events"]] == ["receive"]
    assert body["deadline_status"] in {"not_due", "due_soon"}
    assert_refused(api.get("NO-SUCH-CODE"), 404, "NO-SUCH-CODE")
    assert_refused(api_b.get(code), 404)  # another agency's dossier is not found


# -- actions ----------------------------------------------------------------------------------


def test_actions_move_the_dossier(api_staff):
    api = api_staff
    code = api.post("", reception()).json()["code"]
    response = api.post(f"{code}/actions/request_supplement", {"reason": "thiếu bản sao"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "awaiting_supplement"
    assert api.post(f"{code}/actions/receive_supplement", {}).json()["state"] == "in_process"
    assert (
        api.post(f"{code}/actions/resolve", {"result": "Giấy phép"}).json()["state"] == "resolved"
    )
    body = api.post(f"{code}/actions/deliver", {"delivery_channel": "counter"}).json()
    assert body["state"] == "delivered" and body["delivered_at"]
    body = api.post(f"{code}/actions/rate", {"value": "very_satisfied"}).json()
    assert [e["type"] for e in body["events"]][-1] == "rate"


@pytest.mark.parametrize(
    ("action", "body", "status", "word"),
    [
        ("deliver", {"delivery_channel": "counter"}, 409, ""),
        ("deliver", {"delivery_channel": "pigeon"}, 422, "delivery_channel"),
        ("refuse", {}, 422, "reason"),
        ("refuse", {"reason": ""}, 422, "reason"),
        ("transfer", {"to_agency_code": "NOPE"}, 422, "to_agency_code"),
        ("assign", {"assignee": "nobody"}, 422, "assignee"),
        ("apologize", {"new_due_at": "soon", "reason": "x"}, 422, "new_due_at"),
        ("rate", {"value": "meh"}, 422, "value"),
        ("fly", {}, 404, "fly"),
        ("accept_transfer", {}, 403, "A.H98"),  # no hand-over to the caller's agency
    ],
)
def test_bad_actions_are_refused_and_write_nothing(api, action, body, status, word):
    code = api.post("", reception()).json()["code"]
    before = db_snapshot()
    assert_refused(api.post(f"{code}/actions/{action}", body), status, word)
    assert db_snapshot() == before


def test_actions_on_hidden_or_unknown_dossiers_are_404(api, api_b):
    code = api.post("", reception()).json()["code"]
    before = db_snapshot()
    assert_refused(api_b.post(f"{code}/actions/resolve", {}), 404)
    assert_refused(api.post("NO-SUCH/actions/resolve", {}), 404)
    assert db_snapshot() == before


# -- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_document_is_complete(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    paths = doc["paths"]
    assert "post" in paths["/api/v1/dossiers/"] and "get" in paths["/api/v1/dossiers/"]
    for action in ("resolve", "deliver", "request_supplement", "transfer", "rate"):
        operation = paths[f"/api/v1/dossiers/{{ref}}/actions/{action}"]["post"]
        assert operation["summary"] and operation["requestBody"]
        assert {"200", "401", "404", "409", "422"} <= set(operation["responses"])
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    assert Client().get("/api/docs").status_code == 200


def test_apology_with_a_local_time_without_offset(api_staff):
    api = api_staff
    code = api.post("", reception()).json()["code"]
    calendar = calendar_for_agency(agency_id=None)
    day = calendar.add_working_days(timezone.localdate(), 30)
    later = dt.datetime.combine(day, dt.time(10))
    response = api.post(
        f"{code}/actions/apologize", {"new_due_at": later.isoformat(), "reason": "chờ ý kiến"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["events"][-1]["type"] == "apologize"


def test_postal_reception_of_a_procedure_not_registered_for_post_is_refused(api, catalogue):  # noqa: F811
    ProcedureAssignment.objects.create(procedure=catalogue["hours"], agency=catalogue["a"])
    before = db_snapshot()
    response = api.post("", reception(procedure_code="8.000002", channel="postal"))
    assert 400 <= response.status_code < 500
    assert "8.000002" in response.json()["detail"]
    assert db_snapshot() == before
