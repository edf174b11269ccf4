"""Builds the demo province's agencies, catalogue and official accounts (fast, bulk writes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import ProcedureLevel, Role, TimeUnit
from motcua.catalog.models import (
    Agency,
    AgencyLevel,
    Field,
    InternalProcess,
    Procedure,
    ProcedureAssignment,
    ProcessStep,
    RequiredDocument,
)
from motcua.demo import agencies_data as A
from motcua.demo.catalog_data import (
    FIELDS,
    PROCEDURES,
    PROCESS_ONE_WAY,
    PROCESS_SHORT,
    PROCESS_STANDARD,
)

DEMO_PASSWORD = "demo12345"
UNITS = {"d": TimeUnit.WORKING_DAYS, "h": TimeUnit.WORKING_HOURS, "c": TimeUnit.CALENDAR_DAYS}

# username, full name, agency code, roles, superuser
DEMO_ACCOUNTS: list[tuple[str, str, str, list[str], bool]] = [
    ("admin", "Quản trị hệ thống", A.PROVINCE_CODE, [Role.ADMIN], True),
    ("tiepnhan", "Nguyễn Thị Thu Hà", A.CENTER_CODE, [Role.COUNTER_OFFICER], False),
    ("chuyenvien", "Trần Văn Minh", "000.00.02.H99", [Role.SPECIALIST], False),
    ("lanhdao", "Lê Quang Hải", "000.00.02.H99", [Role.LEADER, Role.DEPARTMENT_HEAD], False),
    ("giamsat", "Phạm Thị Lan", A.PROVINCE_CODE, [Role.MONITOR], False),
    ("kiemsoat", "Vũ Thị Thanh Mai", A.PROVINCE_CODE, [Role.CONTROL_OFFICER], False),
    (
        "canboxa",
        "Hoàng Văn Sơn",
        A.COMMUNES[0][0],
        [Role.COUNTER_OFFICER, Role.SPECIALIST, Role.LEADER],
        False,
    ),
]
ROLE_LABELS = {
    "admin": "Quản trị hệ thống",
    "tiepnhan": "Cán bộ một cửa (Trung tâm PVHCC)",
    "chuyenvien": "Chuyên viên thụ lý (Sở Công Thương)",
    "lanhdao": "Lãnh đạo (Sở Công Thương)",
    "giamsat": "Giám sát (UBND tỉnh)",
    "kiemsoat": "Kiểm soát TTHC (UBND tỉnh)",
    "canboxa": "Cán bộ một cửa cấp xã (Phường Sơn Lâm)",
}


@dataclass
class DemoCatalog:
    """What the history generator needs to know about the built catalogue."""

    province: Agency
    center: Agency
    agencies: dict[str, Agency]  # key of agencies_data -> agency
    communes: list[Agency]
    procedures: list[Procedure] = field(default_factory=list)
    # procedure id -> ids of handling agencies
    handlers: dict[int, list[int]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    closure: tuple[date, date] | None = None  # the Center's counter closure in the history


def _levels() -> dict[str, AgencyLevel]:
    levels = {}
    for code, name, rank in A.LEVELS:
        levels[code], _ = AgencyLevel.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )
    return levels


def build_agencies() -> tuple[Agency, Agency, dict[str, Agency], list[Agency]]:
    levels = _levels()
    since = date(2025, 7, 1)
    province = Agency.objects.create(
        code=A.PROVINCE_CODE,
        name=A.PROVINCE_NAME,
        short_name="UBND tỉnh Sơn Lâm",
        level=levels["province"],
        address="Số 1 đường Hùng Vương, phường Sơn Lâm, tỉnh Sơn Lâm",
        phone="0299 3812 345",
    )
    center = Agency.objects.create(
        code=A.CENTER_CODE,
        name=A.CENTER_NAME,
        short_name="Trung tâm PVHCC tỉnh",
        abbreviation=A.ABBREVIATIONS[A.CENTER_CODE],
        level=levels["provincial_agency"],
        parent=province,
        address="Số 8 đường Lê Lợi, phường Sơn Lâm, tỉnh Sơn Lâm",
        phone="0299 3822 222",
    )
    agencies = {
        key: Agency(
            code=code,
            name=name,
            short_name=short,
            abbreviation=A.ABBREVIATIONS.get(code, ""),
            level=levels["provincial_agency"],
            parent=province,
        )
        for key, code, name, short in A.PROVINCIAL_AGENCIES
    }
    Agency.objects.bulk_create(agencies.values())
    agencies = {key: Agency.objects.get(code=a.code) for key, a in agencies.items()}
    Agency.objects.bulk_create(
        Agency(
            code=code,
            name=name,
            level=levels["department"],
            parent=agencies[parent],
        )
        for parent, code, name in A.DEPARTMENTS
    )
    Agency.objects.bulk_create(
        Agency(
            code=code,
            name=f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
            short_name=name,
            level=levels["commune"],
            parent=province,
            active_from=since,
        )
        for code, name in A.COMMUNES
    )
    communes = list(Agency.objects.filter(code__in=[c for c, _ in A.COMMUNES]).order_by("code"))
    return province, center, agencies, communes


def build_procedures(catalog: DemoCatalog) -> None:
    fields = {key: Field(name=name, code=key) for key, name in FIELDS.items()}
    Field.objects.bulk_create(fields.values())
    fields = {f.code: f for f in Field.objects.filter(code__in=list(FIELDS))}
    procedures = []
    for p in PROCEDURES:
        procedures.append(
            Procedure(
                code=p.code,
                name=p.name,
                field=fields[p.field],
                level=ProcedureLevel.COMMUNE if p.agency == "commune" else ProcedureLevel.PROVINCE,
                one_way=p.time is None,
                processing_time=None if p.time is None else Decimal(p.time),
                time_unit=UNITS[p.unit],
                online_class=p.online,
                postal_reception=p.postal,
                postal_return=p.postal,
                fee=p.fee or "Không",
            )
        )
    Procedure.objects.bulk_create([p.refresh_search_text() for p in procedures])
    by_code = {p.code: p for p in Procedure.objects.filter(code__in=[p.code for p in PROCEDURES])}
    assignments, documents, processes = [], [], []
    for p in PROCEDURES:
        proc = by_code[p.code]
        handlers = catalog.communes if p.agency == "commune" else [catalog.agencies[p.agency]]
        catalog.handlers[proc.pk] = [a.pk for a in handlers]
        assignments += [ProcedureAssignment(procedure=proc, agency=a) for a in handlers]
        for i, name in enumerate(p.docs.split("|"), start=1):
            copy = name.startswith("Bản sao")
            documents.append(
                RequiredDocument(
                    procedure=proc,
                    position=i,
                    name=name,
                    originals=0 if copy else 1,
                    copies=1 if copy else 0,
                )
            )
        processes.append(
            InternalProcess(
                procedure=proc,
                version=1,
                effective_from=date(2024, 1, 1),
                decision="215/QĐ-UBND ngày 15/01/2024",
            )
        )
    ProcedureAssignment.objects.bulk_create(assignments)
    RequiredDocument.objects.bulk_create(documents)
    InternalProcess.objects.bulk_create(processes)
    steps = []
    rows = {by_code[p.code].pk: p for p in PROCEDURES}
    for process in InternalProcess.objects.filter(procedure__in=list(by_code.values())):
        proc = rows[process.procedure_id]
        template = (
            PROCESS_ONE_WAY
            if proc.time is None
            else PROCESS_SHORT
            if proc.agency == "commune" or proc.unit == "h"
            else PROCESS_STANDARD
        )
        steps += [
            ProcessStep(
                process=process, position=i, name=name, role=role, share_percent=Decimal(share)
            )
            for i, (name, role, share) in enumerate(template, start=1)
        ]
    ProcessStep.objects.bulk_create(steps)
    catalog.procedures = list(by_code.values())


def build_users(catalog: DemoCatalog) -> None:
    # One hash for the shared demo password: hashing is slow on purpose, once is enough.
    password_hash = make_password(DEMO_PASSWORD)
    by_code = {a.code: a for a in [catalog.province, catalog.center, *catalog.agencies.values()]}
    by_code.update({a.code: a for a in catalog.communes})
    for username, full_name, agency_code, roles, superuser in DEMO_ACCOUNTS:
        user = User(
            username=username,
            full_name=full_name,
            first_name=full_name.split()[-1],
            last_name=" ".join(full_name.split()[:-1]),
            email=f"{username}@sonlam.gov.vn.example",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.password = password_hash
        user.save()
        for role in roles:
            Membership.objects.create(user=user, agency=by_code[agency_code], role=role)
        catalog.users[username] = user


def build_catalog() -> DemoCatalog:
    province, center, agencies, communes = build_agencies()
    catalog = DemoCatalog(province=province, center=center, agencies=agencies, communes=communes)
    build_procedures(catalog)
    build_users(catalog)
    return catalog
