"""Random action sequences on random dossiers (hypothesis RuleBasedStateMachine).

Checked after every step:
- a move the workflow forbids raises IllegalTransition and writes nothing at all;
- a move that succeeds writes exactly one event, numbered next, from the old to the new state;
- replaying each dossier's events (due dates recomputed from the calendar and the supplement
  rule recorded in each event) reproduces its state, code, due date, pause, outcome and agency.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from motcua.accounts.models import Membership
from motcua.catalog.choices import TimeUnit
from motcua.core.errors import IllegalTransition, MotcuaError
from motcua.dossiers import services
from motcua.dossiers.choices import Channel, EventType
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.permissions import PORTAL
from motcua.dossiers.replay import replay
from motcua.dossiers.workflow import allowed
from motcua.worktime.selectors import calendar_for_agency
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import (
    OFFICIAL_ROLES,
    AgencyFactory,
    InternalProcessFactory,
    ProcedureFactory,
    ProcessStepFactory,
    UserFactory,
    local,
)

# Moves that lead somewhere come more often than the ones that end a dossier's life.
ACTIONS = [
    *[EventType.PRECHECK_ACCEPT] * 3,
    EventType.PRECHECK_REFUSE,
    *[EventType.ASSIGN] * 2,
    *[EventType.STEP] * 2,
    *[EventType.SUPPLEMENT_REQUEST] * 3,
    *[EventType.SUPPLEMENT_RECEIVE] * 3,
    EventType.REFUSE,
    EventType.WITHDRAW,
    EventType.STOP,
    *[EventType.TRANSFER] * 2,
    *[EventType.TRANSFER_ACCEPT] * 3,
    *[EventType.RESOLVE] * 2,
    *[EventType.DELIVER] * 3,
    *[EventType.APOLOGIZE] * 2,
    EventType.RATE,
]


# Successful moves by action over the whole run: shows the sequences reach deep states.
DONE: Counter = Counter()


def calendar_for(agency_id: int | None):
    return calendar_for_agency(agency_id=agency_id)


class DossierLife(RuleBasedStateMachine):
    dossiers = Bundle("dossiers")

    @initialize()
    def setup(self) -> None:
        # Each example runs in its own savepoint, rolled back in teardown: a clean database.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.agencies = [AgencyFactory(), AgencyFactory()]
        # One official with every working role at both agencies: the workflow is what is
        # explored here (the authorisation rules are in test_permissions.py).
        self.officer = UserFactory()
        Membership.objects.bulk_create(
            Membership(user=self.officer, agency=agency, role=role)
            for agency in self.agencies
            for role in OFFICIAL_ROLES
        )
        post = {"postal_reception": True, "postal_return": True}  # every channel is possible
        days = ProcedureFactory(processing_time=Decimal(3), **post)
        process = InternalProcessFactory(procedure=days)
        for position in (1, 2):
            ProcessStepFactory(process=process, position=position)
        self.procedures = [
            days,
            ProcedureFactory(processing_time=Decimal(6), time_unit=TimeUnit.WORKING_HOURS, **post),
            ProcedureFactory(processing_time=Decimal(15), time_unit=TimeUnit.CALENDAR_DAYS, **post),
            ProcedureFactory(one_way=True, processing_time=None, **post),
        ]
        self.clock = local(2026, 8, 20, 8, 0)
        self.mine: list[int] = []

    def teardown(self) -> None:
        if hasattr(self, "savepoint"):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

    def tick(self, minutes: int) -> dt.datetime:
        self.clock += dt.timedelta(minutes=minutes)
        return self.clock

    @precondition(lambda self: len(self.mine) < 3)
    @rule(
        target=dossiers,
        online=st.booleans(),
        channel=st.sampled_from([Channel.DIRECT, Channel.POSTAL]),
        agency=st.integers(0, 1),
        procedure=st.integers(0, 3),
        minutes=st.integers(0, 600),
    )
    def create(self, online, channel, agency, procedure, minutes):
        events_before = DossierEvent.objects.count()
        kwargs = {
            "actor": self.officer,
            "agency": self.agencies[agency],
            "procedure": self.procedures[procedure],
            "applicant_name": "Phạm Thị D",
            "at": self.tick(minutes),
        }
        if online:
            d = services.dossier_submit_online(**kwargs)
        else:
            d = services.dossier_receive(channel=channel, **kwargs)
        assert DossierEvent.objects.count() == events_before + 1
        assert list(d.events.values_list("seq", "from_state", "to_state")) == [(1, "", d.state)]
        self.mine.append(d.pk)
        return d.pk

    @rule(
        pk=dossiers,
        action=st.sampled_from(ACTIONS),
        minutes=st.integers(0, 5 * 24 * 60),
        rule_name=st.sampled_from(["resume", "restart"]),
        delivery=st.sampled_from(["counter", "postal", "online"]),
    )
    def act(self, pk, action, minutes, rule_name, delivery):
        d = Dossier.objects.get(pk=pk)
        at = self.tick(minutes)
        before = db_snapshot()
        last_seq = d.events.count()
        try:
            with override_settings(MOTCUA_SUPPLEMENT_RULE=rule_name):
                self.perform(d, action, at, delivery)
        except IllegalTransition:
            assert not allowed(d.state, action), (d.state, action)
            assert db_snapshot() == before
            return
        except MotcuaError:
            # Allowed by the workflow but refused on its merits (last step, already rated...).
            assert db_snapshot() == before
            return
        assert allowed(d.state, action)
        after = Dossier.objects.get(pk=pk)
        new = list(DossierEvent.objects.filter(dossier_id=pk, seq__gt=last_seq))
        assert DossierEvent.objects.count() == len(before["DossierEvent"]) + 1
        assert [(e.seq, e.from_state, e.to_state, e.at) for e in new] == [
            (last_seq + 1, d.state, after.state, at)
        ]
        DONE[action] += 1

    @rule(
        pk=dossiers,
        data=st.data(),
        minutes=st.integers(0, 3 * 24 * 60),
        rule_name=st.sampled_from(["resume", "restart"]),
        delivery=st.sampled_from(["counter", "postal", "online"]),
    )
    def act_legal(self, pk, data, minutes, rule_name, delivery):
        """A move the workflow allows from the dossier's current state: lives go deep."""
        state = Dossier.objects.values_list("state", flat=True).get(pk=pk)
        legal = sorted({a for a in ACTIONS if allowed(state, a)})
        if legal:
            action = data.draw(st.sampled_from(legal))
            self.act(pk, action, minutes, rule_name, delivery)

    def perform(self, d: Dossier, action: str, at: dt.datetime, delivery: str) -> None:
        common = {"dossier": d.pk, "actor": self.officer, "at": at}
        other = next(a for a in self.agencies if a.pk != d.agency_id)
        calls = {
            EventType.PRECHECK_ACCEPT: lambda: services.dossier_precheck_accept(**common),
            EventType.PRECHECK_REFUSE: lambda: services.dossier_precheck_refuse(
                reason="Thiếu", **common
            ),
            EventType.ASSIGN: lambda: services.dossier_assign(assignee=self.officer, **common),
            EventType.STEP: lambda: services.dossier_step_advance(**common),
            EventType.SUPPLEMENT_REQUEST: lambda: services.dossier_supplement_request(
                reason="Bổ sung", **common
            ),
            EventType.SUPPLEMENT_RECEIVE: lambda: services.dossier_supplement_receive(**common),
            EventType.REFUSE: lambda: services.dossier_refuse(reason="Không đủ", **common),
            EventType.WITHDRAW: lambda: services.dossier_withdraw(**common),
            EventType.STOP: lambda: services.dossier_stop(reason="Dừng", **common),
            EventType.TRANSFER: lambda: services.dossier_transfer(to_agency=other, **common),
            EventType.TRANSFER_ACCEPT: lambda: services.dossier_transfer_accept(**common),
            EventType.RESOLVE: lambda: services.dossier_resolve(**common),
            EventType.DELIVER: lambda: services.dossier_deliver(
                delivery_channel=delivery, postal_tracking="EB1VN", **common
            ),
            EventType.APOLOGIZE: lambda: services.dossier_apologize(
                new_due_at=(d.due_at or at) + dt.timedelta(days=30), reason="Chậm", **common
            ),
            EventType.RATE: lambda: services.dossier_rate(
                value="satisfied", **{**common, "actor": PORTAL}
            ),
        }
        calls[action]()

    @invariant()
    def replay_reproduces_every_dossier(self):
        for d in Dossier.objects.filter(pk__in=getattr(self, "mine", [])):
            events = list(d.events.all())
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            for again in (replay(events, calendar_for=calendar_for), replay(events)):
                assert (
                    again.state,
                    again.code,
                    again.due_at,
                    again.paused_at,
                    again.closed_at,
                    again.outcome,
                    again.agency_id,
                    again.received_at,
                    again.delivered_at,
                ) == (
                    d.state,
                    d.code,
                    d.due_at,
                    d.paused_at,
                    d.closed_at,
                    d.outcome,
                    d.agency_id,
                    d.received_at,
                    d.delivered_at,
                )


@pytest.mark.django_db
def test_random_dossier_lives():
    DONE.clear()
    run_state_machine_as_test(
        DossierLife,
        settings=hsettings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    print(dict(DONE))
    # Most kinds of move really happened (not only refusals of illegal ones).
    assert len(DONE) >= 10, DONE
