"""Benchmark: the shared PDF renderer (``core.documents.pdf.render_pdf``) on documents shaped
like the reports (issue 12: any single report document within 1 s).

No database: the documents are built from the model (``core.documents``) with fixed, made-up
content, so two checkouts render exactly the same documents:

- ``province``: a narrative report the size of the province's: about 40 paragraphs, a chart
  (PNG), a late list of 64 rows × 8 columns and a Biểu 06-sized table of 106 rows × 16 short
  numeric cells. The model has one heading row per table, so Biểu 06's two grouped heading
  rows are emulated by two-line headings ("group / column") and its row of column numbers;
- ``commune``: the same with 12 rows in Biểu 06 and 3 late dossiers (the round's small PDFs);
- ``register``: form 07, the dossier register (landscape, dense, ``--register-rows`` rows);
- ``receipt``: form 01 on A5, a one-page form (the fixed cost of a document).

Each document is rendered once to warm up (imports, fonts), then ``--repeat`` times; the
figures are the best process CPU time (and wall time) in ms. The target: the province's
document within 1 s of CPU.

Run from the project root::

    .venv/bin/python benchmarks/bench_pdf_tables.py [--repeat 5] [--register-rows 300]
    BENCH_ROOT=/work/main .venv/bin/python benchmarks/bench_pdf_tables.py   # another checkout
    .venv/bin/python benchmarks/bench_pdf_tables.py --compare /work/main --rounds 3
    .venv/bin/python benchmarks/bench_pdf_tables.py --dump /tmp/pdfs      # keep the PDFs

``--compare OTHER`` runs this script on OTHER and on this checkout alternately, ``--rounds``
times each (a shared machine's load moves between runs), and prints the best of each side and
the CPU ratio other/this per document.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
ROOT = Path(os.environ.get("BENCH_ROOT") or HERE)
TARGET_CPU = 1.0  # seconds, the province's report
DOCUMENTS = ("province", "commune", "register", "receipt")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _figure(i: int, j: int) -> str:
    value = (i * 37 + j * 11) % 97 * (3 if j % 4 == 0 else 1)
    return f"{value:,}".replace(",", ".")


def _chart() -> bytes:
    from motcua.stats.reports.charts import resolution_chart

    counters = {
        "received": {"by_channel": {"online": 12_480, "direct": 8_911, "postal": 402}},
        "resolved": {"early": 9_876, "on_time": 7_654, "late": 321},
    }
    return resolution_chart(counters)


GROUPS = (("Nhận", 4), ("Đã giải quyết", 4), ("Đang giải quyết", 3), ("Không kết quả", 3))


def _columns() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Biểu 06's sub-headings and the late list's columns, as the reports print them."""
    from motcua.stats.reports import form06, narrative

    return form06.SUBHEADERS, narrative.LATE_COLUMNS


def _form06(rows: int):
    from motcua.core.documents import Table

    groups = [name for name, width in GROUPS for _ in range(width)]
    columns = ("STT", "Lĩnh vực, đơn vị") + tuple(
        f"{group}\n{sub}" for group, sub in zip(groups, _columns()[0], strict=True)
    )
    body = []
    for i in range(rows):
        if i % 30 == 0:
            body.append(("I" if i == 0 else "II", "Theo đơn vị") + ("",) * 14)
            continue
        label = f"Lĩnh vực số {i}" if i < 30 else f"UBND xã Tân Phú {i}"
        body.append((str(i), label) + tuple(_figure(i, j) for j in range(14)))
    return Table(
        columns=columns,
        rows=tuple(body),
        widths=(4, 20) + (5.4,) * 14,
        caption="Biểu số 06. Tình hình, kết quả giải quyết TTHC",
        numbers=True,
        dense=True,
    )


def _late(rows: int):
    from motcua.core.documents import Table

    body = tuple(
        (
            str(i),
            f"000.00.05.H23-2611{i % 28 + 1:02d}-{i:04d}",
            f"1.00{i % 9}{i % 7}12 - Cấp giấy phép kinh doanh số {i}",
            f"{i % 28 + 1:02d}/11/2026",
            f"{i % 28 + 2:02d}/11/2026",
            "Đang giải quyết" if i % 3 else f"{i % 27 + 3:02d}/12/2026",
            "Có (hẹn lại 15/12/2026)" if i % 2 else "Không",
            "Chờ ý kiến cơ quan phối hợp" if i % 2 else "",
        )
        for i in range(1, rows + 1)
    )
    return Table(columns=_columns()[1], rows=body, widths=(3, 12, 18, 8, 8, 9, 9, 12))


