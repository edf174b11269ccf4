"""The printed forms 01–06 built from a dossier's history: PDF text (pdftotext) and DOCX
(python-docx) hold the code, the dates and the content each form is about."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import translation

from motcua.catalog.models import ProcedureAssignment
from motcua.core.documents import render
from motcua.core.errors import NotFound
from motcua.dossiers import printing, services
from motcua.dossiers.deadlines import closed_status
from motcua.dossiers.masking import IN_FULL
from motcua.dossiers.printing.common import clock_text as _clock_text
from motcua.dossiers.printing.control import rows as control_rows
from motcua.dossiers.printing.sets import (
    APOLOGY,
    CONTROL,
    RECEIPT,
    REFUSAL,
    SET_2018,
    SET_2025,
    STOP,
    SUPPLEMENT,
    form_set_for,
)
from tests.dossiers.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    local,
    received_dossier,
    staff,
)
from tests.dossiers.printing_helpers import docx_text, pdf_fonts, pdf_pages_and_size, pdf_text

pytestmark = pytest.mark.django_db


def clock_text(instant):
    with translation.override("vi"):
        return _clock_text(instant)


@pytest.fixture
def province():
    root = AgencyFactory(name="UBND tỉnh Sơn Lâm")
    center = AgencyFactory(
        name="Trung tâm Phục vụ hành chính công", parent=root, phone="0212 3850 111"
    )
    department = AgencyFactory(name="Sở Công Thương", parent=root)
    procedure = ProcedureFactory(name="Cấp giấy phép bán lẻ rượu")
    ProcedureAssignment.objects.create(procedure=procedure, agency=department)
    docs = [
        RequiredDocumentFactory(procedure=procedure, name=name, originals=1, copies=c)
        for name, c in (
            ("Đơn đề nghị cấp giấy phép", 0),
            ("Bản sao Giấy chứng nhận đăng ký doanh nghiệp", 2),
            ("Bản cam kết bảo đảm an toàn thực phẩm", 1),
        )
    ]
    return {
        "root": root,
        "center": center,
        "department": department,
        "procedure": procedure,
        "docs": docs,
    }


def _receive(province, at=None, **kwargs):
    docs = province["docs"]
    return received_dossier(
        agency=province["department"],
        receiving_unit=province["center"],
        procedure=province["procedure"],
        applicant_name="Hoàng Thị Mai",
        applicant_address="Số 5 đường Chu Văn An",
        applicant_phone="0912345678",
        documents_submitted=[docs[0].pk, docs[2].pk],
        at=at or local(2026, 11, 23, 9, 5),
        **kwargs,
    )


def _both(document):
    return pdf_text(render(document, fmt="pdf")), docx_text(render(document, fmt="docx"))


def test_form_01_lists_only_the_ticked_documents_with_code_and_due_date(province):
    dossier = _receive(province)
    document = printing.build(dossier, RECEIPT, viewer=IN_FULL)
    pdf, docx = _both(document)
    due = dossier.due_at.astimezone(dt.UTC).astimezone(local(2026, 1, 1).tzinfo)
    for text in (pdf, docx):
        assert dossier.code in text
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
        assert "Mẫu số 01" in text
        assert (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        )
        assert "UBND TỈNH SƠN LÂM" in text and "TRUNG TÂM PHỤC VỤ HÀNH" in text
        assert "09 giờ 05 phút, ngày 23/11/2026" in text  # reception
        assert due.strftime("ngày %d/%m/%Y") in text  # appointment
        assert "Đơn đề nghị cấp giấy phép" in text
        assert "Bản cam kết bảo đảm an toàn thực phẩm" in text
        assert "Giấy chứng nhận đăng ký doanh nghiệp" not in text  # not ticked
        assert "Hoàng Thị Mai" in text and "Cấp giấy phép bán lẻ rượu" in text
    assert clock_text(dossier.due_at) in pdf
    pages, size = pdf_pages_and_size(render(document, fmt="pdf"))
    assert pages == 1 and size.startswith("419.5") and "x 595.2" in size  # A5 portrait, one page


def test_pdf_uses_a_times_metric_font_and_docx_times_new_roman(province):
    dossier = _receive(province)
    document = printing.build(dossier, RECEIPT, viewer=IN_FULL)
    fonts = pdf_fonts(render(document, fmt="pdf"))
    assert "Liberation-Serif" in fonts or "TimesNewRoman" in fonts.replace(" ", "")
    assert "DejaVu" not in fonts  # no glyph fell back to another family
    from io import BytesIO

    from docx import Document

    docx = Document(BytesIO(render(document, fmt="docx")))
    assert docx.styles["Normal"].font.name == "Times New Roman"
    assert round(docx.sections[0].page_width.mm) == 148


def test_docx_form_01_lays_out_like_the_pdf(province):
    """The DOCX of form 01 fitted two A5 pages in LibreOffice while the PDF fits one: the QR
    code stood on its own line, the motto wrapped, "STT" broke into "ST/T". Now the QR code
    sits beside the fields (a borderless table), the tables have fixed widths and narrow cell
    padding, and the sizes are the PDF's."""
    from io import BytesIO

    from docx import Document
    from docx.oxml.ns import qn

    dossier = _receive(province)
    docx = Document(BytesIO(render(printing.build(dossier, RECEIPT, viewer=IN_FULL), fmt="docx")))
    assert docx.styles["Normal"].font.size.pt == 10.5
    header, beside, grid = docx.tables[:3]
    text_width = docx.sections[0].page_width - docx.sections[0].left_margin
    text_width -= docx.sections[0].right_margin
    motto = header.rows[0].cells[1]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto.text
    assert motto.width > 0.55 * text_width  # 58 %, as the PDF (pdf.py: the unit 42 %)
    fields, qr = beside.rows[0].cells
    assert dossier.code in fields.text and "Hoàng Thị Mai" in fields.text
    assert qr._tc.xpath(".//pic:pic") and not fields._tc.xpath(".//pic:pic")
    assert beside._tbl.tblPr.find(qn("w:tblBorders")) is None  # no frame around it
    assert grid.rows[0].cells[0].text == "STT"
    for table in (header, beside, grid):
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
    padding = grid._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    assert int(padding.get(qn("w:w"))) <= 60  # 1 mm, in twentieths of a point


