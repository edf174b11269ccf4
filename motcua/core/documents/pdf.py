"""A document as a print-ready PDF (WeasyPrint): A4 or A5, Decree 30/2020 layout, Times New
Roman or its metric twin Liberation Serif (installed by the project's setup)."""

from __future__ import annotations

import base64
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from typing import Any

from motcua.core.cleaning import printable
from motcua.core.documents.model import (
    MOTTO,
    MOTTO_LINE_2,
    Document,
    Fields,
    Heading,
    Image,
    Paragraph,
    Signature,
    Table,
    cell_text,
    header_grid,
)

# Times New Roman where it is installed; Liberation Serif has the same metrics.
FONT_STACK = '"Times New Roman", "Liberation Serif", "Tinos", serif'

_PAGE = {
    # paper: (size, margins top right bottom left, body font size)
    "A4": ("A4", "20mm 15mm 20mm 30mm", "13pt"),
    "A5": ("A5", "10mm 10mm 10mm 15mm", "10.5pt"),
}

_CSS = """
@page { size: %(size)s %(orientation)s; margin: %(margins)s;
        @bottom-right { content: counter(page) "/" counter(pages); font-size: 8pt;
                        font-family: %(font)s; } }
body { font-family: %(font)s; font-size: %(body)s; line-height: 1.25; margin: 0; }
.corner { text-align: right; font-weight: bold; margin: 0 0 2pt; }
.sample { text-align: right; font-weight: bold; font-size: 16pt; margin: 0 0 2pt; }
table.head { width: 100%%; border-collapse: collapse; font-size: %(head)s; }
table.head td.motto { white-space: nowrap; }
table.head td { text-align: center; vertical-align: top; padding: 0; }
table.head td.unit { width: 42%%; }
.upper { text-transform: uppercase; }
.rule { width: 30%%; margin: 1pt auto 3pt; border-top: 0.6pt solid #000; height: 0; }
.motto2 { font-weight: bold; }
.motto2 span { border-bottom: 0.6pt solid #000; padding-bottom: 1pt; }
.place { font-style: italic; margin-top: 8pt; }
h1 { text-align: center; font-size: 1.08em; font-weight: bold; text-transform: uppercase;
     margin: 14pt 0 0; }
h2 { text-align: center; font-size: 1em; font-weight: bold; margin: 2pt 0 0; }
.titlegap { margin-bottom: 10pt; }
p { margin: 0 0 4pt; text-align: justify; }
p.indent { text-indent: 10mm; }
table.grid { width: 100%%; border-collapse: collapse; margin: 4pt 0 6pt; font-size: 0.85em;
             table-layout: fixed; }
table.grid th, table.grid td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: top;
                               text-align: left; overflow-wrap: anywhere; }
table.grid th { text-align: center; vertical-align: middle; }
table.grid td.num, table.grid tr.numbers td { text-align: center; }
table.grid tr { break-inside: avoid; }
table.grid.dense { font-size: 0.74em; }
.caption { font-weight: bold; margin: 6pt 0 2pt; }
.image { text-align: right; margin: 0 0 2pt; }
.image.float { float: right; margin: 0 0 2pt 6pt; text-align: center; width: 26mm; }
.image.float div { font-size: 7pt; }
p.field { margin: 0 0 1.5pt; text-align: left; }
div.fields { margin: 0 0 4pt; }
.image div { font-size: 0.8em; }
table.sign { width: 100%%; border-collapse: collapse; margin-top: 10pt; break-inside: avoid; }
table.sign td { vertical-align: top; padding: 0; }
td.recipients { width: 45%%; font-size: 0.85em; }
td.recipients b { font-style: italic; font-size: 1.1em; }
td.signer { text-align: center; }
td.signer .title { font-weight: bold; text-transform: uppercase; }
td.signer .note { font-style: italic; font-size: 0.9em; }
td.signer .name { font-weight: bold; margin-top: %(sign_gap)s; }
.annex { break-before: page; }
table.head .number { white-space: pre; }
h3.section { font-size: 1em; font-weight: bold; margin: 6pt 0 4pt; break-after: avoid; }
table.grid tr.b { font-weight: bold; }
table.grid td.r { text-align: right; }
p.note { font-style: italic; text-indent: 0; text-align: left; }
"""


def _e(text: str) -> str:
    return escape(printable(str(text)))


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in str(text).split("\n"))


