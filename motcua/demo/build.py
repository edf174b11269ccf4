"""`build_demo`: the whole demo province — catalogue, accounts, two years of history, live dossiers."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.demo.agencies_data import PROVINCE_CODE
from motcua.demo.build_catalog import DemoCatalog, build_catalog
from motcua.demo.control import build_control_demo
from motcua.demo.history import plan_history
from motcua.dossiers.choices import RatingValue
from motcua.dossiers.interchange import import_dossier_records
from motcua.dossiers.models import CounterClosure, Dossier
from motcua.dossiers.permissions import DEMO
from motcua.dossiers.services.history import (
    HistoryApology,
    HistoryEntry,
    HistoryRating,
    dossier_history_record,
)
from motcua.worktime.selectors import calendar_for_agency

_BATCH = 2000


@dataclass
class DemoSummary:
    agencies: int = 0
    procedures: int = 0
    dossiers: int = 0
    apologies: int = 0
    ratings: int = 0
    live: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def demo_exists() -> bool:
    return Agency.objects.filter(code=PROVINCE_CODE).exists()


def build_demo(
    *,
    seed: int = 2026,
    years: float = 2.0,
    dossiers: int = 30_000,
    live: bool = True,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoSummary:
    """Build the demo province in an empty database (the caller checks `demo_exists`).

    All or nothing: one transaction, so that a failure leaves no half-built province behind.
    """
    with transaction.atomic():
        return _build_demo(
            seed=seed, years=years, dossiers=dossiers, live=live, now=now, progress=progress
        )


def _build_demo(
    *,
    seed: int,
    years: float,
    dossiers: int,
    live: bool,
    now: dt.datetime | None,
    progress: Callable[[str], None],
) -> DemoSummary:
    now = now or timezone.now()
    summary = DemoSummary()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        summary.seconds[name] = round(time.perf_counter() - clock, 2)
        progress(f"{name}: {summary.seconds[name]:.1f} s")
        clock = time.perf_counter()

    catalog = build_catalog()
    summary.agencies = Agency.objects.filter(code__contains="H99").count()
    summary.procedures = len(catalog.procedures)
    lap("catalogue and accounts")

    calendar = calendar_for_agency(agency_id=None)
    records = plan_history(
        catalog, calendar=calendar, count=dossiers, years=years, seed=seed, now=now
    )
    lap("history planned")
    import_dossier_records(
        [{k: v for k, v in r.items() if not k.startswith("_")} for r in records], source="demo"
    )
    summary.dossiers = len(records)
    lap("history imported")
    _history_extras(catalog, records, summary, seed=seed)
    lap("applicants, apologies and ratings")
    # After the history import (which takes today's processing times), before the live dossiers.
    build_control_demo(rng=random.Random(seed + 3), now=now, actor=catalog.users["kiemsoat"])
    lap("TTHC control")
    if live:
        from motcua.demo.live import build_live

        summary.live = build_live(catalog, now=now, seed=seed)
        lap("live dossiers")
        from motcua.demo.petitions import build_petitions

        build_petitions(catalog, now=now, seed=seed)
        lap("feedback and petitions")
    return summary


def _history_extras(
    catalog: DemoCatalog, records: list[dict], summary: DemoSummary, *, seed: int
) -> None:
    import random

    rng = random.Random(seed + 1)
    ids = dict(Dossier.objects.filter(imported=True).values_list("code", "id"))
    start, end = catalog.closure
    CounterClosure.objects.create(
        agency=catalog.center,
        start=start,
        end=end,
        reason="Tạm dừng tiếp nhận trực tiếp để nâng cấp hệ thống và sửa chữa trụ sở",
    )
    # What the interchange format does not carry (applicants, apology letters, ratings) is
    # recorded as imported history, with its events (dossiers.services.history).
    entries = []
    for r in records:
        pk = ids.get(r["code"])
        if pk is None:
            continue
        applicant = r["_applicant"]
        entry = HistoryEntry(
            dossier_id=pk,
            applicant={
                "applicant_kind": applicant["kind"],
                "applicant_name": applicant["name"],
                "applicant_id_number": applicant["id"],
                "applicant_phone": applicant["phone"],
                "applicant_address": applicant["address"],
            },
        )
        due = r["_due"]
        if r.get("_apology") and due is not None:
            late_issue = rng.random() < 0.1
            issued = due + dt.timedelta(hours=2) if late_issue else due - dt.timedelta(days=1)
            issued = max(issued, r["_received"] + dt.timedelta(hours=1))
            entry.apologies.append(
                HistoryApology(
                    issued_at=issued,
                    new_due_at=max(
                        r["_closed"] + dt.timedelta(days=rng.randint(0, 2)),
                        issued + dt.timedelta(hours=1),
                    ),
                    reason=rng.choice(APOLOGY_REASONS),
                    issued_late=late_issue,
                )
            )
        if r.get("delivered_at") and rng.random() < 0.12:
            value = rng.choices(
                [RatingValue.VERY_SATISFIED, RatingValue.SATISFIED, RatingValue.DISSATISFIED],
                weights=[92, 6, 2],
            )[0]
            entry.ratings.append(
                HistoryRating(
                    value=value,
                    at=dt.datetime.fromisoformat(r["delivered_at"])
                    + dt.timedelta(minutes=rng.randint(2, 600)),
                )
            )
        entries.append(entry)
    dossier_history_record(actor=DEMO, entries=entries, source="demo")
    summary.apologies = sum(len(e.apologies) for e in entries)
    summary.ratings = sum(len(e.ratings) for e in entries)


APOLOGY_REASONS = [
    "Hồ sơ phải lấy ý kiến của các cơ quan liên quan, chưa nhận được văn bản trả lời.",
    "Cần kiểm tra thực tế tại địa điểm, lịch kiểm tra bị lùi do thời tiết.",
    "Lãnh đạo đơn vị đi công tác, chưa ký được kết quả.",
    "Hệ thống phần mềm gặp sự cố trong thời gian xử lý.",
    "Khối lượng hồ sơ tăng đột biến trong kỳ, thiếu nhân lực thẩm định.",
]
