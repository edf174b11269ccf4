"""core.db.insert_row writes the same row as Model.save() would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from motcua.core.db import insert_row
from motcua.dossiers.models import DossierEvent
from tests.dossiers.factories import local, received_dossier

pytestmark = pytest.mark.django_db


def _row(model, pk):
    return model_to_dict(model.objects.get(pk=pk))


def test_insert_row_equals_save_for_an_event(time_machine):
    time_machine.move_to(local(2026, 11, 23, 10, 0), tick=False)
    dossier = received_dossier()
    values = {
        "dossier": dossier,
        "type": "note",
        "at": local(2026, 11, 23, 9, 30),
        "actor": None,
        "from_state": dossier.state,
        "to_state": dossier.state,
        "payload": {"text": "Ghi chú có dấu", "n": 1, "items": [1, 2]},
    }
    saved = DossierEvent(seq=2, **values)
    saved.save()
    inserted = insert_row(DossierEvent(seq=3, **values))
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    a, b = _row(DossierEvent, saved.pk), _row(DossierEvent, inserted.pk)
    assert a.pop("id") != b.pop("id")
    assert a.pop("seq") == 2 and b.pop("seq") == 3
    assert a == b
    # auto_now_add is filled as save() does, on the instance and in the row.
    stored = DossierEvent.objects.get(pk=inserted.pk).recorded_at
    assert inserted.recorded_at == stored == local(2026, 11, 23, 10, 0)
    assert isinstance(stored, dt.datetime)


def test_a_received_dossier_reads_back_as_built():
    dossier = received_dossier(applicant_name="Phạm Thị Đào", applicant_phone="0912345678")
    stored = type(dossier).objects.get(pk=dossier.pk)
    for field in type(dossier)._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(dossier, field.attname), field.name


def test_a_failed_insert_marks_the_block_for_rollback_like_save():
    from django.db import IntegrityError, transaction
    from django.db.transaction import TransactionManagementError

    dossier = received_dossier()
    with pytest.raises(TransactionManagementError), transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_row(DossierEvent(dossier=dossier, seq=1, type="note", at=dossier.received_at))
        DossierEvent.objects.count()  # the block is broken: no more queries
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_insert_row_refuses_an_instance_with_a_primary_key():
    dossier = received_dossier()
    event = dossier.events.get()
    with pytest.raises(ValueError, match="new rows"):
        insert_row(event)
