"""Idempotency-Key on POST API calls: a retry returns the first answer and writes nothing more."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Membership
from motcua.accounts.tokens import api_token_create
from motcua.catalog.choices import Role
from motcua.core.idempotency import REPLAYED_HEADER, purge_idempotency_keys
from motcua.core.models import IdempotencyKey
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from tests.dossiers.factories import UserFactory
from tests.dossiers.test_import_dossiers import catalogue  # noqa: F401

BASE = "/api/v1/dossiers/"


def reception(name: str = "Nguyễn Văn An") -> dict:
    return {
        "agency_code": "A.H98",
        "procedure_code": "8.000001",
        "channel": "direct",
        "applicant_name": name,
        "applicant_id_number": "001234567890",
    }


def officer_key(catalogue, username: str) -> str:  # noqa: F811
    user = UserFactory(username=username)
    Membership.objects.create(user=user, agency=catalogue["a"], role=Role.COUNTER_OFFICER)
    return api_token_create(user=user, name="system")[1]


def post(key: str, body: dict, idem: str | None, client: Client | None = None, path: str = ""):
    headers = {"Authorization": f"Bearer {key}"}
    if idem is not None:
        headers["Idempotency-Key"] = idem
    return (client or Client()).post(
        BASE + path, json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def key(catalogue):  # noqa: F811
    return officer_key(catalogue, "officer_a")


@pytest.mark.django_db
def test_a_retry_returns_the_first_answer_and_makes_no_second_dossier(key):
    first = post(key, reception(), "rcv-0001")
    again = post(key, reception(), "rcv-0001")
    assert first.status_code == 201, first.content
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again[REPLAYED_HEADER] == "true"
    assert REPLAYED_HEADER not in first
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 1
    assert first.json()["code"] == Dossier.objects.get().code


@pytest.mark.django_db
def test_another_body_with_the_same_key_is_refused_with_422(key):
    assert post(key, reception("A"), "k-1").status_code == 201
    refused = post(key, reception("B"), "k-1")
    assert refused.status_code == 422
    assert "Idempotency-Key" in refused.json()["detail"]
    assert "k-1" in refused.json()["detail"]
    # the same key on another address is another request too
    assert post(key, reception("A"), "k-1", path="online").status_code == 422
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_user_and_calls_without_a_key_are_not_deduplicated(catalogue, key):  # noqa: F811
    other = officer_key(catalogue, "officer_c")
    assert post(key, reception(), "same").status_code == 201
    assert post(other, reception(), "same").status_code == 201
    assert post(key, reception(), None).status_code == 201
    assert post(key, reception(), None).status_code == 201
    assert Dossier.objects.count() == 4
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.django_db
def test_a_refusal_is_remembered_like_a_success(key):
    body = {**reception(), "agency_code": "NOPE"}
    first = post(key, body, "bad-1")
    assert first.status_code == 422
    again = post(key, body, "bad-1")
    assert (again.status_code, again.content, again[REPLAYED_HEADER]) == (
        422,
        first.content,
        "true",
    )


@pytest.mark.django_db
def test_a_server_error_keeps_nothing_and_the_retry_runs_again(key, monkeypatch):
    real = services.dossier_receive
    calls = []

    def dies_after_writing(**kwargs):
        real(**kwargs)  # the dossier is written, then the host "dies" before answering
        calls.append(1)
        raise RuntimeError("host lost")

    monkeypatch.setattr(services, "dossier_receive", dies_after_writing)
    failed = post(key, reception(), "crash-1", client=Client(raise_request_exception=False))
    assert failed.status_code == 500
    assert calls == [1]
    assert Dossier.objects.count() == 0
    assert not IdempotencyKey.objects.exists()
    monkeypatch.setattr(services, "dossier_receive", real)
    retried = post(key, reception(), "crash-1")
    assert retried.status_code == 201
    assert REPLAYED_HEADER not in retried
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "words"),
    [("", "empty"), ("x" * 256, "255"), ("has space", "ASCII"), ("khóa", "ASCII")],
)
def test_a_bad_key_is_refused_naming_the_header(key, english, value, words):
    response = post(key, reception(), value)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert words in response.json()["detail"]
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_without_authentication_the_key_changes_nothing(catalogue):  # noqa: F811
    response = Client().post(
        BASE,
        json.dumps(reception()),
        content_type="application/json",
        headers={"Idempotency-Key": "anon"},
    )
    assert response.status_code == 401
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_purge_forgets_old_keys_only(key, settings):
    settings.MOTCUA_IDEMPOTENCY_KEEP_HOURS = 24
    post(key, reception("old"), "old")
    post(key, reception("new"), "new")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_concurrent_duplicates_make_one_dossier(catalogue):  # noqa: F811
    """8 threads send the same call with the same key at once, 5 keys in a row: each key makes
    exactly one dossier, and every thread gets the same answer."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    key = officer_key(catalogue, "officer_p")
    threads_n, keys_n = 8, 5
    answers: dict[str, list[tuple[int, bytes]]] = {f"k{i}": [] for i in range(keys_n)}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        try:
            for i in range(keys_n):
                barrier.wait()
                r = post(key, reception(f"Concurrent {i}"), f"k{i}")
                with lock:
                    answers[f"k{i}"].append((r.status_code, r.content))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    barrier = threading.Barrier(threads_n)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for got in answers.values():
        assert len(got) == threads_n
        assert {status for status, _ in got} == {201}
        assert len({content for _, content in got}) == 1
    assert Dossier.objects.count() == keys_n
    codes = sorted(json.loads(got[0][1])["code"] for got in answers.values())
    assert codes == sorted(Dossier.objects.values_list("code", flat=True))