def test_form_02_says_what_is_missing_and_stops_the_clock(province):
    dossier = _receive(province)
    actor = staff(dossier)
    services.dossier_assign(
        dossier=dossier, actor=actor, assignee=actor, at=local(2026, 11, 24, 8, 0)
    )
    reason = "Bổ sung bản sao Giấy chứng nhận đăng ký doanh nghiệp có chứng thực"
    services.dossier_supplement_request(
        dossier=dossier, actor=actor, reason=reason, at=local(2026, 11, 25, 14, 30)
    )
    dossier.refresh_from_db()
    assert [o.kind for o in printing.offered(dossier)] == [RECEIPT, SUPPLEMENT, CONTROL]
    pdf, docx = _both(printing.build(dossier, SUPPLEMENT, viewer=IN_FULL))
    for text in (pdf, docx):
        assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text.upper() and "Mẫu số 02" in text
        assert dossier.code in text and reason in text
        assert "14 giờ 30 phút, ngày 25/11/2026" in text  # the clock stops then
        assert "ngày làm việc" in text  # the working time left
        assert "Lý do" in text
        assert "0212 3850 111" not in text  # the handling agency writes it, not the center
        assert "SỞ CÔNG THƯƠNG" in text


def test_form_02_one_per_request_numbered(province):
    dossier = _receive(province)
    actor = staff(dossier)
    services.dossier_assign(
        dossier=dossier, actor=actor, assignee=actor, at=local(2026, 11, 24, 8, 0)
    )
    for i, day in enumerate((25, 27), start=1):
        services.dossier_supplement_request(
            dossier=dossier,
            actor=actor,
            reason=f"Thiếu giấy tờ lần {i}",
            at=local(2026, 11, day, 9, 0),
        )
        services.dossier_supplement_receive(
            dossier=dossier, actor=actor, at=local(2026, 11, day, 15, 0)
        )
    dossier.refresh_from_db()
    offers = [o for o in printing.offered(dossier) if o.kind == SUPPLEMENT]
    assert [(o.n, o.when) for o in offers] == [(1, "25/11/2026"), (2, "27/11/2026")]
    assert "Thiếu giấy tờ lần 1" in pdf_text(
        render(printing.build(dossier, SUPPLEMENT, 1, viewer=IN_FULL), fmt="pdf")
    )
    last = pdf_text(render(printing.build(dossier, SUPPLEMENT, viewer=IN_FULL), fmt="pdf"))
    assert "Thiếu giấy tờ lần 2" in last and "lần 1" not in last
    with pytest.raises(NotFound):
        printing.build(dossier, SUPPLEMENT, 3, viewer=IN_FULL)


