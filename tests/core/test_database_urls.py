"""config.databases: libpq multi-host URLs, which dj-database-url cannot parse."""

from __future__ import annotations

import pytest

from config.databases import DatabaseUrlError, parse_database_url

MULTI = (
    "postgres://app:s3cret@10.77.0.11:5432,10.77.0.12:5433/motcua?target_session_attrs=read-write"
)


def test_a_multi_host_url_gives_libpq_host_and_port_lists():
    config = parse_database_url(MULTI, conn_max_age=60)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "10.77.0.11,10.77.0.12"
    assert config["PORT"] == "5432,5433"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("motcua", "app", "s3cret")
    assert config["OPTIONS"]["target_session_attrs"] == "read-write"
    assert config["CONN_MAX_AGE"] == 60


def test_hosts_without_ports_and_ipv6():
    assert parse_database_url("postgres://u@h1,h2/db")["HOST"] == "h1,h2"
    assert parse_database_url("postgres://u@h1,h2/db")["PORT"] == ""
    config = parse_database_url("postgresql://u@[::1]:5432,[fd00::2]:5432/db")
    assert (config["HOST"], config["PORT"]) == ("::1,fd00::2", "5432,5432")


def test_single_host_and_sqlite_urls_are_unchanged():
    assert parse_database_url("postgres://u@h:5432/db")["HOST"] == "h"
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgres://u@h1:5432,h2/db", "every host"),
        ("postgres://u@h1:54x2,h2:5432/db", "54x2"),
        ("postgres://u@h1,,h2/db", "empty host"),
    ],
)
def test_bad_host_lists_are_refused_naming_the_part(url, words):
    with pytest.raises(DatabaseUrlError, match=words):
        parse_database_url(url)


@pytest.mark.postgres
@pytest.mark.django_db
def test_psycopg_connects_through_a_host_list_skipping_a_dead_server():
    """The first host refuses connections (a closed port); libpq moves to the second, which
    accepts writes (target_session_attrs=read-write)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    real = connection.settings_dict
    host = real["HOST"] or "127.0.0.1"
    port = real["PORT"] or "5432"
    url = (
        f"postgres://{real['USER']}@{host}:1,{host}:{port}/{real['NAME']}"
        "?target_session_attrs=read-write&connect_timeout=2"
    )
    config = parse_database_url(url)
    params = connection.get_connection_params() | {
        "host": config["HOST"],
        "port": config["PORT"],
        **config["OPTIONS"],
    }
    raw = connection.get_new_connection(params)
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
            assert cursor.fetchone() == (False, str(port))
    finally:
        raw.close()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_application_connects_to_postgresql_without_jit():
    """JIT compilation is off on the application's connections (decisions.md #45; DB_JIT=1
    turns it back on)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone() == ("off",)
