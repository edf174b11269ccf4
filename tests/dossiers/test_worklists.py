"""Every home card opens exactly the list it counts, for every account of the demo; the tabs
follow the roles; a worklist's rows are the dossiers its definition names."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.choices import DossierState
from motcua.dossiers.worklists import WORKLISTS, worklist_rows

pytestmark = pytest.mark.django_db

ACCOUNTS = ["tiepnhan", "chuyenvien", "lanhdao", "giamsat", "kiemsoat", "canboxa", "admin"]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--dossiers", "150", "--years", "1", "--seed", "7", stdout=io.StringIO())


def test_each_home_card_opens_the_list_it_counts_for_every_demo_account(demo):
    checked = 0
    for username in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        home = client.get(reverse("home"))
        assert home.status_code == 200
        body = home.content.decode()
        for worklist, count in home.context["cards"]:
            link = re.search(rf'id="card-{worklist.name}" href="([^"]+)"', body).group(1)
            assert link == f"{reverse('dossiers:list')}?list={worklist.name}"
            listed = client.get(link)
            assert listed.context["table"].paginator.count == count, (username, worklist.name)
            checked += 1
    print(f"home cards checked against their lists: {checked}")
    assert checked >= 30


def test_tabs_follow_the_roles(demo):
    def tabs(username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        return [w.name for w, _count in client.get(reverse("dossiers:list")).context["tabs"]]

    assert "to_precheck" in tabs("tiepnhan") and "to_approve" not in tabs("tiepnhan")
    assert "mine" in tabs("chuyenvien") and "to_assign" not in tabs("chuyenvien")
    assert {"to_assign", "to_approve"} <= set(tabs("lanhdao"))
    assert tabs("giamsat") == ["due_soon", "overdue", "open"]
    assert [w.name for w in WORKLISTS] == tabs("admin")


def test_worklist_rows_match_their_definitions(demo):
    admin = User.objects.get(username="admin")
    lanhdao = User.objects.get(username="lanhdao")
    assert set(worklist_rows(user=admin, name="to_precheck").values_list("state", flat=True)) <= {
        DossierState.SUBMITTED
    }
    mine = worklist_rows(user=lanhdao, name="mine")
    assert all(d.assignee_id == lanhdao.pk for d in mine)
    to_assign = worklist_rows(user=admin, name="to_assign")
    assert to_assign.exists() and not to_assign.filter(assignee__isnull=False).exists()


def test_counts_read_only_listed_states_and_equal_every_lists_rows(demo):
    """The counts' aggregate reads only the dossiers in a listed state (so the state index
    narrows it): each count still equals its list's rows, for every account."""
    from motcua.dossiers.worklists import LISTED_STATES, worklist_counts, worklists_for

    assert not {DossierState.DELIVERED, DossierState.FILED} & LISTED_STATES  # closed: no list
    for username in ACCOUNTS:
        user = User.objects.get(username=username)
        counts = worklist_counts(user=user)
        shown = worklists_for(user)
        assert worklist_counts(user=user, names=[w.name for w in shown]) == {
            w.name: counts[w.name] for w in shown
        }
        for w in shown:
            rows = worklist_rows(user=user, name=w.name)
            assert counts[w.name] == rows.count(), (username, w.name)
            assert set(rows.values_list("state", flat=True)) <= w.states <= LISTED_STATES
