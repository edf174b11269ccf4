"""Benchmark: rendering printed forms — one dossier form, and registers (form 07) of growing
length in each format, to set ``dossiers.printing.register.MAX_ROWS``.

Run from the project root: ``.venv/bin/python benchmarks/bench_forms.py [--rows 100,200,400,800]``.
No database: the documents are built from the model directly (``core.documents``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def register_rows(n: int) -> tuple[tuple[str, ...], ...]:
    """``n`` sample rows of form 07's register (also bench_pdf_tables.py's)."""
    return tuple(
        (
            str(i),
            f"000.00.05.H23-261116-{i:04d}",
            "Cấp giấy phép bán lẻ rượu",
            "Hoàng Thị Mai",
            "Số 5 đường Chu Văn An, 0912345678",
            "Sở Công Thương",
            "16/11/2026",
            "01/12/2026",
            "",
            "",
            "",
        )
        for i in range(1, n + 1)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="100,200,400,800")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from motcua.core.documents import Document, Fields, Header, Paragraph, Table, render

    header = Header(unit="Trung tâm Phục vụ hành chính công", parent="UBND tỉnh Sơn Lâm")
    form = Document(
        header=header,
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        paper="A5",
        blocks=(
            Fields(
                (("Mã hồ sơ", "000.00.05.H23-261116-0001"), ("Người nộp hồ sơ", "Hoàng Thị Mai"))
            ),
            Table(
                columns=("STT", "Giấy tờ", "Bản chính", "Bản sao"), rows=(("1", "Đơn", "1", "0"),)
            ),
            Paragraph("5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 10/12/2026"),
        ),
    )
    for fmt in ("pdf", "docx"):
        render(form, fmt=fmt)  # warm up (imports, fonts)
        start = time.perf_counter()
        for _ in range(5):
            render(form, fmt=fmt)
        print(f"form 01 {fmt}: {(time.perf_counter() - start) / 5 * 1000:.0f} ms")
    for n in (int(x) for x in args.rows.split(",")):
        rows = register_rows(n)
        register = Document(
            header=header,
            title="Sổ theo dõi hồ sơ",
            orientation="landscape",
            blocks=(Table(columns=tuple("abcdefghijk"), rows=rows, dense=True),),
        )
        for fmt in ("xlsx", "docx", "pdf"):
            start = time.perf_counter()
            render(register, fmt=fmt)
            print(f"register {n} rows {fmt}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
