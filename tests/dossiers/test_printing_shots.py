"""Not a test of the product: writes sample forms as PNG for a human to look at, when
MOTCUA_FORM_SHOTS names a directory (skipped otherwise). The DOCX of each form is drawn too
when LibreOffice (``soffice``) is installed: converted to PDF by it, then to PNG, so that the
Word file can be looked at as a person opening it would see it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from motcua.core.documents import render
from motcua.dossiers import printing, services
from motcua.dossiers.masking import IN_FULL
from motcua.dossiers.printing.sets import APOLOGY, CONTROL, RECEIPT, STOP, SUPPLEMENT
from tests.dossiers.factories import local, staff
from tests.dossiers.test_printing import _receive, province  # noqa: F401 - fixture

SHOTS = os.environ.get("MOTCUA_FORM_SHOTS", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SHOTS, reason="MOTCUA_FORM_SHOTS unset"),
]


def _png(data: bytes, name: str) -> None:
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(out / f"{name}.pdf"), str(out / name)], check=True
    )
    pages = sorted(out.glob(f"{name}-*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)  # something was drawn


def _docx_png(data: bytes, name: str) -> None:
    """The DOCX as LibreOffice lays it out, when LibreOffice is installed."""
    soffice = shutil.which("soffice")
    if not soffice:
        return
    out = Path(SHOTS) / "docx"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(out / f"{name}.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(out / f"{name}.pdf"), str(out / f"{name}-docx")],
        check=True,
    )
    assert sorted(out.glob(f"{name}-docx-*.png"))


def test_shots(province):  # noqa: F811
    dossier = _receive(province)
    actor = staff(dossier)
    services.dossier_assign(
        dossier=dossier, actor=actor, assignee=actor, at=local(2026, 11, 23, 14, 0)
    )
    services.dossier_supplement_request(
        dossier=dossier,
        actor=actor,
        reason="1. Bản sao Giấy chứng nhận đăng ký doanh nghiệp có chứng thực.\n2. Sơ đồ địa điểm kinh doanh.",
        at=local(2026, 11, 24, 9, 0),
    )
    services.dossier_supplement_receive(dossier=dossier, actor=actor, at=local(2026, 11, 26, 9, 0))
    services.dossier_apologize(
        dossier=dossier,
        actor=actor,
        new_due_at=local(2026, 12, 15, 16, 0),
        reason="Cần xác minh thực tế tại cơ sở kinh doanh",
        at=local(2026, 12, 4, 9, 0),
    )
    services.dossier_stop(
        dossier=dossier, actor=actor, reason="Tổ chức đề nghị dừng", at=local(2026, 12, 7, 9, 0)
    )
    dossier.refresh_from_db()
    for kind in (RECEIPT, SUPPLEMENT, APOLOGY, STOP, CONTROL):
        document = printing.build(dossier, kind, viewer=IN_FULL)
        _png(render(document, fmt="pdf"), kind)
        _docx_png(render(document, fmt="docx"), kind)


def test_shots_register_and_2018(province, client):  # noqa: F811
    from django.urls import reverse

    from motcua.catalog.choices import Role
    from tests.dossiers.factories import official

    for day in (16, 17, 18):
        _receive(province, at=local(2026, 11, day, 9, 0))
    client.force_login(official(province["center"], Role.COUNTER_OFFICER))
    query = {
        "unit": province["center"].pk,
        "start": "2026-11-15",
        "end": "2026-11-30",
        "fmt": "pdf",
    }
    _png(client.get(reverse("dossiers:register"), query).content, "register")
    _docx_png(
        client.get(reverse("dossiers:register"), {**query, "fmt": "docx"}).content, "register"
    )
    old = _receive(province, at=local(2025, 9, 10, 9, 0))
    services.dossier_apologize(
        dossier=old,
        actor=staff(old),
        new_due_at=old.due_at + dt.timedelta(days=6),
        reason="Chờ ý kiến cơ quan phối hợp",
        at=old.due_at - dt.timedelta(hours=3),
    )
    services.dossier_refuse(
        dossier=old, actor=staff(old), reason="Hồ sơ không đủ điều kiện", at=old.due_at
    )
    old.refresh_from_db()
    for kind in ("apology", "refusal", "control"):
        _png(render(printing.build(old, kind, viewer=IN_FULL), fmt="pdf"), f"2018-{kind}")