def test_form_03_gives_the_reason_of_the_refusal(province):
    dossier = _receive(province)
    with pytest.raises(NotFound):
        printing.build(dossier, REFUSAL, viewer=IN_FULL)
    reason = "Cơ sở không thuộc quy hoạch mạng lưới kinh doanh rượu của tỉnh"
    services.dossier_refuse(
        dossier=dossier, actor=staff(dossier), reason=reason, at=local(2026, 11, 26, 10, 0)
    )
    dossier.refresh_from_db()
    assert REFUSAL in [o.kind for o in printing.offered(dossier)]
    pdf, docx = _both(printing.build(dossier, REFUSAL, viewer=IN_FULL))
    for text in (pdf, docx):
        assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text.upper() and "Mẫu số 03" in text
        assert reason in text and dossier.code in text
        assert "ngày 26 tháng 11 năm 2026" in text


def test_form_04_apologises_and_asks_to_extend_to_the_new_date(province):
    dossier = _receive(province)
    actor = staff(dossier)
    new_due = local(2026, 12, 10, 16, 0)
    services.dossier_apologize(
        dossier=dossier,
        actor=actor,
        new_due_at=new_due,
        reason="Cần xác minh thực tế tại cơ sở",
        at=local(2026, 12, 4, 9, 0),
    )
    dossier.refresh_from_db()
    pdf, docx = _both(printing.build(dossier, APOLOGY, viewer=IN_FULL))
    for text in (pdf, docx):
        assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text.upper()
        assert "Mẫu số 04" in text and dossier.code in text
        assert "Cần xác minh thực tế tại cơ sở" in text
        assert "gia hạn" in text and "16 giờ 00 phút, ngày 10/12/2026" in text
        assert clock_text(dossier.due_at) in text  # the legal due date it missed
        assert "Nơi nhận" in text and "ngày 04 tháng 12 năm 2026" in text
        assert str(actor) in text  # the official who issued it signs it


def test_form_05_notice_of_stopping(province):
    dossier = _receive(province)
    services.dossier_stop(
        dossier=dossier,
        actor=staff(dossier),
        reason="Quá thời hạn bổ sung mà tổ chức, cá nhân không bổ sung hồ sơ",
        notice_number="15/TB-SCT",
        at=local(2026, 12, 1, 10, 0),
    )
    dossier.refresh_from_db()
    assert STOP in [o.kind for o in printing.offered(dossier)]
    pdf, docx = _both(printing.build(dossier, STOP, viewer=IN_FULL))
    for text in (pdf, docx):
        assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text.upper() and "Mẫu số 05" in text
        assert "Số: 15/TB-SCT" in text and dossier.code in text
        assert "Quá thời hạn bổ sung mà tổ chức, cá nhân không bổ sung hồ sơ" in text
        assert "118/2025" in text
        assert str(staff(dossier)) in text  # the official who stopped it signs it


def test_form_06_one_row_per_hand_over_with_on_time_status(province):
    dossier = _receive(province)
    counter = staff(province["center"])
    actor = staff(dossier)
    services.dossier_assign(
        dossier=dossier, actor=actor, assignee=actor, at=local(2026, 11, 23, 14, 0)
    )
    services.dossier_supplement_request(
        dossier=dossier, actor=actor, reason="Thiếu bản cam kết", at=local(2026, 11, 24, 9, 0)
    )
    services.dossier_supplement_receive(dossier=dossier, actor=actor, at=local(2026, 11, 26, 9, 0))
    services.dossier_resolve(
        dossier=dossier, actor=actor, result="Giấy phép số 12", at=local(2026, 11, 30, 10, 0)
    )
    services.dossier_deliver(
        dossier=dossier, actor=counter, delivery_channel="counter", at=local(2026, 12, 1, 9, 0)
    )
    dossier.refresh_from_db()
    events = list(dossier.events.order_by("seq"))
    with translation.override("vi"):
        table = control_rows(dossier, events)
    assert len(table) == 6  # receive, assign, request, supplement received, resolve, deliver
    # The resolution's status is the one rule of dossiers.deadlines.
    with translation.override("vi"):
        expected = str(closed_status(closed_at=dossier.closed_at, due_at=dossier.due_at).label)
    assert table[4][2].lower() == expected.lower()
    assert table[3][2] and table[2][2]  # during and after the stop the row says so
    pdf, docx = _both(printing.build(dossier, CONTROL, viewer=IN_FULL))
    for text in (pdf, docx):
        assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text.upper() and "Mẫu số 06" in text
        assert dossier.code in text
        assert "1. Giao: Hoàng Thị Mai" in text and "2. Nhận:" in text
        assert (
            "14 giờ 00 phút, ngày 23/11/2026" in text and "09 giờ 00 phút, ngày 01/12/2026" in text
        )
        assert expected.capitalize() in text
    _pages, size = pdf_pages_and_size(
        render(printing.build(dossier, CONTROL, viewer=IN_FULL), fmt="pdf")
    )
    assert size.startswith("595.2") and "x 841.8" in size  # A4 portrait


