import json
import logging

import pytest

from motcua.ops.logconfig import logging_config
from motcua.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines():
    """The records of the motcua.request logger, formatted as in production (JSON)."""
    logger = logging.getLogger("motcua.request")
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    old_level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_one_json_line_per_request_with_a_new_request_id(client, request_lines):
    response = client.get("/healthz")
    assert len(request_lines) == 1
    line = request_lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["view"] == "healthz"
    assert line["status"] == 200
    assert line["user_id"] is None
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


def test_incoming_request_id_is_kept_and_sent_back(client, request_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123.x"})
    assert response["X-Request-ID"] == "abc-123.x"
    assert request_lines[0]["request_id"] == "abc-123.x"


def test_an_implausible_request_id_is_replaced(client, request_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>" + "x" * 200})
    assert response["X-Request-ID"] != "<script>" + "x" * 200
    assert len(response["X-Request-ID"]) == 32


def test_the_line_names_the_user_but_no_personal_data(client, request_lines, django_user_model):
    user = django_user_model.objects.create_user(username="officer", password="pw-123456789")
    client.force_login(user)
    client.get("/portal/?code=HS-1&id_number=001099012345&phone=0912345678")
    text = json.dumps(request_lines)
    assert request_lines[0]["user_id"] == user.pk
    for secret in ("001099012345", "0912345678", "officer", "id_number"):
        assert secret not in text


def test_logging_config_switches_by_format():
    assert "formatter" not in logging_config(fmt="text", level="WARNING")["handlers"]["console"]
    config = logging_config(fmt="json", level="WARNING")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["loggers"]["motcua.request"]["level"] == "INFO"


def test_other_loggers_carry_the_request_id_inside_a_request(rf):
    from motcua.ops.logs import request_id_var

    record = logging.makeLogRecord({"msg": "hello", "name": "motcua.x"})
    token = request_id_var.set("rid-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert json.loads(JsonFormatter().format(record))["request_id"] == "rid-1"
