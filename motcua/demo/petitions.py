"""Feedback and petitions of the last weeks, made through the petition services: answered on time
and late, published, assigned, still open and overdue, at the Department of Industry and Trade and
at the first commune (the agencies with demo officials)."""

from __future__ import annotations

import datetime as dt
import random

from motcua.demo import names
from motcua.demo.build_catalog import DemoCatalog
from motcua.petitions import services
from motcua.petitions.choices import PetitionAbout

SUBJECTS = [
    (
        "Thời gian chờ tại bộ phận một cửa quá lâu",
        "Buổi sáng phải chờ hơn một giờ mới được tiếp nhận.",
    ),
    (
        "Đề nghị hướng dẫn rõ thành phần hồ sơ",
        "Trang thủ tục chưa ghi rõ cần bản sao hay bản chính.",
    ),
    ("Phản ánh về thái độ phục vụ", "Cán bộ tiếp nhận trả lời chưa rõ ràng, đề nghị chấn chỉnh."),
    (
        "Kiến nghị cho phép nộp trực tuyến toàn trình",
        "Đề nghị cho nộp hồ sơ và nhận kết quả trực tuyến.",
    ),
    ("Hồ sơ trễ hẹn chưa nhận được thư xin lỗi", "Hồ sơ đã quá ngày hẹn nhưng chưa có thông báo."),
    ("Đề nghị niêm yết phí, lệ phí", "Chưa thấy niêm yết mức phí tại nơi tiếp nhận."),
]


def build_petitions(catalog: DemoCatalog, *, now: dt.datetime, seed: int) -> int:
    rng = random.Random(seed + 5)
    units = [
        (catalog.agencies["congthuong"], catalog.users["lanhdao"], catalog.users["chuyenvien"]),
        (catalog.users["canboxa"].memberships.first().agency, catalog.users["canboxa"], None),
    ]
    made = 0
    for i in range(12):
        agency, leader, specialist = units[i % 2]
        title, content = SUBJECTS[i % len(SUBJECTS)]
        received = now - dt.timedelta(days=40 - 3 * i, hours=rng.randint(0, 5))
        petition, _secret = services.petition_submit(
            agency=agency,
            about=PetitionAbout.AGENCY,
            name=names.person_name(rng),
            phone=names.phone(rng),
            title=title,
            content=content,
            consent_publish=i % 3 != 2,
            at=received,
        )
        made += 1
        kind = i % 4  # 0: answered on time, 1: answered late, 2: assigned, 3: left open
        if kind == 3:
            continue
        assignee = specialist or leader
        services.petition_assign(
            petition=petition, actor=leader, assignee=assignee, at=received + dt.timedelta(hours=2)
        )
        if kind == 2:
            continue
        answered = (
            received + dt.timedelta(days=3)
            if kind == 0
            else petition.due_at + dt.timedelta(days=1, hours=1)
        )
        if answered >= now:
            continue
        services.petition_answer(
            petition=petition,
            actor=assignee,
            answer="Cơ quan đã tiếp thu và chỉ đạo bộ phận liên quan khắc phục; trân trọng cảm ơn.",
            at=answered,
        )
        if petition.consent_publish:
            services.petition_publish(petition=petition, actor=leader, at=answered)
    return made
