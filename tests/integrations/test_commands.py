"""`motcua sync` exit codes, `motcua sync national --resend --since DATE`, the background task."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from motcua.dossiers import services
from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.tasks import deliver_outbox
from tests.dossiers.factories import local, received_dossier, staff
from tests.integrations.helpers import assert_peer_matches_db

pytestmark = pytest.mark.django_db


def sync(*args: str) -> int:
    try:
        call_command("sync", *args)
    except SystemExit as exc:
        return int(exc.code)
    return 0


def test_until_idle_exits_0_when_all_is_sent_and_3_when_something_is_parked(fake_national):
    dossier = received_dossier()
    assert sync("--until-idle") == 0
    fake_national.refuse_codes = {dossier.code}
    services.dossier_assign(
        dossier=dossier, actor=staff(dossier), assignee=None, at=local(2026, 11, 24, 9)
    )
    assert sync("--until-idle") == 3
    assert OutboxMessage.objects.filter(status=OutboxStatus.FAILED).exists()


def test_resend_since_a_date_sends_the_state_of_every_changed_dossier_again(fake_national):
    old = received_dossier(at=local(2026, 9, 1, 9))
    recent = received_dossier(at=local(2026, 11, 23, 9))
    assert sync("--until-idle") == 0
    fake_national.reset()  # the portal lost everything (a restore on its side)
    assert sync("national", "--resend", "--since", "2026-11-01") == 0
    assert recent.code in fake_national.dossiers
    assert old.code not in fake_national.dossiers
    item = fake_national.dossiers[recent.code]
    assert item["STT"] == 1 and item["TrangThaiHoSo"] == 2


def test_resend_needs_a_date_and_the_peer_on(fake_national, settings):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since"):
        call_command("sync", "national", "--resend")
    with pytest.raises(CommandError, match="not a date"):
        call_command("sync", "national", "--resend", "--since", "1/11/2026")
    settings.MOTCUA_NATIONAL_URL = ""
    with pytest.raises(CommandError, match="not configured"):
        call_command("sync", "national", "--until-idle")


def test_the_background_task_runs_the_same_loop(fake_national):
    dossier = received_dossier()
    assert deliver_outbox.call() == 0
    assert_peer_matches_db(fake_national, [dossier])
