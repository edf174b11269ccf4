"""Property: any valid procedures file survives import → export → import unchanged."""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.choices import OnlineClass, TimeUnit
from motcua.catalog.interchange import export_procedures, import_procedures
from motcua.catalog.interchange.procedures import COLUMNS
from motcua.catalog.models import Field, Procedure
from tests.catalog.factories import AgencyFactory

pytestmark = pytest.mark.django_db

AGENCIES = ["000.00.02.H23", "H44.01", "H44.100"]

text = (
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
            st.sampled_from([",", '"', "\n", "ở", "Đ", "ữ", ";"]),
        ),
        min_size=1,
        max_size=25,
    )
    .map(str.strip)
    .filter(bool)
)

procedure = st.fixed_dictionaries(
    {
        "name": text,
        "field": text,
        "agencies": st.lists(st.sampled_from(AGENCIES), min_size=1, max_size=3, unique=True),
        "processing_time": st.one_of(
            st.none(), st.decimals(min_value=0, max_value=9999, places=2).map(str)
        ),
        "time_unit": st.sampled_from(["", *TimeUnit.values]),
        "one_way": st.sampled_from(["", "true", "false"]),
        "online_class": st.sampled_from(["", *OnlineClass.values]),
        "postal": st.sampled_from(["", "true", "false"]),
    }
)


def _file(procedures: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for number, p in enumerate(procedures):
        time = p["processing_time"] or ("" if p["one_way"] == "true" else "5")
        for agency in p["agencies"]:
            writer.writerow(
                {
                    "code": f"1.{number:06d}",
                    "name": p["name"],
                    "field": p["field"],
                    "agency_code": agency,
                    "processing_time": time,
                    "time_unit": p["time_unit"],
                    "one_way": p["one_way"],
                    "online_class": p["online_class"],
                    "postal": p["postal"],
                }
            )
    return out.getvalue()


@pytest.fixture
def agencies(db):
    return [AgencyFactory(code=code) for code in AGENCIES]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(procedures=st.lists(procedure, min_size=1, max_size=6))
def test_import_export_import_is_stable(agencies, procedures):
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.csv"
        source.write_text(_file(procedures), encoding="utf-8")
        result = import_procedures(path=source)
        assert result.created == len(procedures)

        first = io.StringIO()
        assert export_procedures(out=first) == sum(len(p["agencies"]) for p in procedures)
        again = Path(folder) / "again.csv"
        again.write_text(first.getvalue(), encoding="utf-8")
        result = import_procedures(path=again)
        assert (result.created, result.updated) == (0, 0)

        second = io.StringIO()
        export_procedures(out=second)
        assert second.getvalue() == first.getvalue()

    for number, p in enumerate(procedures):
        stored = Procedure.objects.get(code=f"1.{number:06d}")
        assert stored.name == p["name"] and stored.field.name == p["field"]
        assert sorted(stored.agencies.values_list("code", flat=True)) == sorted(p["agencies"])
        if p["processing_time"]:
            assert stored.processing_time == Decimal(p["processing_time"])
