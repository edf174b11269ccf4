"""`motcua demo`: a small demo province is complete, varied and built once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency, Procedure, ProcessStep, RequiredDocument
from motcua.demo.agencies_data import CENTER_CODE, COMMUNES, PROVINCE_CODE
from motcua.demo.build_catalog import DEMO_ACCOUNTS, DEMO_PASSWORD
from motcua.demo.catalog_data import PROCEDURES
from motcua.demo.history import WorkingDays
from motcua.dossiers.choices import DossierState, Outcome
from motcua.dossiers.models import Apology, CounterClosure, Dossier, DossierEvent, Rating
from motcua.worktime.selectors import calendar_for_agency

pytestmark = pytest.mark.django_db
DOSSIERS = "700"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(*args: str, dossiers: str = DOSSIERS) -> str:
    out = io.StringIO()
    call_command("demo", "--dossiers", dossiers, "--years", "1", "--seed", "7", *args, stdout=out)
    return out.getvalue()


def test_the_demo_province_is_complete_and_varied():
    output = run_demo()
    assert "Demo built" in output
    # the symbols of the agencies' document numbers ("Số: 215/BC-SCT")
    assert Agency.objects.get(code=CENTER_CODE).abbreviation == "TTPVHCC"
    for username, *_ in DEMO_ACCOUNTS:
        assert username in output
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert Membership.objects.filter(user__username="tiepnhan", role="counter_officer").exists()

    province = Agency.objects.get(code=PROVINCE_CODE)
    assert Agency.objects.filter(parent=province, level__code="commune").count() == len(COMMUNES)
    assert Agency.objects.filter(level__code="department").exists()
    assert Procedure.objects.count() == len(PROCEDURES)
    assert Procedure.objects.filter(one_way=True).exists()
    assert Procedure.objects.filter(time_unit="working_hours").exists()
    assert RequiredDocument.objects.count() >= 2 * len(PROCEDURES)
    assert ProcessStep.objects.filter(role="leader").exists()

    history = Dossier.objects.filter(imported=True)
    assert history.count() == int(DOSSIERS)
    outcomes = set(Dossier.objects.values_list("outcome", flat=True))
    assert {*Outcome.values, ""} <= outcomes  # every outcome, and pending ones
    states = set(Dossier.objects.values_list("state", flat=True))
    assert set(DossierState.values) <= states
    assert {"direct", "online", "postal"} <= set(history.values_list("channel", flat=True))
    assert history.filter(delivery_channel="postal").exists()
    assert history.exclude(supplement_waits=None).exists()
    assert Apology.objects.exists() and Rating.objects.exists()
    assert CounterClosure.objects.exists()
    assert not history.filter(applicant_name="").exists()
    online_share = history.filter(channel="online").count() / history.count()
    assert 0.4 < online_share < 0.75

    live = Dossier.objects.filter(imported=False)
    assert live.count() >= 25
    events = DossierEvent.objects.filter(dossier__in=live)
    assert {"receive", "assign", "supplement_request", "transfer", "resolve", "deliver"} <= set(
        events.values_list("type", flat=True)
    )

    from motcua.petitions.models import Petition

    petitions = Petition.objects.all()
    assert petitions.count() == 12
    assert {"received", "assigned", "answered"} <= set(petitions.values_list("state", flat=True))
    assert petitions.filter(published_at__isnull=False).exists()


def test_running_again_does_not_rebuild_and_reset_does():
    run_demo("--no-live", dossiers="150")
    count = Dossier.objects.count()
    output = run_demo("--no-live", dossiers="150")
    assert "exists already" in output
    assert Dossier.objects.count() == count
    run_demo("--no-live", "--reset", dossiers="150")
    assert Dossier.objects.count() == count
    assert User.objects.filter(username="admin").count() == 1


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        call_command("demo", "--years", "0", stdout=io.StringIO(), stderr=io.StringIO())


def test_working_days_table_matches_the_calendar():
    calendar = calendar_for_agency(agency_id=None)
    first = dt.date(2025, 1, 1)
    days = WorkingDays(calendar, first, dt.date(2025, 12, 31))
    for offset in range(0, 300, 3):
        day = first + dt.timedelta(days=offset)
        for n in (0, 1, 5, 15):
            assert days.add(day, n) == calendar.add_working_days(day, n), (day, n)
