"""A document as a print-ready PDF (WeasyPrint): A4 or A5, Decree 30/2020 layout, Times New
Roman or its metric twin Liberation Serif (installed by the project's setup)."""

from __future__ import annotations

import base64
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from motcua.core.cleaning import printable
from motcua.core.documents.model import (
    MOTTO,
    MOTTO_LINE_2,
    Document,
    Fields,
    Image,
    Paragraph,
    Signature,
    Table,
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
"""


def _e(text: str) -> str:
    return escape(printable(str(text)))


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in str(text).split("\n"))


def _header(document: Document) -> str:
    h = document.header
    left = []
    if h.parent:
        left.append(f'<div class="upper">{_e(h.parent)}</div>')
    left.append(f'<div class="upper"><b>{_e(h.unit)}</b></div><div class="rule"></div>')
    if h.number:
        left.append(f"<div>{_e(h.number)}</div>")
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
        attr = f' style="{";".join(style)}"' if style else ""
        cls = ' class="indent"' if block.indent and block.align == "justify" else ""
        if not block.indent and block.align == "justify":
            style.append("text-align:left")
            attr = f' style="{";".join(style)}"'
        return f"<p{cls}{attr}>{_lines(block.text)}</p>"
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
        parts.append('<table class="grid dense">' if block.dense else '<table class="grid">')
        if block.widths:
            total = sum(block.widths)
            parts.append(
                "<colgroup>"
                + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in block.widths)
                + "</colgroup>"
            )
        parts.append(
            "<thead><tr>" + "".join(f"<th>{_lines(c)}</th>" for c in block.columns) + "</tr>"
        )
        if block.numbers:
            parts.append(
                '<tr class="numbers">'
                + "".join(f"<td>({n})</td>" for n in range(1, len(block.columns) + 1))
                + "</tr>"
            )
        parts.append("</thead><tbody>")
        for row in block.rows:
            cells = "".join(
                f"<td{' class=num' if str(v).isdigit() else ''}>{_lines(v)}</td>" for v in row
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
        return "".join(parts)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<div>{_e(block.caption)}</div>" if block.caption else ""
        cls = "image float" if block.float_right else "image"
        return (
            f'<div class="{cls}"><img src="data:image/png;base64,{data}" '
            f'style="width:{block.width_mm}mm" alt="">{caption}</div>'
        )
    raise TypeError(f"not a document block: {block!r}")


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


def html(document: Document) -> str:
    size, margins, body = _PAGE[document.paper]
    if document.orientation == "landscape":
        margins = "15mm 15mm 15mm 20mm"
    css = _CSS % {
        "size": size,
        "orientation": document.orientation,
        "margins": margins,
        "font": FONT_STACK,
        "body": body,
        "head": "0.9em" if document.paper == "A5" else "0.95em",
        "sign_gap": "40pt" if document.paper == "A5" else "56pt",
    }
    top = ""
    if document.sample:
        top += '<div class="sample">MẪU</div>'
    if document.form_label:
        top += f'<div class="corner">{_e(document.form_label)}</div>'
    title = f"<h1>{_lines(document.title)}</h1>"
    if document.subtitle:
        title += f"<h2>{_lines(document.subtitle)}</h2>"
    body_html = "".join(_block(block) for block in document.blocks)
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{_e(document.title)}'
        f"</title><style>{css}</style></head><body>{top}{_header(document)}{title}"
        f'<div class="titlegap"></div>{body_html}{_signatures(document)}</body></html>'
    )


def render_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow

    with cyclic_gc_paused():
        return HTML(string=html(document)).write_pdf()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint lays out (every PDF of the project: the
    forms here, the reports in ``stats/reports/pdf.py``). It makes hundreds of thousands of
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
