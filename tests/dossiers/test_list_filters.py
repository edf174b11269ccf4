"""The dossier list's filters (field, assignee among the user's agencies' officials, reception
and due date ranges) and the counts of cards and tabs in the language's number format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from motcua.catalog.choices import Role
from motcua.catalog.models import ProcedureAssignment
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.worklists import BY_NAME
from tests.catalog.factories import FieldFactory
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    local,
    official,
    received_dossier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = AgencyFactory(name="Sở A"), AgencyFactory(name="Sở B")
    department = AgencyFactory(name="Phòng thuộc Sở A", parent=a)
    trade, building = FieldFactory(name="Thương mại"), FieldFactory(name="Xây dựng")
    retail = ProcedureFactory(field=trade)
    house = ProcedureFactory(field=building)
    for procedure in (retail, house):
        for agency in (a, b):
            ProcedureAssignment.objects.create(procedure=procedure, agency=agency)
    lead = official(a, Role.LEADER, Role.DEPARTMENT_HEAD, Role.COUNTER_OFFICER)
    minh = official(department, Role.SPECIALIST)
    lan = official(a, Role.SPECIALIST)
    outsider = official(b, Role.SPECIALIST, Role.LEADER)
    days = [local(2026, 11, d, 9, 0) for d in (2, 9, 16, 23)]
    dossiers = [
        received_dossier(agency=a, procedure=p, at=at) for at in days for p in (retail, house)
    ]
    for dossier, person in zip(dossiers, [minh, lan, minh, None] * 2, strict=True):
        if person is not None:
            services.dossier_assign(dossier=dossier, actor=lead, assignee=person, at=days[-1])
    received_dossier(agency=b, procedure=retail, at=days[0])
    return {
        "lead": lead,
        "minh": minh,
        "lan": lan,
        "outsider": outsider,
        "trade": trade,
        "building": building,
        "dossiers": dossiers,
    }


def listed(client, user, **params) -> tuple[set[str], object]:
    client.force_login(user)
    response = client.get(reverse("dossiers:list"), params)
    assert response.status_code == 200
    rows = response.context["table"].data.data
    return {d.code for d in rows}, response.context["filter"]


def test_filter_by_field(client, world):
    codes, _ = listed(client, world["lead"], field=world["trade"].pk)
    wanted = {d.code for d in world["dossiers"] if d.procedure.field_id == world["trade"].pk}
    assert codes == wanted and len(wanted) == 4


def test_filter_by_assignee_among_the_users_agencies_officials(client, world):
    codes, filterset = listed(client, world["lead"], assignee=world["minh"].pk)
    minh = {
        d.code for d in world["dossiers"] if Dossier.objects.get(pk=d.pk).assignee == world["minh"]
    }
    assert codes == minh and len(minh) == 4
    offered = set(filterset.form.fields["assignee"].queryset)
    # A department's official under the agency is offered; another agency's is not.
    assert {world["lead"], world["minh"], world["lan"]} <= offered
    assert world["outsider"] not in offered
    # Naming another agency's official is refused by the form, not answered with their work.
    _codes, refused = listed(client, world["lead"], assignee=world["outsider"].pk)
    assert "assignee" in refused.form.errors


def test_filter_by_reception_and_due_date_ranges(client, world):
    dossiers = world["dossiers"]

    def day(instant: dt.datetime) -> dt.date:
        return timezone.localtime(instant).date()

    second = day(dossiers[2].received_at)
    codes, _ = listed(
        client, world["lead"], received_from=second.isoformat(), received_to=second.isoformat()
    )
    assert codes == {d.code for d in dossiers if day(d.received_at) == second} and len(codes) == 2

    dues = sorted({day(d.due_at) for d in dossiers})
    assert len(dues) == 4
    codes, _ = listed(
        client, world["lead"], due_from=dues[1].isoformat(), due_to=dues[2].isoformat()
    )
    assert codes == {d.code for d in dossiers if dues[1] <= day(d.due_at) <= dues[2]}
    assert len(codes) == 4
    codes, _ = listed(client, world["lead"], due_to=dues[0].isoformat())
    assert codes == {d.code for d in dossiers if day(d.due_at) == dues[0]}


@pytest.mark.parametrize(("language", "shown"), [("vi", "1.766"), ("en", "1,766")])
def test_card_and_tab_counts_in_the_languages_number_format(world, language, shown):
    request = RequestFactory().get("/")
    request.user = world["lead"]
    with translation.override(language):
        tabs = render_to_string(
            "dossiers/_tabs.html", {"tabs": [(BY_NAME["open"], 1766)], "worklist": ""}
        )
        home = render_to_string(
            "dossiers/home.html",
            {"cards": [(BY_NAME["open"], 1766)], "late_open_without_apology": []},
            request=request,
        )
    assert f">{shown}</span>" in tabs
    assert f'<div class="display-6">{shown}</div>' in home


@pytest.mark.parametrize("language", ["vi", "en"])
def test_selects_name_their_blank_choice_in_words(client, world, settings, language):
    """The filters' and the action forms' selects offered Django's "---------" (untranslated)
    as their blank choice; now "— all —" for a filter, "— choose —" for an action."""
    settings.LANGUAGE_CODE = language
    client.force_login(world["lead"])
    with translation.override(language):
        listing = client.get(reverse("dossiers:list")).content.decode()
        dossier = world["dossiers"][-1]  # not assigned: the assign form is offered
        detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
        all_, choose = translation.gettext("— all —"), translation.gettext("— choose —")
    assert "---------" not in listing and "---------" not in detail
    assert f'<option value="" selected>{all_}</option>' in listing
    assert f'<option value="" selected>{choose}</option>' in detail
