"""Figures of agencies outside the system: identities checked on entry, import, selector."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.core.errors import ImportFailed, PermissionDenied
from motcua.core.models import AuditLog
from motcua.stats.models import ExternalFigures
from motcua.stats.periods import Period
from motcua.stats.selectors import external_figures_for
from motcua.stats.services import (
    FiguresInvalid,
    external_figures_import,
    external_figures_record,
    flatten_figures,
)
from tests.catalog.factories import AgencyFactory
from tests.stats.documents_fixtures import counters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

APRIL = Period(dt.date(2020, 4, 1), dt.date(2020, 4, 30))


def consistent() -> dict:
    report = counters(
        carried_over=30, online=10, direct=70, postal=5, early=40, on_time=30, late=2, overdue=3
    )
    return {k: v for k, v in report.items() if k not in {"rates", "late_list", "children"}}


@pytest.fixture
def province():
    return AgencyFactory(name="UBND tỉnh Bắc Giang")


@pytest.fixture
def police(province):
    return AgencyFactory(name="Công an tỉnh", parent=province)


@pytest.fixture
def monitor(province):
    user = User.objects.create_user("monitor", password="x")
    Membership.objects.create(user=user, agency=province, role=Role.MONITOR)
    return user


def test_consistent_figures_are_recorded_and_audited(monitor, police):
    figures = consistent()
    row = external_figures_record(
        actor=monitor, agency=police, period=APRIL, figures=figures, source="Hệ thống Bộ Công an"
    )
    assert row.agency_code == police.code
    assert row.reporting_unit == police.parent
    assert row.received_total == figures["received"]["total"]
    assert row.resolved_late == figures["resolved"]["late"]
    assert row.entered_by == monitor
    assert AuditLog.objects.filter(action="stats.external_figures_create").count() == 1


def test_identity_1_broken_is_refused_naming_it_and_by_how_much(monitor, police):
    figures = flatten_figures(consistent())
    figures["received.total"] += 2
    figures["received.carried_over"] += 2  # keep received.total = carried_over + new
    with pytest.raises(FiguresInvalid) as caught:
        external_figures_record(actor=monitor, agency=police, period=APRIL, figures=figures)
    message = str(caught.value)
    total = figures["received.total"]
    others = total - 2
    assert f"received.total ({total})" in message
    assert f"resolved + refused + withdrawn + stopped + pending ({others})" in message
    assert "2 too many" in message
    assert "identity 1" in message
    assert not ExternalFigures.objects.exists()


def test_every_broken_identity_is_listed(monitor, police):
    figures = flatten_figures(consistent())
    figures["pending.not_due"] -= 1  # identity 2: one too few on the right... left too many
    figures["resolved.early"] += 3  # identity 3: resolved.total 3 too few
    figures["received.by_channel.postal"] += 1  # identity 4
    with pytest.raises(FiguresInvalid) as caught:
        external_figures_record(actor=monitor, agency=police, period=APRIL, figures=figures)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["identity 2", "identity 3", "identity 4"]
    assert problems[0].endswith("1 too many")
    assert problems[1].endswith("3 too few")
    assert problems[2].endswith("1 too few")


def test_bad_values_are_refused(monitor, police):
    figures = flatten_figures(consistent())
    figures["refused"] = -1
    figures["withdrawn"] = "nhiều"
    with pytest.raises(FiguresInvalid) as caught:
        external_figures_record(actor=monitor, agency=police, period=APRIL, figures=figures)
    assert len(caught.value.problems) == 2
    assert "withdrawn: 'nhiều' is not a whole number" in caught.value.problems[1]


def test_recording_again_replaces_the_period(monitor, police):
    external_figures_record(actor=monitor, agency=police, period=APRIL, figures=consistent())
    figures = consistent()
    figures["ratings"]["satisfied"] = 9
    row = external_figures_record(actor=monitor, agency=police, period=APRIL, figures=figures)
    assert ExternalFigures.objects.count() == 1
    assert row.ratings_satisfied == 9


def test_someone_else_may_not_enter_figures_for_the_unit(police):
    other = AgencyFactory()
    user = User.objects.create_user("other", password="x")
    Membership.objects.create(user=user, agency=other, role=Role.MONITOR)
    with pytest.raises(PermissionDenied):
        external_figures_record(actor=user, agency=police, period=APRIL, figures=consistent())


def test_selector_gives_the_report_shape_marked_external(monitor, police, province):
    external_figures_record(actor=monitor, agency=police, period=APRIL, figures=consistent())
    tax = {"code": "CT-BG", "name": "Cục Thuế tỉnh"}
    external_figures_record(
        actor=monitor, agency=tax, period=APRIL, figures=consistent(), reporting_unit=province
    )
    items = external_figures_for(agency_ids={province.pk, police.pk}, period=APRIL)
    assert [i["unit"]["name"] for i in items] == sorted(["Công an tỉnh", "Cục Thuế tỉnh"])
    expected = consistent()
    for item in items:
        assert item["external"] is True
        for group in ("received", "resolved", "pending"):
            assert item[group] == expected[group]
    other_period = Period(dt.date(2020, 5, 1), dt.date(2020, 5, 31))
    assert external_figures_for(agency_ids={province.pk}, period=other_period) == []
    assert external_figures_for(agency_ids={AgencyFactory().pk}, period=APRIL) == []


def _csv(rows: list[dict]) -> bytes:
    columns = ["agency_code", "agency_name", "source", *rows[0]["figures"]]
    lines = [",".join(columns)]
    for row in rows:
        cells = [row["code"], row["name"], "Bộ", *(str(v) for v in row["figures"].values())]
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


def test_csv_import_all_or_nothing(monitor, province):
    good = flatten_figures(consistent())
    bad = dict(good)
    bad["pending.overdue"] += 4
    content = _csv(
        [
            {"code": "CA", "name": "Công an tỉnh", "figures": good},
            {"code": "CT", "name": "Cục Thuế tỉnh", "figures": bad},
        ]
    )
    with pytest.raises(ImportFailed) as caught:
        external_figures_import(actor=monitor, path=content, period=APRIL, reporting_unit=province)
    assert [e.row for e in caught.value.errors] == [3, 3]  # identity 2 and due
    assert "identity 2" in str(caught.value)
    assert not ExternalFigures.objects.exists()

    content = _csv([{"code": "CA", "name": "Công an tỉnh", "figures": good}])
    result = external_figures_import(
        actor=monitor, path=content, period=APRIL, reporting_unit=province
    )
    assert (result.created, result.updated) == (1, 0)
    assert ExternalFigures.objects.get().agency_name == "Công an tỉnh"


def test_the_report_command_consolidates_recorded_figures(monitor, police, province):
    figures = consistent()
    external_figures_record(actor=monitor, agency=police, period=APRIL, figures=figures)
    out = io.StringIO()
    call_command(
        "report",
        "--unit",
        province.code,
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-30",
        "--children",
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    # The province has no dossiers of its own: its counters are the police's figures.
    assert report["received"]["total"] == figures["received"]["total"]
    assert report["resolved"]["late"] == figures["resolved"]["late"]
    marked = [child for child in report["children"] if child.get("external")]
    assert [child["unit"]["code"] for child in marked] == [police.code]