def _header(document: Document) -> str:
    h = document.header
    left = []
    if h.parent:
        parent = f"<b>{_e(h.parent)}</b>" if h.parent_bold else _e(h.parent)
        left.append(f'<div class="upper">{parent}</div>')
    left.append(f'<div class="upper"><b>{_e(h.unit)}</b></div><div class="rule"></div>')
    if h.number:
        left.append(f'<div class="number">{_e(h.number)}</div>')
    right = (
        f'<div><b>{_e(MOTTO)}</b></div><div class="motto2"><span>{_e(MOTTO_LINE_2)}</span></div>'
    )
    if h.place_date:
        right += f'<div class="place">{_e(h.place_date)}</div>'
    return (
        f'<table class="head"><tr><td class="unit">{"".join(left)}</td>'
        f'<td class="motto">{right}</td></tr></table>'
    )


def _block(block: object) -> str:
    if isinstance(block, Paragraph):
        style = []
        if block.bold:
            style.append("font-weight:bold")
        if block.italic:
            style.append("font-style:italic")
        if block.align != "justify":
            style.append(f"text-align:{block.align}")
        if block.size_pt:
            style.append(f"font-size:{block.size_pt}pt")
        attr = f' style="{";".join(style)}"' if style else ""
        cls = ' class="indent"' if block.indent and block.align == "justify" else ""
        if not block.indent and block.align == "justify":
            style.append("text-align:left")
            attr = f' style="{";".join(style)}"'
        return f"<p{cls}{attr}>{_lines(block.text)}</p>"
    if isinstance(block, Heading):
        return f'<h3 class="section">{_lines(block.text)}</h3>'
    if isinstance(block, Fields):
        rows = "".join(
            f'<p class="field"><span class="label">{_e(label)}:</span> {_lines(value)}</p>'
            for label, value in block.rows
        )
        return f'<div class="fields">{rows}</div>'
    if isinstance(block, Table):
        parts = []
        if block.caption:
            parts.append(f'<div class="caption">{_e(block.caption)}</div>')
        table = '<table class="grid dense"' if block.dense else '<table class="grid"'
        size = f' style="font-size:{block.font_pt}pt"' if block.font_pt else ""
        parts.append(f"{table}{size}>")
        if block.widths:
            total = sum(block.widths)
            parts.append(
                "<colgroup>"
                + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in block.widths)
                + "</colgroup>"
            )
        parts.append("<thead>" + _head(block))
        if block.numbers:
            parts.append(
                '<tr class="numbers">'
                + "".join(f"<td>({n})</td>" for n in range(1, len(block.columns) + 1))
                + "</tr>"
            )
        parts.append("</thead><tbody>")
        classes = [_ALIGN_CLASS[a] for a in block.align]
        classes += [""] * (len(block.columns) - len(classes)) if classes else []
        bold = set(block.bold_rows)
        for r, row in enumerate(block.rows):
            if classes:
                cells = "".join(
                    f"<td{c}>{_lines(cell_text(v))}</td>"
                    for c, v in zip(classes, row, strict=False)
                )
            else:
                cells = "".join(
                    f"<td{' class=num' if _numeric(v) else ''}>{_lines(cell_text(v))}</td>"
                    for v in row
                )
            parts.append(f"<tr class=b>{cells}</tr>" if r in bold else f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
        parts.extend(f'<p class="note">{_lines(note)}</p>' for note in block.notes)
        return "".join(parts)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<div>{_e(block.caption)}</div>" if block.caption else ""
        cls = "image float" if block.float_right else "image"
        place = ""
        if not block.float_right and block.align != "right":
            place = f' style="text-align:{block.align}"'
        return (
            f'<div class="{cls}"{place}><img src="data:image/png;base64,{data}" '
            f'style="width:{block.width_mm}mm" alt="">{caption}</div>'
        )
    raise TypeError(f"not a document block: {block!r}")


_ALIGN_CLASS = {"center": " class=num", "right": " class=r", "left": "", "justify": ""}


def _numeric(value: object) -> bool:
    return isinstance(value, int) or str(value).isdigit()


def _head(table: Table) -> str:
    """The header rows: the column headings, or the grouped rows of ``head`` with their spans."""
    if not table.head:
        return "<tr>" + "".join(f"<th>{_lines(c)}</th>" for c in table.columns) + "</tr>"
    rows: list[list[str]] = [[] for _ in table.head]
    for r, _c, cell in header_grid(table):
        span = ""
        if cell.colspan > 1:
            span += f' colspan="{cell.colspan}"'
        if cell.rowspan > 1:
            span += f' rowspan="{cell.rowspan}"'
        rows[r].append(f"<th{span}>{_lines(cell.text)}</th>")
    return "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)


def _signer(signature: Signature) -> str:
    note = f'<div class="note">{_e(signature.note)}</div>' if signature.note else ""
    name = _e(signature.name) if signature.name else "&nbsp;"
    return (
        f'<td class="signer"><div class="title">{_lines(signature.title)}</div>{note}'
        f'<div class="name">{name}</div></td>'
    )


def _signatures(document: Document) -> str:
    if not document.signatures and not document.recipients:
        return ""
    cells = []
    if document.recipients:
        lines = "<br>".join(f"- {_e(r)}" for r in document.recipients)
        cells.append(f'<td class="recipients"><b>Nơi nhận:</b><br>{lines}</td>')
    elif len(document.signatures) == 1:
        cells.append('<td class="recipients"></td>')  # the signer stands on the right half
    cells.extend(_signer(s) for s in document.signatures)
    return f'<table class="sign"><tr>{"".join(cells)}</tr></table>'


def css(paper: str = "A4", orientation: str = "portrait") -> str:
    """The stylesheet of the documents of ``paper`` and ``orientation``."""
    size, margins, body = _PAGE[paper]
    if orientation == "landscape":
        margins = "15mm 15mm 15mm 20mm"
    return _CSS % {
        "size": size,
        "orientation": orientation,
        "margins": margins,
        "font": FONT_STACK,
        "body": body,
        "head": "0.9em" if paper == "A5" else "0.95em",
        "sign_gap": "40pt" if paper == "A5" else "56pt",
    }


def html(document: Document, *, styled: bool = True) -> str:
    """The document as HTML, with its stylesheet inside unless ``styled`` is False (the PDF
    renderer passes the stylesheet parsed once: :func:`engine`)."""
    style = f"<style>{css(document.paper, document.orientation)}</style>" if styled else ""
    top = ""
    if document.sample:
        top += '<div class="sample">MẪU</div>'
    if document.form_label:
        top += f'<div class="corner">{_e(document.form_label)}</div>'
    title = f"<h1>{_lines(document.title)}</h1>"
    if document.subtitle:
        title += f"<h2>{_lines(document.subtitle)}</h2>"
    body_html = "".join(_block(block) for block in document.blocks)
    annexes = "".join(
        '<div class="annex">' + "".join(_block(block) for block in annex) + "</div>"
        for annex in document.annexes
    )
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{_e(document.title)}'
        f"</title>{style}</head><body>{top}{_header(document)}{title}"
        f'<div class="titlegap"></div>{body_html}{_signatures(document)}{annexes}</body></html>'
    )