def test_form_set_chosen_by_reception_date(province):
    assert form_set_for(dt.date(2025, 9, 14)) == SET_2018
    assert form_set_for(dt.date(2025, 9, 15)) == SET_2025
    old = _receive(province, at=local(2025, 9, 12, 9, 0))
    new = _receive(province, at=local(2025, 9, 15, 9, 0))
    for dossier in (old, new):
        services.dossier_apologize(
            dossier=dossier,
            actor=staff(dossier),
            new_due_at=dossier.due_at + dt.timedelta(days=7),
            reason="Chờ ý kiến cơ quan phối hợp",
            at=dossier.due_at - dt.timedelta(hours=2),
        )
    old_apology = pdf_text(render(printing.build(old, APOLOGY, viewer=IN_FULL), fmt="pdf"))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in old_apology.upper()
    assert "Mẫu số 04" in old_apology
    assert printing.build(old, APOLOGY, viewer=IN_FULL).meta["circular"] == SET_2018
    assert printing.build(new, APOLOGY, viewer=IN_FULL).meta["circular"] == SET_2025
    assert "gia hạn" not in old_apology
    new_apology = pdf_text(render(printing.build(new, APOLOGY, viewer=IN_FULL), fmt="pdf"))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN" in new_apology.upper()
    # The control sheet is 2018's form 05, 2025's form 06.
    assert "Mẫu số 05" in pdf_text(render(printing.build(old, CONTROL, viewer=IN_FULL), fmt="pdf"))
    assert "Mẫu số 06" in pdf_text(render(printing.build(new, CONTROL, viewer=IN_FULL), fmt="pdf"))
    menu_old = {o.kind: o.number for o in printing.offered(old)}
    assert menu_old[CONTROL] == "05" and menu_old[APOLOGY] == "04"


@override_settings(MOTCUA_DOCUMENT_PLACE="Sơn Lâm")
def test_place_and_date_line_from_the_setting(province):
    dossier = _receive(province)
    text = pdf_text(render(printing.build(dossier, RECEIPT, viewer=IN_FULL), fmt="pdf"))
    assert "Sơn Lâm, ngày 23 tháng 11 năm 2026" in text


def test_form_06_of_an_imported_dossier_shows_what_the_import_recorded(province):
    from motcua.dossiers.interchange import import_dossier_records

    procedure = province["procedure"]
    import_dossier_records(
        [
            {
                "code": "IMP-1",
                "agency_code": province["department"].code,
                "procedure_code": procedure.code,
                "channel": "direct",
                "received_at": "2026-03-02T09:00:00+07:00",
                "outcome": "resolved",
                "closed_at": "2026-03-05T10:00:00+07:00",
                "delivered_at": "2026-03-06T08:30:00+07:00",
                "delivery_channel": "counter",
            }
        ]
    )
    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.get(code="IMP-1")
    with translation.override("vi"):
        table = control_rows(dossier, list(dossier.events.order_by("seq")))
        early = str(closed_status(closed_at=dossier.closed_at, due_at=dossier.due_at).label)
    assert [row[1] for row in table] == [
        "09 giờ 00 phút, ngày 02/03/2026",
        "10 giờ 00 phút, ngày 05/03/2026",
        "08 giờ 30 phút, ngày 06/03/2026",
    ]
    assert table[1][2].lower() == early.lower() == "trước hạn"
    text = pdf_text(render(printing.build(dossier, CONTROL, viewer=IN_FULL), fmt="pdf"))
    assert "IMP-1" in text and "Nhập từ hệ thống khác" in text
