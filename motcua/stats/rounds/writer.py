"""The monthly round: every unit's narrative report (DOCX, PDF) and Biểu 06 (XLSX), and a ZIP.

``write_round(root=…, period=…, output=…)`` writes, for ``root`` and every agency below it, the
documents people sign and send, into ``output/<period>/``, then ``output/<period>.zip``.

Idempotent and resumable: ``manifest.json`` records, per unit, the SHA-256 of the report's
figures (its JSON) and of each file written. A unit whose figures and files are unchanged is
skipped; a changed one is written again (each file through a temporary name, then renamed),
and the manifest is rewritten after every unit, so an interrupted round resumes where it
stopped. The ZIP is built from the files in name order with fixed timestamps: the same files
give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_children_map
from motcua.core.errors import MotcuaError
from motcua.stats import reports
from motcua.stats.annexes import formats_annexes
from motcua.stats.assembly import consolidated_report, report_json, report_violations
from motcua.stats.periods import Period
from motcua.stats.selectors import report_settings_options

MANIFEST = "manifest.json"
# The documents of one unit: (suffix of the file name, format).
DOCUMENTS = (("bao-cao.docx", "docx"), ("bao-cao.pdf", "pdf"), ("bieu-06.xlsx", "xlsx"))
# ZIP entries carry this timestamp, whatever the day of writing (the earliest ZIP allows).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Progress = Callable[["UnitDone"], None]


class RoundFailed(MotcuaError):
    """A unit's documents could not be made; the units before it are kept (re-run resumes)."""


@dataclass(frozen=True)
class UnitDone:
    """One unit finished: ``index`` of ``total``; ``written`` False when it was up to date."""

    index: int
    total: int
    code: str
    written: bool


@dataclass
class RoundResult:
    directory: Path
    zip_path: Path
    units: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[str]:
        return [code for code in self.units if code not in set(self.written)]


def period_slug(period: Period) -> str:
    """The folder name of a period: its label (2026-11, 2026-Q4) or its first and last days."""
    return period.label or f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def round_units(root: Agency) -> list[Agency]:
    """``root`` and every agency below it, each parent before its children, codes in order."""
    children = agency_children_map()
    by_id = {a.pk: a for a in Agency.objects.select_related("level", "parent")}
    order: list[Agency] = []
    stack = [root.pk]
    while stack:
        pk = stack.pop()
        order.append(by_id[pk])
        stack.extend(sorted(children.get(pk, ()), key=lambda i: by_id[i].code, reverse=True))
    return order


def file_names(code: str, slug: str) -> list[tuple[str, str]]:
    """The file names of one unit's documents and their formats."""
    return [(f"{code}_{slug}_{suffix}", fmt) for suffix, fmt in DOCUMENTS]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _read_manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


@cache
def renderer_digest() -> str:
    """The SHA-256 of the code and templates that make the documents: a changed renderer makes
    the next round write every unit again."""
    package = Path(__file__).resolve().parents[2]  # motcua/
    sources = sorted((package / "stats" / "reports").rglob("*.py"))
    sources += sorted((package / "templates" / "stats" / "documents").rglob("*"))
    digest = hashlib.sha256()
    for path in sources:
        if path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _figures_key(report: dict[str, Any], options: Any) -> str:
    """What decides a unit's documents: its figures, their options (annexes included) and the
    renderers."""
    blob = report_json(report) + json.dumps(options, sort_keys=True, default=str).encode()
    return _sha256(blob + renderer_digest().encode())


def _up_to_date(entry: Any, key: str, directory: Path) -> bool:
    if not isinstance(entry, dict) or entry.get("figures") != key:
        return False
    files = entry.get("files")
    if not isinstance(files, dict) or not files:
        return False
    return all(_file_sha256(directory / name) == digest for name, digest in files.items())