def _paragraphs(count: int):
    from motcua.core.documents import Paragraph

    blocks = []
    for i in range(count):
        if i % 8 == 0:
            blocks.append(Paragraph(f"{i // 8 + 1}. Kết quả giải quyết TTHC", bold=True))
            continue
        blocks.append(
            Paragraph(
                f"Trong kỳ báo cáo, tổng số hồ sơ tiếp nhận là {1000 + i * 37:,} hồ sơ, trong đó "
                f"tiếp nhận trực tuyến {400 + i * 13:,} hồ sơ (một phần {200 + i:,}, toàn trình "
                f"{150 + i:,}), trực tiếp và qua dịch vụ bưu chính công ích {600 + i * 24:,} hồ sơ;"
                f" số hồ sơ đã giải quyết {900 + i * 31:,}, tỷ lệ đúng hạn {90 + i % 10},{i % 10}%.".replace(
                    ",", "."
                )
            )
        )
    return blocks


def report(*, form06_rows: int, late_rows: int, paragraphs: int):
    from motcua.core.documents import Document, Header, Image, Paragraph, Signature

    body = _paragraphs(paragraphs)
    middle = len(body) // 2
    blocks = (
        *body[:middle],
        Image(_chart(), width_mm=150),
        *body[middle:],
        Paragraph("Danh sách hồ sơ giải quyết quá hạn:", indent=False),
        _late(late_rows),
        _form06(form06_rows),
    )
    return Document(
        header=Header(
            unit="Sở Công Thương",
            parent="UBND tỉnh Sơn Lâm",
            number="Số: 215/BC-SCT",
            place_date="Sơn Lâm, ngày 05 tháng 12 năm 2026",
        ),
        title="Báo cáo",
        subtitle="Tình hình, kết quả giải quyết thủ tục hành chính tháng 11 năm 2026",
        blocks=blocks,
        signatures=(Signature("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "", "Nguyễn Văn B"),),
        recipients=("Văn phòng Chính phủ (Cục Kiểm soát TTHC);", "UBND tỉnh;", "Lưu: VT."),
        filename="bao-cao",
    )


def register(rows: int):
    from bench_forms import register_rows as sample_rows  # bench_forms.py's rows

    from motcua.core.documents import Document, Header, Paragraph, Signature, Table

    body = sample_rows(rows)
    columns = (
        "STT",
        "Mã hồ sơ",
        "Thủ tục",
        "Người nộp",
        "Địa chỉ, điện thoại",
        "Cơ quan chủ trì",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày trả kết quả",
        "Hình thức nhận kết quả",
        "Ký nhận",
    )
    return Document(
        header=Header(unit="Trung tâm Phục vụ hành chính công", parent="UBND tỉnh Sơn Lâm"),
        title="Sổ theo dõi hồ sơ",
        subtitle="Từ 01/11/2026 đến 30/11/2026",
        form_label="Mẫu số 07",
        orientation="landscape",
        blocks=(
            Table(
                columns=columns,
                rows=body,
                widths=(0.7, 3.3, 3, 1.7, 2, 1.7, 1.45, 1.45, 1.45, 1.3, 1),
                dense=True,
                numbers=True,
            ),
            Paragraph("Sổ có 1 trang.", italic=True, indent=False),
        ),
        signatures=(Signature("Người lập sổ", "(Ký, ghi rõ họ tên)"),),
    )


def receipt():
    from motcua.core.documents import Document, Fields, Header, Paragraph, Signature, Table

    return Document(
        header=Header(
            unit="Trung tâm Phục vụ hành chính công",
            parent="UBND tỉnh Sơn Lâm",
            number="Số: 0001/TN-TTPVHCC",
            place_date="Sơn Lâm, ngày 16 tháng 11 năm 2026",
        ),
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        form_label="Mẫu số 01",
        paper="A5",
        blocks=(
            Fields(
                (
                    ("Mã hồ sơ", "000.00.05.H23-261116-0001"),
                    ("Người nộp hồ sơ", "Hoàng Thị Mai"),
                    ("Thủ tục", "Cấp giấy phép bán lẻ rượu"),
                )
            ),
            Table(
                columns=("STT", "Giấy tờ", "Bản chính", "Bản sao"),
                rows=(("1", "Đơn đề nghị", "1", "0"), ("2", "Bản sao giấy phép", "0", "1")),
                widths=(1, 6, 1.5, 1.5),
            ),
            Paragraph("Thời gian trả kết quả: 09 giờ 00 phút, ngày 10/12/2026"),
        ),
        signatures=(
            Signature("Người nộp hồ sơ", "(Ký, ghi rõ họ tên)"),
            Signature("Người tiếp nhận", "(Ký, ghi rõ họ tên)", "Trần Văn C"),
        ),
    )


def build(name: str, register_rows: int):
    if name == "province":
        return report(form06_rows=106, late_rows=64, paragraphs=40)
    if name == "commune":
        return report(form06_rows=12, late_rows=3, paragraphs=40)
    if name == "register":
        return register(register_rows)
    return receipt()


def measure(args) -> dict[str, dict[str, float]]:
    setup()
    import motcua
    from motcua.core.documents.pdf import render_pdf

    assert Path(motcua.__file__).resolve().is_relative_to(ROOT.resolve()), motcua.__file__
    results = {}
    for name in args.documents.split(","):
        document = build(name, args.register_rows)
        data = render_pdf(document)  # warm-up: imports, fonts
        best_cpu = best_wall = float("inf")
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            render_pdf(document)
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            (Path(args.dump) / f"{name}.pdf").write_bytes(data)
        results[name] = {"cpu": best_cpu, "wall": best_wall, "kb": len(data) / 1024}
    return results


def show(title: str, results: dict[str, dict[str, float]]) -> None:
    print(title, flush=True)
    for name, r in results.items():
        print(
            f"  {name:9s} CPU {r['cpu'] * 1000:7.0f} ms   wall {r['wall'] * 1000:7.0f} ms   "
            f"{r['kb']:6.0f} KiB",
            flush=True,
        )


def compare(args) -> int:
    other = Path(args.compare).resolve()
    best: dict[Path, dict[str, dict[str, float]]] = {other: {}, HERE: {}}
    for round_ in range(args.rounds):
        for root in (other, HERE):
            env = dict(os.environ, BENCH_ROOT=str(root))
            command = [sys.executable, __file__, "--json", "--repeat", str(args.repeat)]
            command += ["--register-rows", str(args.register_rows), "--documents", args.documents]
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            results = json.loads(out.stdout.strip().splitlines()[-1])
            show(f"round {round_ + 1}, {root} ({commit(root)}), load {load()}", results)
            for name, r in results.items():
                mine = best[root].setdefault(name, r)
                for key in ("cpu", "wall"):
                    mine[key] = min(mine[key], r[key])
    print(f"best of {args.rounds} rounds × {args.repeat} renders, CPU ms: other / this = ratio")
    for name in best[HERE]:
        a, b = best[other][name]["cpu"], best[HERE][name]["cpu"]
        print(f"  {name:9s} {a * 1000:7.0f} / {b * 1000:7.0f} = {a / b:.2f}×")
    return verdict(best[HERE])


def verdict(results: dict[str, dict[str, float]]) -> int:
    if "province" not in results:
        return 0
    ok = results["province"]["cpu"] <= TARGET_CPU
    print(
        f"province-sized report: {results['province']['cpu'] * 1000:.0f} ms CPU, target "
        f"{TARGET_CPU * 1000:.0f} ms: {'held' if ok else 'MISSED'} (load {load()})"
    )
    return 0 if ok else 1


def commit(root: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], text=True, capture_output=True
    )
    return out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--register-rows", type=int, default=300)
    parser.add_argument("--documents", default=",".join(DOCUMENTS))
    parser.add_argument("--dump", help="write each document's PDF into this folder")
    parser.add_argument("--compare", help="another checkout, run alternately with this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        return compare(args)
    results = measure(args)
    if args.json:
        print(json.dumps(results))
        return 0
    show(f"{ROOT} ({commit(ROOT)}), best of {args.repeat}, load {load()}", results)
    return verdict(results)


if __name__ == "__main__":
    sys.exit(main())
