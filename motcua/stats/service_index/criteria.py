"""The criteria of the Decision 766/QĐ-TTg service index, as data.

Each row names its group, code, name, maximum points, formula (as published), the source of
the formula and points, and the measure that computes it from this system's own records
(``None``: "not measured" — no data in the system yet; such a criterion is shown as such and
left out of the maximum, never scored 0 or full). docs/decisions.md #17 gives the sources and
the choices made where the published text leaves room.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.integrations.selectors import REALTIME_SECONDS

SOURCE_766 = "Quyết định 766/QĐ-TTg ngày 23/6/2022, Phụ lục (Bộ chỉ số)"
SOURCE_SPLIT = "Điểm chia đều trong nhóm (docs/decisions.md #17)"
SOURCE_REST = "phần điểm còn lại của nhóm chia đều (docs/decisions.md #17)"
# Published summaries of the Decision's appendix that give per-criterion points (#17):
URL_BCTC = (
    "https://baocaotaichinh.vn/thu-vien/quyet-dinh-766-qd-ttg-2022-phe-duyet-bo-chi-so-chi-dao"
    "--dieu-hanh-va-danh-gia-chat-luong-phuc-vu-nguoi-dan--doanh-nghiep-2108502745-126270"
)
URL_VIETJACK = "https://vietjack.me/phap-luat/quyet-dinh-766-qd-ttg-2271.html"


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: int


@dataclass(frozen=True)
class Criterion:
    group: str
    code: str
    name: str
    max_points: int
    formula: str
    source: str
    measure: str | None  # the name of a function in measures.MEASURES, or None: not measured


GROUPS: tuple[Group, ...] = (
    Group("transparency", _("Transparency"), 18),
    Group("timeliness", _("Timeliness and results"), 20),
    Group("online", _("Online services"), 12),
    Group("payment", _("Online payment"), 10),
    Group("satisfaction", _("Satisfaction"), 18),
    Group("digitisation", _("Digitisation"), 22),
)

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "transparency",
        "1.1",
        _("Procedures published on time"),
        4,
        "Số quyết định công bố có hiệu lực trong kỳ được niêm yết, đăng tải chậm nhất vào ngày "
        "có hiệu lực / Tổng số quyết định công bố có hiệu lực trong kỳ × 100%",
        f"{SOURCE_766}: tỷ lệ TTHC được cập nhật, công khai đúng hạn, 4/18 điểm ({URL_BCTC})",
        "publication_on_time",
    ),
    Criterion(
        "transparency",
        "1.2",
        _("Dossiers synchronised with the national portal in real time"),
        7,
        "Số hồ sơ có mọi lần đồng bộ trạng thái lên Cổng DVCQG trong kỳ được Cổng nhận trong "
        f"vòng {REALTIME_SECONDS} giây / Tổng số hồ sơ có đồng bộ trạng thái lên Cổng DVCQG trong kỳ × 100%",
        f"{SOURCE_766}: công khai tiến độ giải quyết (đồng bộ theo thời gian thực); "
        f"ngưỡng {REALTIME_SECONDS} giây: docs/decisions.md #17; {SOURCE_REST}",
        "realtime_sync",
    ),
    Criterion(
        "transparency",
        "1.3",
        _("Progress published for look-up"),
        7,
        "Số hồ sơ có thông tin tiến độ được công khai, tra cứu trên Cổng DVCQG / Tổng số hồ sơ",
        f"{SOURCE_766}: công khai tiến độ giải quyết; {SOURCE_REST}",
        None,
    ),
    Criterion(
        "timeliness",
        "2.1",
        _("Dossiers resolved early or on time"),
        10,
        "Số hồ sơ giải quyết trước hạn, đúng hạn / Tổng số hồ sơ đã giải quyết trong kỳ × 100%",
        f"{SOURCE_766}: tiến độ, kết quả giải quyết; {SOURCE_SPLIT}",
        "resolved_on_time",
    ),
    Criterion(
        "timeliness",
        "2.2",
        _("Pending dossiers within time"),
        10,
        "Số hồ sơ đang giải quyết trong hạn / Tổng số hồ sơ đang giải quyết cuối kỳ × 100%",
        f"{SOURCE_766}: tiến độ, kết quả giải quyết; {SOURCE_SPLIT}",
        "pending_within_time",
    ),
    Criterion(
        "online",
        "3.1",
        _("Procedures offered online"),
        6,
        "Số TTHC cung cấp dịch vụ công trực tuyến (một phần, toàn trình) / Tổng số TTHC thuộc "
        "thẩm quyền × 100%",
        f"{SOURCE_766}: cung cấp dịch vụ trực tuyến; {SOURCE_SPLIT}",
        "procedures_online",
    ),
    Criterion(
        "online",
        "3.2",
        _("Online dossiers among procedures offered online"),
        6,
        "Số hồ sơ tiếp nhận trực tuyến / Tổng số hồ sơ tiếp nhận của các TTHC có cung cấp dịch "
        "vụ công trực tuyến × 100%",
        f"{SOURCE_766}: cung cấp dịch vụ trực tuyến; {SOURCE_SPLIT}",
        "online_share",
    ),
    Criterion(
        "payment",
        "4.1",
        _("Fees paid online"),
        10,
        "Số hồ sơ có thanh toán trực tuyến / Tổng số hồ sơ có phí, lệ phí × 100%",
        f"{SOURCE_766}: thanh toán trực tuyến",
        None,
    ),
    Criterion(
        "satisfaction",
        "5.1",
        _("Petitions answered on time"),
        6,
        "Tổng số phản ánh, kiến nghị xử lý đúng hoặc trước hạn / Tổng số phản ánh, kiến nghị "
        "thuộc thẩm quyền tiếp nhận, xử lý × 100%",
        f"{SOURCE_766}: mức độ hài lòng (18 điểm, 3 tỷ lệ: {URL_VIETJACK}); {SOURCE_REST}",
        "petitions_on_time",
    ),
    Criterion(
        "satisfaction",
        "5.2",
        _("Satisfaction with petition handling"),
        6,
        "(Tổng số phản ánh, kiến nghị − Số bị phản hồi không hài lòng hoặc xử lý quá hạn) / "
        "Tổng số phản ánh, kiến nghị × 100%",
        f"{SOURCE_766}: mức độ hài lòng (18 điểm, 3 tỷ lệ: {URL_VIETJACK}); {SOURCE_REST}",
        None,
    ),
    Criterion(
        "satisfaction",
        "5.3",
        _("Satisfaction with dossier handling"),
        6,
        "(Tổng số hồ sơ TTHC − Số hồ sơ không hài lòng hoặc quá hạn) / Tổng số hồ sơ TTHC có "
        "thẩm quyền giải quyết × 100%",
        f"{SOURCE_766}: tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC, 6/18 điểm ({URL_BCTC})",
        "dossier_satisfaction",
    ),
    Criterion(
        "digitisation",
        "6.1",
        _("Results issued electronically"),
        8,
        "Số hồ sơ có kết quả giải quyết điện tử / Tổng số hồ sơ đã giải quyết × 100%",
        f"{SOURCE_766}: số hóa hồ sơ; {SOURCE_SPLIT}",
        None,
    ),
    Criterion(
        "digitisation",
        "6.2",
        _("Dossiers digitised at reception"),
        7,
        "Số hồ sơ được số hóa thành phần hồ sơ khi tiếp nhận / Tổng số hồ sơ tiếp nhận × 100%",
        f"{SOURCE_766}: số hóa hồ sơ; {SOURCE_SPLIT}",
        None,
    ),
    Criterion(
        "digitisation",
        "6.3",
        _("Digitised data re-used"),
        7,
        "Số hồ sơ sử dụng lại dữ liệu số hóa / Tổng số hồ sơ tiếp nhận × 100%",
        f"{SOURCE_766}: số hóa hồ sơ; {SOURCE_SPLIT}",
        None,
    ),
)

TOTAL_POINTS = 100


def check_table() -> list[str]:
    """Problems in the table (none expected): group sums, unique codes, known groups."""
    problems = []
    groups = {g.code: g for g in GROUPS}
    if sum(g.max_points for g in GROUPS) != TOTAL_POINTS:
        problems.append("groups do not add up to 100 points")
    for g in GROUPS:
        points = sum(c.max_points for c in CRITERIA if c.group == g.code)
        if points != g.max_points:
            problems.append(f"group {g.code}: criteria add up to {points}, not {g.max_points}")
    codes = [c.code for c in CRITERIA]
    if len(set(codes)) != len(codes):
        problems.append("duplicate criterion codes")
    problems += [f"{c.code}: unknown group {c.group}" for c in CRITERIA if c.group not in groups]
    return problems