# WeasyPrint's image cache is kept for this many documents: the charts repeat (many communes
# share their figures) and a cached image is neither decoded nor compressed again.
IMAGE_CACHE_DOCUMENTS = 64


@dataclass
class _Engine:
    """What every PDF of a process shares: the font configuration (fontconfig and Pango's font
    map, loaded once), the parsed stylesheet of each page set-up and the image cache."""

    pid: int
    html: Any
    fonts: Any
    stylesheets: dict[tuple[str, str], Any] = field(default_factory=dict)
    images: dict[str, Any] = field(default_factory=dict)
    documents: int = 0

    def stylesheet(self, paper: str, orientation: str) -> Any:
        key = (paper, orientation)
        if key not in self.stylesheets:
            from weasyprint import CSS

            self.stylesheets[key] = CSS(string=css(paper, orientation), font_config=self.fonts)
        return self.stylesheets[key]


_engine: _Engine | None = None


def engine() -> _Engine:
    """The process's WeasyPrint setup, made on first use (and again in a forked child: Pango's
    objects are not shared across a fork)."""
    global _engine
    if _engine is None or _engine.pid != os.getpid():
        from weasyprint import HTML  # imported here: loading Pango is slow
        from weasyprint.text.fonts import FontConfiguration

        _engine = _Engine(pid=os.getpid(), html=HTML, fonts=FontConfiguration())
    return _engine


def render_pdf(document: Document) -> bytes:
    shared = engine()
    shared.documents += 1
    if shared.documents % IMAGE_CACHE_DOCUMENTS == 0:
        shared.images.clear()
    stylesheet = shared.stylesheet(document.paper, document.orientation)
    with cyclic_gc_paused():
        return shared.html(string=html(document, styled=False)).write_pdf(
            stylesheets=[stylesheet], font_config=shared.fonts, cache=shared.images
        )


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint lays out (every PDF of the project: the
    forms, the statistics and control reports). It makes hundreds of thousands of
    short-lived objects, and the collections they set off (about 500 for the province's report,
    each walking every object of the process) took about a third of the time. The document's
    garbage is collected once afterwards, as usual; the peak memory is some 30 MB higher."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
