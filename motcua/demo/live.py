"""About thirty "live" dossiers of the last days, made through the real services.

They show every state with a full event history: received today, awaiting pre-check, in process,
awaiting a supplement, handed over, overdue (with and without an apology), resolved, delivered
and rated, refused, withdrawn, stopped, filed one-way notifications, commune dossiers.
"""

from __future__ import annotations

import datetime as dt
import random

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.localtime import LOCAL_TZ
from motcua.demo import names
from motcua.demo.build_catalog import DemoCatalog
from motcua.dossiers import services as s
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import DEMO, PORTAL
from motcua.worktime.selectors import calendar_for_agency

TZ = LOCAL_TZ  # the deployment's zone (core.localtime), not a fixed offset of our own


class Clock:
    """Instants `n` working days before today, never after now."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.calendar = calendar_for_agency(agency_id=None)
        today = now.astimezone(TZ).date()
        self.today = self.calendar.add_working_days(today, 0)

    def at(self, days_back: int, hour: int, minute: int = 0) -> dt.datetime:
        day = self.today
        for _ in range(days_back):
            day -= dt.timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= dt.timedelta(days=1)
        instant = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)
        return min(instant, self.now - dt.timedelta(minutes=5 + hour))


def build_live(catalog: DemoCatalog, *, now: dt.datetime, seed: int) -> int:
    rng = random.Random(seed + 2)
    clock = Clock(now)
    users = catalog.users
    counter, specialist, leader = users["tiepnhan"], users["chuyenvien"], users["lanhdao"]
    commune_officer = users["canboxa"]
    ct = catalog.agencies["congthuong"]
    procs = {p.code: p for p in Procedure.objects.filter(code__in=LIVE_CODES)}
    made: list[Dossier] = []

    def receive(code: str, days: int, hour: int, *, agency=ct, channel="direct", who=counter):
        procedure = procs[code]
        person = names.person_name(rng)
        kwargs = {
            "actor": who,
            "agency": agency,
            "procedure": procedure,
            "applicant_name": person,
            "applicant_id_number": names.citizen_id(rng),
            "applicant_phone": names.phone(rng),
            "applicant_address": names.address(rng, "Phường Sơn Lâm"),
            "receiving_unit": catalog.center if agency == ct else None,
            "delivery_channel": "postal" if channel == "postal" else "counter",
            "documents_submitted": list(procedure.documents.values_list("id", flat=True)),
            "at": clock.at(days, hour),
        }
        if channel == "online":
            dossier = s.dossier_submit_online(**kwargs)
        else:
            dossier = s.dossier_receive(channel=channel, **kwargs)
        made.append(dossier)
        return dossier

    def assign(d, days, hour):
        step = ProcessStep.objects.filter(process_id=d.process_id, role="specialist").first()
        return s.dossier_assign(
            dossier=d, actor=leader, assignee=specialist, step=step, at=clock.at(days, hour)
        )

    # Received today and waiting for assignment.
    for code, hour in [("2.000633", 8), ("2.000620", 9), ("2.000190", 10)]:
        receive(code, 0, hour)
    # Submitted online, awaiting the pre-check; one refused at the pre-check.
    for code, hour in [("2.000633", 7), ("1.000239", 8)]:
        receive(code, 0, hour, channel="online")
    d = receive("2.000620", 2, 15, channel="online")
    s.dossier_precheck_refuse(
        dossier=d,
        actor=counter,
        reason="Hồ sơ thiếu bản sao giấy chứng nhận đăng ký doanh nghiệp.",
        at=clock.at(1, 9),
    )
    # One sent back to the applicant at the pre-check, to be corrected on the portal.
    d = receive("2.000633", 1, 14, channel="online")
    s.dossier_precheck_return(
        dossier=d,
        actor=counter,
        reason="Ảnh chụp giấy đề nghị bị mờ; đề nghị chụp lại và gửi bổ sung.",
        at=clock.at(0, 8),
    )
    # Accepted online, in process at several steps.
    for code, days in [("2.000633", 4), ("2.000346", 3), ("1.000267", 2)]:
        d = receive(code, days, 9, channel="online")
        s.dossier_precheck_accept(dossier=d, actor=counter, at=clock.at(days, 10))
        assign(d, days, 14)
    d = receive("2.000615", 8, 8)
    assign(d, 7, 9)
    s.dossier_step_advance(dossier=d, actor=specialist, at=clock.at(2, 16))
    # Awaiting a supplement (form 02).
    for code, days in [("2.000190", 5), ("2.001283", 6), ("2.000591", 4)]:
        d = receive(code, days, 10)
        assign(d, days, 15)
        s.dossier_supplement_request(
            dossier=d,
            actor=specialist,
            reason="Bổ sung bản vẽ mặt bằng và phương án phòng cháy chữa cháy đã được phê duyệt.",
            at=clock.at(days - 2, 10),
        )
    # A supplement received: the clock resumed.
    d = receive("2.000633", 9, 9)
    assign(d, 9, 14)
    s.dossier_supplement_request(
        dossier=d,
        actor=specialist,
        reason="Bổ sung văn bản giới thiệu của thương nhân cung cấp.",
        at=clock.at(7, 10),
    )
    s.dossier_supplement_receive(
        dossier=d, actor=counter, note="Đã nhận bản bổ sung tại quầy.", at=clock.at(4, 9)
    )
    # Overdue: one with an apology before the deadline, one without.
    for code, apology in [("2.000620", True), ("2.000346", False)]:
        d = receive(code, 19, 9)
        assign(d, 18, 10)
        if apology:
            new_due = clock.calendar.closing_instant(
                clock.calendar.add_working_days(clock.today, 3)
            )
            s.dossier_apologize(
                dossier=d,
                actor=leader,
                new_due_at=new_due,
                reason="Cần lấy ý kiến của Công an tỉnh về điều kiện an ninh trật tự.",
                at=clock.at(5, 15),
            )
    # Handed over to another agency (liên thông): one waiting, one accepted.
    for code, accepted in [("2.000190", False), ("2.000633", True)]:
        d = receive(code, 6, 11)
        assign(d, 6, 15)
        s.dossier_transfer(
            dossier=d,
            actor=specialist,
            to_agency=catalog.agencies["xaydung"],
            note="Chuyển lấy ý kiến về an toàn công trình.",
            at=clock.at(3, 9),
        )
        if accepted:
            # No demo account works at the Department of Construction: the demo accepts for it.
            s.dossier_transfer_accept(dossier=d, actor=DEMO, at=clock.at(2, 10))
    # Resolved, result waiting at the counter; delivered (one by post) and rated.
    for days, deliver in [(10, None), (8, None), (12, "counter"), (11, "postal"), (9, "counter")]:
        d = receive(rng.choice(["2.000633", "2.000620", "1.000267"]), days, 9)
        assign(d, days, 14)
        s.dossier_resolve(
            dossier=d, actor=leader, result="Giấy phép số 12/GP-SCT", at=clock.at(days - 5, 16)
        )
        if deliver:
            s.dossier_deliver(
                dossier=d,
                actor=counter,
                delivery_channel=deliver,
                postal_tracking="EP123456789VN" if deliver == "postal" else "",
                at=clock.at(days - 6, 10),
            )
            s.dossier_rate(
                dossier=d,
                actor=PORTAL,  # the applicant, through the citizen portal
                value=rng.choice(["very_satisfied", "very_satisfied", "satisfied"]),
                comment="Cán bộ hướng dẫn tận tình.",
                at=clock.at(days - 6, 11),
            )
    # Closed without a result.
    d = receive("2.000633", 7, 9)
    s.dossier_refuse(
        dossier=d,
        actor=leader,
        reason="Địa điểm kinh doanh không đáp ứng khoảng cách tới trường học theo quy định.",
        at=clock.at(4, 15),
    )
    d = receive("1.000239", 6, 9)
    s.dossier_withdraw(
        dossier=d,
        actor=counter,
        reason="Doanh nghiệp xin rút hồ sơ để điều chỉnh kế hoạch.",
        at=clock.at(5, 10),
    )
    d = receive("2.001283", 15, 9)
    assign(d, 15, 14)
    s.dossier_supplement_request(
        dossier=d, actor=specialist, reason="Bổ sung sơ đồ lưới điện.", at=clock.at(14, 10)
    )
    s.dossier_stop(
        dossier=d,
        actor=leader,
        reason="Quá thời hạn bổ sung hồ sơ mà tổ chức không bổ sung.",
        notice_number="35/TB-SCT",
        at=clock.at(1, 10),
    )
    # One-way notifications, received and filed.
    for days in (0, 1, 3):
        receive("1.000281", days, 9, channel="online")
    # At the commune: attestation in working hours, birth registration.
    commune = catalog.communes[0]
    for code, days in [("2.000815", 0), ("1.001193", 1), ("2.000913", 2)]:
        d = receive(code, days, 8, agency=commune, who=commune_officer)
        if days:
            s.dossier_resolve(
                dossier=d,
                actor=commune_officer,
                at=clock.at(days - 1, 9) if days > 1 else clock.at(0, 8, 30),
            )
    return len(made)


LIVE_CODES = [
    "2.000633", "2.000620", "2.000190", "1.000239", "2.000346", "1.000267", "2.000615",
    "2.001283", "2.000591", "1.000281", "2.000815", "1.001193", "2.000913",
]  # fmt: skip
