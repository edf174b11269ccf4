"""Report dicts in the statistics.md §5 shape for the document and dashboard tests.

The figures are inputs (those printed in seed 001, April 2020); the expected strings of the
tests are derived from them, never copied from the seed.
"""

from __future__ import annotations

import copy
from typing import Any


def counters(
    *,
    carried_over: int,
    online: int,
    direct: int,
    postal: int,
    early: int,
    on_time: int,
    late: int,
    refused: int = 0,
    withdrawn: int = 0,
    stopped: int = 0,
    overdue: int = 0,
    ratings: tuple[int, int, int] = (0, 0, 0),
    delivered_postal: int = 0,
) -> dict[str, Any]:
    """A consistent set of counters (identities 1-4 hold by construction)."""
    new = online + direct + postal
    total = carried_over + new
    resolved = early + on_time + late
    pending = total - resolved - refused - withdrawn - stopped
    return {
        "received": {
            "carried_over": carried_over,
            "new": new,
            "total": total,
            "by_channel": {"direct": direct, "online": online, "postal": postal},
            "online_by_class": {"level3": 0, "level4": 0, "partial": online, "full": 0},
        },
        "resolved": {"total": resolved, "early": early, "on_time": on_time, "late": late},
        "refused": refused,
        "withdrawn": withdrawn,
        "stopped": stopped,
        "pending": {
            "total": pending,
            "not_due": pending - overdue,
            "overdue": overdue,
            "awaiting_supplement": 0,
        },
        "due": resolved + overdue,
        "delivered": {"total": resolved, "postal": delivered_postal},
        "one_way": {"total": 0, "online": 0},
        "ratings": dict(zip(("very_satisfied", "satisfied", "dissatisfied"), ratings, strict=True)),
        "rates": {},
        "late_list": [],
        "children": [],
    }


def seed001_report() -> dict[str, Any]:
    report = counters(
        carried_over=952,
        online=645,
        direct=1062,
        postal=45,
        early=966,
        on_time=796,
        late=4,
        overdue=7,
        ratings=(288, 10, 0),
        delivered_postal=129,
    )
    report["unit"] = {"code": "000.00.01.H23", "name": "Trung tâm Phục vụ hành chính công tỉnh"}
    report["period"] = {"start": "2020-04-01", "end": "2020-04-30"}
    report["late_list"] = [
        {
            "code": "000.00.02.H23-200402-0005",
            "procedure_code": "1.001234",
            "procedure_name": "Cấp Giấy phép kinh doanh bán lẻ rượu",
            "received_at": "2020-04-02T08:15:00+07:00",
            "due_at": "2020-04-10T17:00:00+07:00",
            "closed_at": "2020-04-14T09:00:00+07:00",
            "apology": True,
            "apology_new_due_at": "2020-04-15T17:00:00+07:00",
            "note": "Chờ ý kiến phối hợp của đơn vị liên quan",
        },
        {
            "code": "000.00.03.H23-200420-0011",
            "procedure_code": "1.004567",
            "received_at": "2020-04-20T10:00:00+07:00",
            "due_at": "2020-04-28T17:00:00+07:00",
            "closed_at": None,
            "apology": False,
        },
    ]
    transport = counters(
        carried_over=300,
        online=200,
        direct=280,
        postal=35,
        early=300,
        on_time=210,
        late=3,
        overdue=5,
    )
    transport["unit"] = {
        "code": "000.00.02.H23",
        "name": "Sở Giao thông vận tải",
        "level": {"code": "province-agency", "name": "Sở, ban, ngành"},
    }
    trade = counters(
        carried_over=100, online=100, direct=140, postal=6, early=150, on_time=90, late=1, overdue=2
    )
    trade["unit"] = {
        "code": "000.00.03.H23",
        "name": "Sở Công Thương",
        "level": {"code": "province-agency", "name": "Sở, ban, ngành"},
    }
    commune = counters(carried_over=20, online=5, direct=30, postal=0, early=20, on_time=10, late=0)
    commune["unit"] = {
        "code": "H23.01.01",
        "name": "UBND xã Đồng Kỳ",
        "level": {"code": "commune", "name": "Cấp xã"},
    }
    report["children"] = [transport, trade, commune]
    return report


def with_comparison(report: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    report = copy.deepcopy(report)
    report["comparison"] = {"previous": previous}
    return report
