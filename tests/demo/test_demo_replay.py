"""Every dossier change of the demo has its event: replaying the events gives the rows.

A small demo province (imported history with applicants, apology letters and ratings, and the
live dossiers made through the services) is built once; then, for every dossier, ``replay`` of
its events alone must give the dossier row's projection, its apology letters and its ratings.
"""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Apology, Dossier, DossierEvent, Rating, RatingOfficial
from motcua.dossiers.replay import replay
from motcua.dossiers.services.history import APPLICANT_FIELDS

pytestmark = pytest.mark.django_db

PROJECTION = (
    "state",
    "code",
    "agency_id",
    "received_at",
    "due_at",
    "paused_at",
    "closed_at",
    "delivered_at",
    "outcome",
    "processing_time",
    "time_unit",
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_replaying_the_demo_events_gives_the_rows():
    out = io.StringIO()
    call_command("demo", "--dossiers", "400", "--years", "1", "--seed", "11", stdout=out)
    assert "Demo built" in out.getvalue()

    events = defaultdict(list)
    for event in DossierEvent.objects.order_by("dossier_id", "seq"):
        events[event.dossier_id].append(event)
    apologies = defaultdict(list)
    for a in Apology.objects.order_by("id"):
        apologies[a.dossier_id].append((a.pk, a.issued_at, a.new_due_at, a.issued_late, a.reason))
    ratings = defaultdict(list)
    for r in Rating.objects.exclude(dossier=None).order_by("id"):
        ratings[r.dossier_id].append((r.pk, r.value, r.at))
    tied = defaultdict(dict)  # dossier -> rating -> officials (only ratings given through services)
    for link in RatingOfficial.objects.select_related("rating").order_by("official_id"):
        tied[link.rating.dossier_id].setdefault(link.rating_id, []).append(link.official_id)

    dossiers = list(Dossier.objects.all())
    differences = []
    for dossier in dossiers:
        again = replay(events[dossier.pk])
        row = {name: getattr(dossier, name) for name in PROJECTION}
        rebuilt = {name: getattr(again, name) for name in PROJECTION}
        if rebuilt != row:
            changed = {k: (row[k], rebuilt[k]) for k in row if row[k] != rebuilt[k]}
            differences.append((dossier.code, "projection", changed))
        if again.apologies != apologies[dossier.pk]:
            differences.append((dossier.code, "apologies", again.apologies))
        if again.ratings != ratings[dossier.pk]:
            differences.append((dossier.code, "ratings", again.ratings))
        if {k: v for k, v in again.rating_officials.items() if v} != tied[dossier.pk]:
            differences.append((dossier.code, "rating officials", again.rating_officials))
        if dossier.imported:
            applicant = {name: getattr(dossier, name) for name in APPLICANT_FIELDS}
            if again.applicant != applicant:
                differences.append((dossier.code, "applicant", again.applicant))
    assert differences == [], "\n".join(map(str, differences))

    # Not vacuous: history and live dossiers, apologies and ratings of both kinds were checked.
    assert len(dossiers) > 400 and all(events[d.pk] for d in dossiers)
    imported = {d.pk for d in dossiers if d.imported}
    assert {pk for pk in apologies if pk in imported} and {
        pk for pk in apologies if pk not in imported
    }
    assert {pk for pk in ratings if pk in imported} and {pk for pk in ratings if pk not in imported}
    assert any(tied.values())  # ratings given through the services, tied to officials
