"""What an uploaded file is, judged by its content, and whether the product accepts it.

One rule for every upload (dossier files, online filing, petitions): the type is read from the
file's first bytes (and, for Office files, from the ZIP's table of contents), never from its name
or from the type the browser declares; the size is limited by ``MOTCUA_UPLOAD_MAX_BYTES``; the
type must be one of ``MOTCUA_UPLOAD_TYPES``. An executable renamed ``scan.pdf`` is refused.
Stored files are only ever served as attachments with ``X-Content-Type-Options: nosniff``
(:func:`attachment_response`).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from motcua.core.errors import MotcuaError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
# The part that tells an Office Open XML package's kind.
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


def sniff(uploaded_file: File) -> str | None:
    """The content type that the file's bytes show, or None when the product knows none."""
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded_file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded_file.seek(0)
        for part, content_type in _OOXML_PARTS.items():
            if part in names:
                return content_type
    return None


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(uploaded_file: File) -> CheckedUpload:
    """Check size and type by content; raise MotcuaError naming the file, else its facts."""
    name = (uploaded_file.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
    size = uploaded_file.size or 0
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    if size <= 0:
        raise MotcuaError(_("%(name)s is empty") % {"name": name})
    if size > limit:
        raise MotcuaError(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB")
            % {"name": name, "size": _mb(size), "limit": _mb(limit)}
        )
    content_type = sniff(uploaded_file)
    if content_type is None or content_type not in settings.MOTCUA_UPLOAD_TYPES:
        raise MotcuaError(
            _("%(name)s is not an accepted file (PDF, JPEG, PNG or Word documents only)")
            % {"name": name}
        )
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return CheckedUpload(name=name, content_type=content_type, size=size, sha256=digest.hexdigest())


def _mb(size: int) -> str:
    return megabytes(size, unit=False)


def megabytes(size: int | None, *, unit: bool = True) -> str:
    """A file size in MB, in the active language's number format (``1,5 MB`` in Vietnamese,
    ``1.5 MB`` in English): two decimals below 1 MB (at least 0.01 for a non-empty file), one
    from 1 MB on. The one way sizes are shown (pages, messages)."""
    value = (size or 0) / (1024 * 1024)
    places = 1 if value >= 1 else 2
    if size and value < 0.01:
        value = 0.01
    text = number_format(round(value, places), decimal_pos=places, use_l10n=True)
    return f"{text} MB" if unit else text


def attachment_response(fileobj, *, filename: str, content_type: str) -> FileResponse:
    """A stored upload, never shown inline from the site's origin."""
    response = FileResponse(
        fileobj, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