def write_zip(directory: Path, names: Iterable[str], zip_path: Path) -> None:
    """The ZIP of ``names`` (inside ``directory``): sorted, fixed timestamps, same bytes for the
    same files."""
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(names):
            info = zipfile.ZipInfo(f"{directory.name}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (directory / name).read_bytes())
    os.replace(partial, zip_path)


def write_round(
    *,
    root: Agency,
    period: Period,
    output: Path,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> RoundResult:
    """Write the round of ``root`` for ``period`` under ``output`` (see the module's docstring).

    Each unit's documents print its remembered report settings (``stats.ReportSettings``: header,
    number, place, recipients, signer), with ``options`` (``stats.reports.render``'s) on top;
    ``progress`` is called
    after each unit; ``jobs`` > 1 makes the documents in that many processes (not inside a
    transaction: the processes read the committed data). Raises :class:`RoundFailed` naming the
    unit whose documents failed.
    """
    options = dict(options or {})
    slug = period_slug(period)
    directory = Path(output) / slug
    directory.mkdir(parents=True, exist_ok=True)
    entries: dict[str, Any] = dict(_read_manifest(directory).get("units") or {})
    units = round_units(root)
    result = RoundResult(directory=directory, zip_path=Path(output) / f"{slug}.zip")
    header = {"root": root.code, "period": period.as_dict() | {"label": period.label}}
    jobs = max(1, min(jobs, len(units)))
    remembered = report_settings_options(agency_ids=[u.pk for u in units])
    args = [
        (
            u.pk,
            period,
            slug,
            str(directory),
            remembered.get(u.pk, {}) | options,
            entries.get(u.code),
        )
        for u in units
    ]
    for index, (code, entry) in enumerate(_made(args, jobs), start=1):
        if entry is not None:
            entries[code] = entry
            result.written.append(code)
            manifest = header | {"units": entries}
            _write_atomically(
                directory / MANIFEST,
                json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode(),
            )
        if progress is not None:
            progress(UnitDone(index=index, total=len(units), code=code, written=entry is not None))
    result.units = [u.code for u in units]
    names = [name for code in result.units for name in entries[code]["files"]]
    write_zip(directory, [*names, MANIFEST], result.zip_path)
    return result


def _made(args: list[tuple], jobs: int) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Each unit's (code, new manifest entry or None when up to date), as they finish."""
    if jobs == 1 or any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        for arg in args:
            yield _make_unit(*arg)
        return
    # The processes open their own connections: none may be shared across the fork.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_make_unit, *arg) for arg in args]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _make_unit(
    unit_id: int,
    period: Period,
    slug: str,
    directory_name: str,
    options: dict[str, Any],
    previous: Any,
) -> tuple[str, dict[str, Any] | None]:
    """Write one unit's documents unless they are up to date: (code, its new entry or None)."""
    directory = Path(directory_name)
    unit = Agency.objects.select_related("level", "parent").get(pk=unit_id)
    try:
        report = consolidated_report(unit=unit, period=period, children=True)
    except MotcuaError as exc:
        raise RoundFailed(_("%(unit)s: %(error)s") % {"unit": unit.code, "error": exc}) from exc
    violations = report_violations(report)
    if violations:
        raise RoundFailed(
            _("%(unit)s: the report breaks the identities of statistics.md §2: %(list)s")
            % {"unit": unit.code, "list": "; ".join(violations)}
        )
    names = file_names(unit.code, slug)
    annexes = formats_annexes(
        report=report, unit=unit, period=period, formats=[fmt for _name, fmt in names]
    )
    documents = [(name, fmt, options | annexes[fmt]) for name, fmt in names]
    key = _figures_key(report, [opts for _name, _fmt, opts in documents])
    if _up_to_date(previous, key, directory):
        return unit.code, None
    files: dict[str, str] = {}
    for name, fmt, document_options in documents:
        try:
            data = reports.render(report, fmt=fmt, **document_options)
        except (MotcuaError, ValueError) as exc:
            raise RoundFailed(
                _("%(unit)s, %(file)s: %(error)s") % {"unit": unit.code, "file": name, "error": exc}
            ) from exc
        _write_atomically(directory / name, data)
        files[name] = _sha256(data)
    return unit.code, {"name": unit.name, "figures": key, "files": files}
