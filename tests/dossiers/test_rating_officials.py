"""A rating is tied to every official who handled the dossier (received, processed, approved,
delivered it), counted per official, and rebuilt from the events by replay."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from motcua.dossiers import services
from motcua.dossiers.choices import EventType
from motcua.dossiers.models import Rating, RatingOfficial
from motcua.dossiers.permissions import PORTAL
from motcua.dossiers.replay import replay
from motcua.stats.counters import ratings_by_official
from motcua.stats.periods import month_period
from tests.catalog.factories import AgencyFactory
from tests.dossiers.factories import OFFICIAL_ROLES, local, official, received_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled():
    """Received by one official, assigned by a second to a third, resolved by the third,
    delivered by a fourth; an official of the agency who did nothing with it."""
    agency = AgencyFactory()
    receiver, head, specialist, deliverer, idle = (
        official(agency, *OFFICIAL_ROLES) for _ in range(5)
    )
    d = received_dossier(agency=agency, actor=receiver, at=local(2026, 11, 2, 9))
    services.dossier_assign(dossier=d, actor=head, assignee=specialist, at=local(2026, 11, 2, 10))
    services.dossier_resolve(dossier=d, actor=specialist, at=local(2026, 11, 3, 9))
    services.dossier_deliver(
        dossier=d, actor=deliverer, delivery_channel="counter", at=local(2026, 11, 4, 9)
    )
    people = SimpleNamespace(
        receiver=receiver, head=head, specialist=specialist, deliverer=deliverer, idle=idle
    )
    return d, people


def test_the_rating_is_tied_to_everyone_who_handled_the_dossier(handled):
    d, people = handled
    rating = services.dossier_rate(
        dossier=d, actor=PORTAL, value="satisfied", at=local(2026, 11, 5, 9)
    )
    handlers = sorted(
        u.pk for u in (people.receiver, people.head, people.specialist, people.deliverer)
    )
    assert sorted(rating.officials.values_list("pk", flat=True)) == handlers
    assert people.idle.pk not in handlers
    assert rating.official_id == people.specialist.pk  # the one in charge (assignee), as before
    event = d.events.get(type=EventType.RATE)
    assert event.payload["officials"] == handlers
    # Replay rebuilds the tie from the events alone.
    again = replay(d.events.all())
    assert again.rating_officials == {rating.pk: handlers}
    assert again.ratings == [(rating.pk, "satisfied", rating.at)]


def test_ratings_are_counted_per_official(handled):
    d, people = handled
    services.dossier_rate(dossier=d, actor=PORTAL, value="very_satisfied", at=local(2026, 11, 5, 9))
    other = received_dossier(agency=d.agency, actor=people.receiver, at=local(2026, 11, 6, 9))
    services.dossier_rate(
        dossier=other, actor=PORTAL, value="dissatisfied", at=local(2026, 11, 9, 9)
    )
    counts = ratings_by_official(agency_ids=[d.agency_id], period=month_period(2026, 11, cutoff=0))
    assert counts[people.receiver.pk] == {
        "ratings.very_satisfied": 1,
        "ratings.satisfied": 0,
        "ratings.dissatisfied": 1,
    }
    assert counts[people.deliverer.pk]["ratings.very_satisfied"] == 1
    assert counts[people.deliverer.pk]["ratings.dissatisfied"] == 0
    assert people.idle.pk not in counts
    # Every rating is still counted once for the agency, whatever the number of officials.
    assert Rating.objects.filter(agency=d.agency).count() == 2
    assert RatingOfficial.objects.count() == 4 + 1


def test_replay_ties_a_rating_recorded_before_officials_were_to_the_earlier_handlers(handled):
    d, people = handled
    rating = services.dossier_rate(dossier=d, actor=PORTAL, value="satisfied")
    events = list(d.events.all())
    for e in events:  # as a rate event written before this change
        if e.type == EventType.RATE:
            e.payload = {k: v for k, v in e.payload.items() if k != "officials"}
    assert replay(events).rating_officials == {
        rating.pk: sorted(RatingOfficial.objects.values_list("official_id", flat=True))
    }


def test_system_actors_are_not_officials():
    d = received_dossier()
    rating = services.dossier_rate(dossier=d, actor=PORTAL, value="satisfied")
    receiver = d.events.get(type=EventType.RECEIVE).actor_id
    assert list(rating.officials.values_list("pk", flat=True)) == [receiver]
