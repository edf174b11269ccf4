import pytest

from motcua.ops import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}


def test_readyz_checks_migrations_and_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "migrations", "media"}


def test_readyz_fails_with_pending_migrations(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health, "pending_migrations", lambda alias="default": ["dossiers.0099_x"])
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["migrations"]["ok"] is False
    assert "dossiers.0099_x" in body["checks"]["migrations"]["detail"]


def test_readyz_fails_when_uploads_cannot_be_written(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "missing"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"]["ok"] is False


def test_healthz_fails_when_the_database_is_unreachable(client, monkeypatch):

    monkeypatch.setattr(
        health, "database_reachable", lambda alias="default": (False, "OperationalError")
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


def test_pending_migrations_is_empty_on_a_migrated_database():
    assert health.pending_migrations() == []
