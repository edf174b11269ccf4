"""Reads: scoping by agency (and receiving unit), look-ups, history, late without apology."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.core.errors import NotFound
from motcua.dossiers import selectors, services
from tests.dossiers.factories import AgencyFactory, UserFactory, local, received_dossier, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = AgencyFactory(code="P")
    commune_a = AgencyFactory(code="A", parent=province)
    commune_b = AgencyFactory(code="B", parent=province)
    officer_a = UserFactory()
    Membership.objects.create(user=officer_a, agency=commune_a, role=Role.COUNTER_OFFICER)
    own = received_dossier(agency=commune_a, applicant_name="Lê Văn Chín")
    # Decree 118/2025: commune A receives a dossier that commune B decides.
    received_for_b = received_dossier(agency=commune_b, receiving_unit=commune_a)
    foreign = received_dossier(agency=commune_b, applicant_id_number="079000000009")
    return locals()


def test_officer_sees_own_and_received_dossiers_only(world):
    visible = set(selectors.dossier_list(user=world["officer_a"]))
    assert visible == {world["own"], world["received_for_b"]}


def test_superuser_sees_everything_and_anonymous_nothing(world):
    admin = UserFactory(is_superuser=True)
    assert selectors.dossier_list(user=admin).count() == 3
    assert not selectors.dossier_list(user=AnonymousUser()).exists()


def test_filters(world):
    user = UserFactory(is_superuser=True)
    assert list(selectors.dossier_list(user=user, q="Chín")) == [world["own"]]
    assert list(selectors.dossier_list(user=user, q=world["foreign"].code)) == [world["foreign"]]
    assert set(selectors.dossier_list(user=user, agency_id=world["commune_b"].pk)) == {
        world["received_for_b"],
        world["foreign"],
    }
    day = dt.date(2026, 11, 23)
    assert selectors.dossier_list(user=user, received_from=day, received_to=day).count() == 3
    assert not selectors.dossier_list(user=user, received_from=day + dt.timedelta(days=1)).exists()
    assert selectors.dossier_list(user=user, open_only=True).count() == 3
    assert not selectors.dossier_list(user=user, state="resolved").exists()


def test_get_by_pk_or_code_is_scoped(world):
    officer = world["officer_a"]
    assert selectors.dossier_get(user=officer, code=world["own"].code) == world["own"]
    assert selectors.dossier_get(user=officer, pk=world["received_for_b"].pk)
    with pytest.raises(NotFound):
        selectors.dossier_get(user=officer, pk=world["foreign"].pk)
    with pytest.raises(NotFound):
        selectors.dossier_get(user=officer)


def test_public_lookup_needs_code_and_id_number(world):
    d = world["foreign"]
    assert selectors.dossier_lookup_public(code=d.code, id_number="079000000009") == d
    assert selectors.dossier_lookup_public(code=d.code, id_number="001090000001") is None
    assert selectors.dossier_lookup_public(code=d.code, id_number="") is None


def test_events_in_order(world):
    d = services.dossier_assign(
        dossier=world["own"], actor=staff(world["own"]), assignee=None, at=local(2026, 11, 23, 10)
    )
    assert list(selectors.dossier_events(dossier=d).values_list("seq", flat=True)) == [1, 2]


def test_late_without_apology():
    user = UserFactory(is_superuser=True)
    overdue = received_dossier(at=local(2026, 11, 2, 9))
    apologized = received_dossier(at=local(2026, 11, 2, 9))
    services.dossier_apologize(
        dossier=apologized,
        actor=staff(apologized),
        new_due_at=apologized.due_at + dt.timedelta(days=7),
        reason="Chậm",
        at=apologized.due_at - dt.timedelta(days=1),
    )
    resolved_late = received_dossier(at=local(2026, 11, 2, 9))
    services.dossier_resolve(
        dossier=resolved_late,
        actor=staff(resolved_late),
        at=resolved_late.due_at + dt.timedelta(days=1),
    )
    on_time = received_dossier(at=local(2026, 11, 2, 9))
    services.dossier_resolve(dossier=on_time, actor=staff(on_time), at=on_time.due_at)
    not_due = received_dossier(at=local(2026, 11, 30, 9))
    late = set(selectors.dossier_late_without_apology(user=user, now=local(2026, 12, 1, 9)))
    assert late == {overdue, resolved_late}
    assert not_due not in late
