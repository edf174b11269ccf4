"""Users admin: memberships edited inline; API tokens listed and revoked, never created here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.accounts.models import ApiToken, Membership
from motcua.catalog.choices import Role
from tests.catalog.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    return client


def test_membership_is_added_inline_on_the_user_page(admin_client, django_user_model):
    official = django_user_model.objects.create_user("canbo", password="pw")
    agency = AgencyFactory(name="Sở Công Thương")
    url = reverse("admin:accounts_user_change", args=[official.pk])
    data = {
        "username": "canbo",
        "full_name": "Nguyễn Văn A",
        "is_active": "on",
        "date_joined_0": "2026-11-23",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-agency": str(agency.pk),
        "memberships-0-role": Role.SPECIALIST,
        "memberships-0-user": str(official.pk),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user=official)
    assert (membership.agency, membership.role) == (agency, Role.SPECIALIST)
    official.refresh_from_db()
    assert official.full_name == "Nguyễn Văn A"


def test_api_tokens_cannot_be_created_in_the_admin_but_can_be_revoked(
    admin_client, django_user_model
):
    official = django_user_model.objects.create_user("he-thong", password="pw")
    token = ApiToken.objects.create(user=official, name="Cổng DVC quốc gia", key_hash="h" * 64)
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    url = reverse("admin:accounts_apitoken_change", args=[token.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="key_hash"' not in page  # shown, never editable
    response = admin_client.post(url, {"revoked": "on", "expires_at_0": "", "expires_at_1": ""})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked and token.key_hash == "h" * 64
