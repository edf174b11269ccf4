"""GET /api/v1/reports/: the same JSON as `motcua report`, scoped to the user's agencies."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from motcua.accounts.models import Membership, User

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture
def officer(province):
    _, one, _ = province
    user = User.objects.create_user(username="officer", password="pw")
    Membership.objects.create(user=user, agency=one, role="leader")
    return user


def test_same_json_as_the_command(client, province):
    admin = User.objects.create_superuser(username="admin", password="pw")
    client.force_login(admin)
    r = client.get(URL, {"unit": "000.00.00.H98", **MARCH, "children": "true"})
    assert r.status_code == 200, r.content
    out = io.StringIO()
    call_command(
        "report",
        "--unit",
        "000.00.00.H98",
        "--from",
        MARCH["from"],
        "--to",
        MARCH["to"],
        "--children",
        stdout=out,
    )
    assert r.json() == json.loads(out.getvalue())


def test_named_period(client, province, officer):
    client.force_login(officer)
    r = client.get(URL, {"unit": "000.00.01.H98", "period": "2025-03", "cutoff": 0})
    assert r.status_code == 200
    assert r.json()["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert r.json()["received"]["new"] == 3


def test_scoped_to_the_users_agencies(client, province, officer):
    client.force_login(officer)
    assert client.get(URL, {"unit": "000.00.02.H98", **MARCH}).status_code == 403
    assert client.get(URL, {"unit": "000.00.00.H98", **MARCH}).status_code == 403


def test_anonymous_is_refused(client, province):
    assert client.get(URL, {"unit": "000.00.01.H98", **MARCH}).status_code == 401


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"unit": "NO-SUCH", **MARCH}, 404),
        ({"unit": "000.00.01.H98", "from": "2025-03-31", "to": "2025-03-01"}, 400),
        ({"unit": "000.00.01.H98", "period": "2025-Q9"}, 400),
        ({"unit": "000.00.01.H98"}, 400),
    ],
)
def test_errors_are_4xx_with_a_message(client, province, officer, params, status):
    client.force_login(officer)
    r = client.get(URL, params)
    assert r.status_code == status
    assert r.json()["detail"]


def test_bearer_token(client, province, officer):
    from motcua.accounts.tokens import api_token_create

    _, key = api_token_create(user=officer, name="consolidation")
    r = client.get(URL, {"unit": "000.00.01.H98", **MARCH}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200
    assert r.json()["unit"]["code"] == "000.00.01.H98"
    r = client.get(URL, {"unit": "000.00.02.H98", **MARCH}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 403
    r = client.get(URL, {"unit": "000.00.01.H98", **MARCH}, HTTP_AUTHORIZATION="Bearer nope")
    assert r.status_code == 401
