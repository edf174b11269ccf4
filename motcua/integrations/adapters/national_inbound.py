"""The national portal's push of an online dossier (integration.md §3): reading and checking.

``read_push`` turns the portal's JSON into keyword arguments for the dossier services and the
decoded files, or returns every error found, each naming its field (``TaiLieuNop.0.TenTep``).
Nothing here writes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.utils import timezone

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import Agency, Procedure, ProcedureAssignment
from motcua.catalog.selectors import agency_for_code, procedure_for_code
from motcua.core.errors import MotcuaError
from motcua.core.generations import memo, remembered
from motcua.core.uploads import check_upload
from motcua.core.validators import IdKind, normalize_id_number, normalize_phone
from motcua.dossiers.choices import ApplicantKind, DeliveryChannel

# Online classes under which a dossier may be filed online (level 2 only offers forms).
FILED_ONLINE = {OnlineClass.LEVEL3, OnlineClass.LEVEL4, OnlineClass.PARTIAL, OnlineClass.FULL}
KIND = {1: ApplicantKind.PERSON, 2: ApplicantKind.ORGANISATION, 3: ApplicantKind.ORGANISATION,
        4: ApplicantKind.ORGANISATION}  # fmt: skip
DELIVERY = {0: DeliveryChannel.COUNTER, 1: DeliveryChannel.POSTAL, 2: DeliveryChannel.ONLINE}
PERSON_IDS = (IdKind.CCCD, IdKind.CMND, IdKind.PASSPORT)


@dataclass
class PushedFile:
    document_name: str
    name: str
    content_type: str
    content: bytes


@dataclass
class Push:
    national_ref: str
    agency: Agency | None = None
    procedure: Procedure | None = None
    submitted_at: dt.datetime | None = None
    applicant: dict[str, str] = field(default_factory=dict)
    delivery_channel: str = ""
    note: str = ""
    files: list[PushedFile] = field(default_factory=list)


def _text(data: dict, name: str, errors: list, *, required: bool, limit: int = 255) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append((name, "must be a string"))
        return ""
    value = value.strip()
    if required and not value:
        errors.append((name, "required"))
    elif len(value) > limit:
        errors.append((name, f"at most {limit} characters"))
    return value


def _int(data: dict, name: str, errors: list, allowed: dict, default: int | None = None) -> Any:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        errors.append((name, f"one of {', '.join(str(k) for k in allowed)}"))
        return None
    return allowed[value]


def _message(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def _online_class(procedure: Procedure, agency: Agency) -> str:
    """The agency's online class of the procedure (its override first); memoised until the
    catalogue changes, as every push of a burst asks it again."""

    def load() -> str:
        assignment = ProcedureAssignment.objects.filter(procedure=procedure, agency=agency).first()
        return assignment.effective_online_class if assignment else procedure.online_class

    return remembered(memo("catalogue"), ("national_online_class", procedure.pk, agency.pk), load)


def read_push(data: Any) -> tuple[Push | None, list[tuple[str, str]]]:
    """The push read and checked, or (None, [(field, message), ...])."""
    if not isinstance(data, dict):
        return None, [("body", "a JSON object is expected")]
    errors: list[tuple[str, str]] = []
    push = Push(national_ref=_text(data, "MaHoSoQG", errors, required=True, limit=64))
    code = _text(data, "MaTTHC", errors, required=True, limit=40)
    agency_code = _text(data, "MaCoQuan", errors, required=True, limit=40)
    push.procedure = procedure_for_code(code=code) if code else None
    push.agency = agency_for_code(code=agency_code) if agency_code else None
    if code and push.procedure is None:
        errors.append(("MaTTHC", f"unknown procedure {code}"))
    elif push.procedure is not None and not push.procedure.is_active:
        errors.append(("MaTTHC", f"procedure {code} is no longer in force"))
    if agency_code and push.agency is None:
        errors.append(("MaCoQuan", f"unknown agency {agency_code}"))
    if (
        push.procedure is not None
        and push.agency is not None
        and _online_class(push.procedure, push.agency) not in FILED_ONLINE
    ):
        errors.append(("MaTTHC", f"procedure {code} is not offered online at {agency_code}"))
    kind = _int(data, "LoaiDoiTuong", errors, KIND)
    name = _text(data, "ChuHoSo", errors, required=True)
    id_number = _text(data, "MaDoiTuong", errors, required=True, limit=40)
    if id_number and kind is not None:
        try:
            kinds = PERSON_IDS if kind == ApplicantKind.PERSON else (IdKind.TAX,)
            id_number = normalize_id_number(id_number, kinds=kinds)
        except ValidationError as exc:
            errors.append(("MaDoiTuong", _message(exc)))
    phone = _text(data, "SoDienThoai", errors, required=False, limit=40)
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors.append(("SoDienThoai", _message(exc)))
    email = _text(data, "Email", errors, required=False, limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors.append(("Email", _message(exc)))
    address = _text(data, "DiaChi", errors, required=False)
    push.note = _text(data, "TrichYeuHoSo", errors, required=False, limit=4000)
    push.applicant = {
        "applicant_name": name,
        "applicant_kind": kind or ApplicantKind.PERSON,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
    }
    submitted = _text(data, "NgayNopHoSo", errors, required=True, limit=14)
    if submitted:
        try:
            push.submitted_at = timezone.make_aware(dt.datetime.strptime(submitted, "%Y%m%d%H%M%S"))
        except ValueError:
            errors.append(("NgayNopHoSo", "a local time yyyyMMddHHmmss is expected"))
    push.delivery_channel = _int(data, "HinhThucTraKQ", errors, DELIVERY, default=0) or ""
    if (
        push.delivery_channel == DeliveryChannel.POSTAL
        and push.procedure is not None
        and not push.procedure.postal_return
    ):
        errors.append(("HinhThucTraKQ", f"procedure {code} does not return results by post"))
    push.files = _files(data.get("TaiLieuNop", []), errors)
    return (None if errors else push), errors


def _files(items: Any, errors: list) -> list[PushedFile]:
    """Decode each attached file; its content is judged by ``core.uploads.check_upload``, the
    one rule for every upload (type by content, size limit)."""
    if not isinstance(items, list):
        errors.append(("TaiLieuNop", "a list is expected"))
        return []
    out = []
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    for i, item in enumerate(items):
        where = f"TaiLieuNop.{i}"
        if not isinstance(item, dict):
            errors.append((where, "an object is expected"))
            continue
        local: list[tuple[str, str]] = []
        doc = _text(item, "TenGiayTo", local, required=False)
        name = _text(item, "TenTep", local, required=True).replace("\\", "/").rsplit("/", 1)[-1]
        encoded = item.get("NoiDungBase64")
        content = b""
        if not isinstance(encoded, str) or not encoded.strip():
            local.append(("NoiDungBase64", "required"))
        elif len(encoded) > limit * 4 // 3 + 8:
            local.append(("NoiDungBase64", f"the file is over the limit of {limit} bytes"))
        else:
            try:
                content = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                local.append(("NoiDungBase64", "not valid base64"))
        checked = None
        if content and name:
            try:
                checked = check_upload(ContentFile(content, name=name))
            except MotcuaError as exc:
                local.append(("NoiDungBase64", str(exc)))
        elif not local:
            local.append(("NoiDungBase64", "the file is empty"))
        errors.extend((f"{where}.{f}", m) for f, m in local)
        if checked is not None and not local:
            out.append(PushedFile(doc, checked.name, checked.content_type, content))
    return out


def answer(*, code: str, national_ref: str, status: int) -> dict[str, Any]:
    return {"MaHoSo": code, "MaHoSoQG": national_ref, "TrangThaiHoSo": status}
