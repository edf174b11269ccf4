import pytest
from motcua.stats.reports import render
from tests.stats.test_documents_levels import report_of, sonlam  # noqa: F401

pytestmark = pytest.mark.django_db


def test_shots(sonlam):  # noqa: F811
    for kind in ("province", "agency", "commune"):
        opts = {"number": "215", "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "signer_name": "Trần Quang Tấn"} if kind == "agency" else {}
        open(f"/tmp/reports2_{kind}.pdf", "wb").write(render(report_of(sonlam[kind]), fmt="pdf", **opts))
