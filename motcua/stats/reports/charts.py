"""Charts for the documents: matplotlib (Agg backend), PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import matplotlib
import PIL.Image

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from motcua.stats.reports.formatting import fmt_int, fmt_rate, shares  # noqa: E402
from motcua.stats.reports.narrative import get  # noqa: E402

FONT = "DejaVu Sans"  # has the Vietnamese glyphs; installed by fonts-dejavu-core
COLOURS = ("#1f6fb2", "#2e9d5b", "#e0a100", "#c0392b")


def _png(fig: Figure) -> bytes:
    """The figure as an RGB PNG: matplotlib writes RGBA, but the background is opaque white,
    and without the alpha channel the PDF embeds one image instead of an image and its mask
    (WeasyPrint splits and compresses both for every document)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    buffer.seek(0)
    rgb = io.BytesIO()
    PIL.Image.open(buffer).convert("RGB").save(rgb, format="png")
    return rgb.getvalue()


def _figure(width: float = 6.4, height: float = 3.2) -> tuple[Figure, Any]:
    plt.rcParams["font.family"] = FONT
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


CHART_KEYS = (
    "received.by_channel.online",
    "received.by_channel.direct",
    "received.by_channel.postal",
    "resolved.early",
    "resolved.on_time",
    "resolved.late",
)


def resolution_chart(report: Mapping[str, Any]) -> bytes:
    """Bars: received by channel and resolved by timeliness, with counts and shares.

    The picture depends on six counters only: it is drawn once per set of values (a round
    draws the same chart for the DOCX and the PDF, and many communes share their figures)."""
    return _resolution_chart(tuple(get(report, key) for key in CHART_KEYS))


@lru_cache(maxsize=256)
def _resolution_chart(values: tuple[int, ...]) -> bytes:
    online, direct, postal, early, on_time, late = values
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    plt.rcParams["font.family"] = FONT
    channel = [("Trực tuyến", online), ("Trực tiếp", direct), ("Bưu chính", postal)]
    timing = [("Trước hạn", early), ("Đúng hạn", on_time), ("Quá hạn", late)]
    for ax, title, items, colours in (
        (left, "Hồ sơ tiếp nhận mới theo kênh", channel, COLOURS[:3]),
        (right, "Hồ sơ đã giải quyết", timing, (COLOURS[0], COLOURS[1], COLOURS[3])),
    ):
        labels = [label for label, _ in items]
        values = [value for _, value in items]
        bars = ax.bar(labels, values, color=colours)
        for bar, value, share in zip(bars, values, shares(values), strict=True):
            ax.annotate(
                f"{fmt_int(value)}\n{fmt_rate(share)}",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_title(title, fontsize=10, fontfamily=FONT)
        ax.set_ylim(0, max(values + [1]) * 1.3)
        ax.tick_params(labelsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig)


def monthly_chart(monthly: list[Mapping[str, Any]]) -> bytes:
    """Lines per month: received (new) and resolved. Items: {"label", "received", "resolved"}."""
    fig, ax = _figure()
    labels = [str(item.get("label") or item.get("month")) for item in monthly]
    for key, name, colour in (
        ("received", "Tiếp nhận mới", COLOURS[0]),
        ("resolved", "Đã giải quyết", COLOURS[1]),
    ):
        ax.plot(
            labels, [item.get(key, 0) for item in monthly], marker="o", label=name, color=colour
        )
    ax.set_title("Hồ sơ theo tháng", fontsize=10)
    ax.legend(fontsize=8)
    ax.tick_params(labelsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def report_chart(report: Mapping[str, Any]) -> bytes:
    """The chart a document shows: the monthly trend if the report has one, else the bars."""
    monthly = report.get("monthly")
    if isinstance(monthly, list) and len(monthly) > 1:
        return monthly_chart(monthly)
    return resolution_chart(report)
