"""Production settings: login throttling (django-axes), refusal to start on the development
secret, the deploy check, HTTPS switches and the Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dossiers.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mật-khẩu-đúng-1"
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "motcua.example.gov.vn",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_COOKIES": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


# -- login throttling --------------------------------------------------------------------------


@pytest.fixture
def official(db):
    user = UserFactory(username="canbo", password=PASSWORD, is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client, username, password, address, url="login"):
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_an_account_is_locked_after_the_failures_even_from_other_addresses(
    client, official, settings
):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "canbo", "sai", f"198.51.100.{n}").status_code == 200
    # The failure that reaches the limit is answered with the lock already.
    assert login(client, "canbo", "sai", "198.51.100.99").status_code == 429
    response = login(client, "canbo", PASSWORD, "203.0.113.50")
    assert response.status_code == 429
    assert not logged_in(client)
    body = response.content.decode()
    assert "đăng nhập sai quá nhiều lần" in body and "15 phút" in body
    assert response["Retry-After"] == "900"


@pytest.mark.django_db
def test_an_address_is_locked_after_failures_on_any_accounts(client, official, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"khongco{n}", "sai", "203.0.113.7")
    assert login(client, "canbo", PASSWORD, "203.0.113.7").status_code == 429
    assert not logged_in(client)
    response = login(client, "canbo", PASSWORD, "203.0.113.8")  # another address
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_do_not_lock(client, official, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "canbo", "sai", "203.0.113.9")
    assert login(client, "canbo", PASSWORD, "203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_throttled_the_same_way(client, official, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo", "sai", "203.0.113.10", url="admin:login")
    response = login(client, "canbo", PASSWORD, "203.0.113.11", url="admin:login")
    assert response.status_code == 429 and "Tạm dừng đăng nhập" in response.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, official, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo", "sai", "203.0.113.12")
    assert login(client, "canbo", PASSWORD, "203.0.113.12").status_code == 429
    time_machine.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))
    assert login(client, "canbo", PASSWORD, "203.0.113.12").status_code == 302


@pytest.mark.django_db
def test_a_forwarded_for_header_does_not_change_the_address(client, official, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"x{n}", "password": "sai"},
            REMOTE_ADDR="203.0.113.13",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert login(client, "canbo", PASSWORD, "203.0.113.13").status_code == 429


# -- refusing to start, and the deploy check ---------------------------------------------------


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests in this process, never in production.
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


IMPORT_WSGI = [sys.executable, "-c", "import config.wsgi; print('served')"]


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "the built-in development key"),
        ("insecure-development-key-set-SECRET_KEY-in-production", "the built-in development key"),
        ("django-insecure-" + "x" * 50, "too weak"),
        ("short", "too weak"),
    ],
)
def test_the_web_process_refuses_to_start_with_debug_0_and_a_development_key(key, problem):
    env = {"DEBUG": "0"} | ({"SECRET_KEY": key} if key else {})
    result = _run(IMPORT_WSGI, **env)
    assert result.returncode == 1
    assert "served" not in result.stdout
    assert "refuses to start" in result.stderr and problem in result.stderr
    assert "Traceback" not in result.stderr


def test_the_web_process_starts_with_a_real_key_or_in_development():
    assert _run(IMPORT_WSGI, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0
    assert _run(IMPORT_WSGI, DEBUG="1").returncode == 0


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    env = PRODUCTION | {"SECRET_KEY": secrets.token_urlsafe(50), "MOTCUA_DATA_DIR": str(tmp_path)}
    result = _run(
        [sys.executable, "-m", "motcua", "check", "--deploy", "--fail-level", "WARNING"], **env
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_reports_the_development_key(tmp_path):
    env = PRODUCTION | {"MOTCUA_DATA_DIR": str(tmp_path)}
    result = _run([sys.executable, "-m", "motcua", "check", "--deploy"], **env)
    assert result.returncode == 1
    assert "motcua.E001" in result.stderr


def test_the_https_switches_come_from_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "s.CONTENT_SECURITY_POLICY is None, s.CONTENT_SECURITY_POLICY_REPORT_ONLY is None)"
    )
    env = PRODUCTION | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MOTCUA_DATA_DIR": str(tmp_path),
        "MOTCUA_CSP": "report-only",
    }
    result = _run([sys.executable, "-c", code], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "False",
    ]
    result = _run([sys.executable, "-c", code], MOTCUA_CSP="sometimes")
    assert result.returncode != 0 and "MOTCUA_CSP" in result.stderr


# -- Content-Security-Policy -------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    header = client.get(reverse("login"))["Content-Security-Policy"]
    policy = {name: values for name, *values in (d.split() for d in header.split(";") if d.strip())}
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_scripts_from_this_site(client):
    body = client.get("/api/docs").content.decode()
    assert "cdn." not in body and "/static/ninja/swagger-ui-bundle.js" in body


def test_every_inline_script_of_the_templates_is_allowed_by_the_policy(settings):
    """An inline <script> needs the nonce, an inline event handler one of the hashed sources:
    the browser would silently refuse anything else."""
    import re

    from config.settings import _INLINE_HANDLERS

    templates = ROOT / "motcua" / "templates"
    problems = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag and "application/json" not in tag:
                problems.append(f"{path.relative_to(ROOT)}: {tag}")
        for handler in re.findall(r'\bon[a-z]+="([^"]*)"', text):
            if handler not in _INLINE_HANDLERS:
                problems.append(f"{path.relative_to(ROOT)}: handler {handler!r}")
    assert problems == []


def test_the_wsgi_module_warms_the_workers_up_before_they_fork():
    """config/wsgi.py imports every view and compiles the portal's templates (in gunicorn's
    master with --preload), with no database connection left open to share."""
    from motcua.core.startup import WARM_TEMPLATES

    code = (
        "import sys, django.template.loader as l; from config import wsgi;"
        "from django.db import connections;"
        "assert 'motcua.portal.views' in sys.modules and 'motcua.dossiers.views' in sys.modules;"
        "assert all(c.connection is None for c in connections.all());"
        f"print(all(l.get_template(n) for n in {WARM_TEMPLATES!r}))"
    )
    result = _run([sys.executable, "-c", code], DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
