"""API tokens: created with a key shown once, stored hashed, refused when revoked or expired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.accounts.models import ApiToken, User
from motcua.accounts.tokens import api_token_create, api_token_revoke, api_token_user, hash_key
from motcua.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create(username="system_a")


def test_the_key_is_returned_once_and_only_its_hash_is_stored(user):
    token, key = api_token_create(user=user, name="hệ thống A")
    assert key.startswith("mc_") and len(key) > 40
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_key(key) and key not in stored.key_hash
    assert api_token_user(key=key) == user
    assert AuditLog.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()


def test_two_tokens_have_different_keys(user):
    assert api_token_create(user=user, name="a")[1] != api_token_create(user=user, name="b")[1]


@pytest.mark.parametrize("key", ["", "mc_", "mc_wrong", "not-a-token", "mc_" + "x" * 500])
def test_unknown_keys_authenticate_nobody(user, key):
    api_token_create(user=user, name="a")
    assert api_token_user(key=key) is None


def test_revoked_expired_and_inactive_are_refused(user):
    token, key = api_token_create(user=user, name="a")
    api_token_revoke(token=token)
    assert api_token_user(key=key) is None

    past = timezone.now() - dt.timedelta(minutes=1)
    _token, expired = api_token_create(user=user, name="b", expires_at=past)
    assert api_token_user(key=expired) is None

    future = timezone.now() + dt.timedelta(days=1)
    _token, valid = api_token_create(user=user, name="c", expires_at=future)
    assert api_token_user(key=valid) == user
    user.is_active = False
    user.save()
    assert api_token_user(key=valid) is None


def test_a_token_needs_a_name(user):
    with pytest.raises(ValueError):
        api_token_create(user=user, name="  ")
    assert not ApiToken.objects.exists()


def test_the_command_prints_the_key_once(user, capsys):
    call_command("token", "create", "system_a", "--name", "liên thông", "--days", "30")
    out, err = capsys.readouterr()
    key = out.strip()
    assert api_token_user(key=key) == user
    assert key not in err
    token = ApiToken.objects.get()
    assert token.name == "liên thông" and token.expires_at > timezone.now()

    call_command("token", "list")
    listing = capsys.readouterr().out
    assert "liên thông" in listing and key not in listing

    call_command("token", "revoke", str(token.pk))
    assert api_token_user(key=key) is None


@pytest.mark.parametrize(
    "args",
    [
        ["create", "nobody", "--name", "x"],
        ["create", "system_a", "--name", " "],
        ["create", "system_a", "--name", "x", "--days", "0"],
        ["revoke", "999"],
    ],
)
def test_command_errors_are_clear_and_write_nothing(user, args):
    with pytest.raises(CommandError):
        call_command("token", *args)
    assert not ApiToken.objects.exists()
