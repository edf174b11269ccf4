"""schemathesis against the live OpenAPI document, in process (WSGI): zero 5xx, zero status codes
the document does not list.

The generated requests are steered towards real data a good part of the time (an existing
dossier's code or id, a known agency, procedure or user name), so that the services run and not
only the 404/422 paths. Budget: ``SCHEMATHESIS_EXAMPLES`` examples per operation (default 60:
about 20 operations, some 1,500-2,000 cases with the coverage phase; a long run sets it higher,
see docs/performance.md).
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from motcua.accounts.models import Membership
from motcua.accounts.tokens import api_token_create
from motcua.api import api
from motcua.catalog.choices import Role
from tests.dossiers.factories import UserFactory, received_dossier, submitted_dossier
from tests.dossiers.test_import_dossiers import catalogue  # noqa: F401

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "60"))
STATUSES: Counter[int] = Counter()


@pytest.fixture
def world(catalogue, settings):  # noqa: F811
    """Dossiers in several states, an official of agency A and a superuser, each with a token."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast set-up
    official = UserFactory(username="st_official")
    Membership.objects.create(user=official, agency=catalogue["a"], role=Role.LEADER)
    admin = UserFactory(username="st_admin", is_superuser=True, is_staff=True)
    admin.save()
    dossiers = [
        received_dossier(agency=catalogue["a"], procedure=catalogue["days"]) for _ in range(4)
    ] + [submitted_dossier(agency=catalogue["a"], procedure=catalogue["days"]) for _ in range(2)]
    refs = [d.code or str(d.pk) for d in dossiers] + [str(d.pk) for d in dossiers]
    keys = [api_token_create(user=u, name="schemathesis")[1] for u in (official, admin)]
    return {
        "refs": refs,
        "keys": keys,
        "agencies": [catalogue["a"].code, catalogue["b"].code],
        "procedures": [catalogue["days"].code, catalogue["hours"].code],
        "users": ["st_official", "st_admin"],
    }


def _live_schema() -> schemathesis.schemas.BaseSchema:
    """The document /api/openapi.json serves (test_the_document_is_the_served_one checks it),
    run against the Django application in process."""
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = WSGIHandler()
    return loaded


@pytest.fixture
def _in_process():
    """As Django's test client: requests keep the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = _live_schema()


def test_the_document_is_the_served_one(client):
    served = client.get("/api/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    assert len(served["paths"]) >= 5


REAL = {
    "agency_code": "agencies",
    "receiving_unit_code": "agencies",
    "to_agency_code": "agencies",
    "unit": "agencies",
    "procedure_code": "procedures",
    "assignee": "users",
}


def _steer(case, world) -> None:
    """Replace, now and then, a generated value with a real one."""
    if case.path_parameters and "ref" in case.path_parameters and random.random() < 0.7:
        case.path_parameters["ref"] = random.choice(world["refs"])
    for values in (case.body, case.query):
        if not isinstance(values, dict):
            continue
        for name, pool in REAL.items():
            if name in values and random.random() < 0.6:
                values[name] = random.choice(world[pool])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_answers_no_5xx_and_only_documented_statuses(case, world, _in_process):
    _steer(case, world)
    headers = {"Authorization": f"Bearer {random.choice(world['keys'])}"}
    response = case.call(headers=headers)
    STATUSES[response.status_code] += 1
    case.validate_response(
        response, checks=[not_a_server_error, status_code_conformance], headers=headers
    )
