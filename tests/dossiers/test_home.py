"""The officials' home page counts the dossiers of their own agencies only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.dossiers.worklists import worklist_counts
from tests.dossiers.factories import AgencyFactory, UserFactory, received_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    user = UserFactory()
    user.save()
    return user


def test_home_requires_login(client):
    assert client.get(reverse("home")).status_code == 302


def test_counts_are_scoped_and_classify_overdue(officer):
    mine, theirs = AgencyFactory(), AgencyFactory()
    Membership.objects.create(user=officer, agency=mine, role=Role.SPECIALIST)
    now = timezone.now()
    old = received_dossier(agency=mine, at=now - timezone.timedelta(days=60))
    received_dossier(agency=mine, at=now - timezone.timedelta(hours=1))
    received_dossier(agency=theirs, at=now - timezone.timedelta(days=60))
    counts = worklist_counts(user=officer, now=now)
    assert counts["open"] == 2
    assert counts["overdue"] == 1
    assert old.due_at < now


def test_home_page_renders_the_counts(client, officer):
    agency = AgencyFactory()
    Membership.objects.create(user=officer, agency=agency, role=Role.COUNTER_OFFICER)
    received_dossier(agency=agency, at=timezone.now() - timezone.timedelta(days=60))
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["counts"]["overdue"] == 1
