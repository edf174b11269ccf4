"""Public reads of the citizen portal: the procedure catalogue (no login, nothing private)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.catalog.models import Agency, Field, Procedure, RequiredDocument
from motcua.catalog.selectors import procedure_text_q
from motcua.control.selectors import procedures_in_force_q
from motcua.core.generations import memo, remembered


def _today() -> dt.date:
    return timezone.localdate()


def procedures_public(*, on: dt.date | None = None) -> QuerySet[Procedure]:
    """Procedures in force today (the TTHC-control history decides), with their documents."""
    return (
        Procedure.objects.filter(procedures_in_force_q(on=on or _today()))
        .select_related("field")
        .prefetch_related(
            "documents", Prefetch("agencies", queryset=Agency.objects.order_by("code"))
        )
    )


def procedure_search(
    *,
    q: str = "",
    field_id: int | None = None,
    agency_id: int | None = None,
    level: str = "",
    online_class: str = "",
    on: dt.date | None = None,
) -> QuerySet[Procedure]:
    """Procedures in force matching words of their name or their code (case and diacritics
    ignored), narrowed by field, agency, level and online class."""
    qs = procedures_public(on=on).filter(procedure_text_q(q)).order_by("field__name", "code")
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    if agency_id is not None:
        qs = qs.filter(agencies=agency_id).distinct()
    if level:
        qs = qs.filter(level=level)
    if online_class:
        qs = qs.filter(online_class=online_class)
    return qs


def procedure_public_get(*, code: str, on: dt.date | None = None) -> Procedure | None:
    """The procedure in force with this code, with its documents and agencies prefetched
    (memoised per process until the catalogue or the revisions change, per day: the instance is
    shared by the requests of the process, so its callers only read it)."""
    code, on = (code or "").strip(), on or _today()
    return remembered(
        memo("catalogue"),
        ("portal_procedure", code, on),
        lambda: procedures_public(on=on).filter(code=code).first(),
    )


def filing_choices(*, procedure: Procedure) -> tuple[list[Agency], list[RequiredDocument]]:
    """The online filing form's agencies (by name) and documents (in order) of ``procedure``
    (memoised per process until the catalogue changes; the callers only read them)."""
    return remembered(
        memo("catalogue"),
        ("filing_choices", procedure.pk),
        lambda: (
            list(Agency.objects.filter(procedures=procedure).order_by("name")),
            list(RequiredDocument.objects.filter(procedure=procedure).order_by("position", "pk")),
        ),
    )


def field_list() -> QuerySet[Field]:
    return Field.objects.filter(procedure__is_active=True).distinct().order_by("name")


def agencies_with_procedures() -> QuerySet[Agency]:
    return Agency.objects.filter(procedures__is_active=True).distinct().order_by("name")


# The columns a look-up reads (the result page shows no other: see portal/lookup.py).
LOOKUP_COLUMNS = (
    "code",
    "state",
    "one_way",
    "applicant_id_number",
    "received_at",
    "due_at",
    "delivery_channel",
    "postal_tracking",
    "delivered_at",
    "agency__name",
    "procedure__name",
    "online_submission__reference",
    "online_submission__secret_hash",
)


class FoundDossier:
    """A dossier as the look-up read it: the columns of ``LOOKUP_COLUMNS`` (``agency__name`` as
    ``agency_name``…), ``pk``, ``last_seq``, ``last_hash`` and ``postal_order_tracking``."""

    def __init__(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(self, _attribute(name), value)
        # Everything read: what the page is a function of.
        self.version = tuple(values.values())

    def get_state_display(self) -> str:
        from motcua.dossiers.choices import DossierState

        return str(DossierState(self.state).label) if self.state else ""


@functools.cache
def _attribute(column: str) -> str:
    """``agency__name`` → ``agency_name``, ``online_submission__reference`` → ``reference``."""
    return column.replace("online_submission__", "").replace("__", "_")


# The look-up's statement, compiled once per database alias (see _statement).
_SENTINEL_CODE, _SENTINEL_ADDRESS = "\x02code", "\x02address"
_SENTINEL_WINDOW = dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_SENTINEL_LIMIT = 2_000_000_001
_statements: dict[tuple[str, bool], tuple] = {}


def _lookup_queryset(
    code: str, address: str | None, window: dt.datetime | None, limit: int | None
) -> QuerySet:
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.integrations.selectors import postal_delivery_tracking
    from motcua.portal.models import LookupFailure, OnlineSubmission

    # The dossier whose code is ``code``, else the one whose tracking reference is: each an
    # index look-up, then one row by primary key (an OR would let the planner scan the table).
    by_code = Dossier.objects.filter(code=code).order_by().values("pk")[:1]
    by_reference = (
        OnlineSubmission.objects.filter(reference=code).order_by().values("dossier_id")[:1]
    )
    last = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-seq")
    annotations = {
        "last_seq": Subquery(last.values("seq")[:1]),
        "last_hash": Subquery(last.values("hash")[:1]),
        "postal_order_tracking": postal_delivery_tracking(OuterRef("pk")),
    }
    qs = Dossier.objects.filter(pk=Coalesce(Subquery(by_code), Subquery(by_reference)))
    if address is not None:
        # A client blocked by the throttle gets no row: no dossier data leaves the database.
        failures = LookupFailure.objects.filter(address=address, window_start=window)
        qs = qs.alias(failures=Coalesce(Subquery(failures.values("count")[:1]), 0))
        qs = qs.filter(failures__lt=limit)
    return qs.annotate(**annotations).values("pk", *LOOKUP_COLUMNS, *annotations).order_by()[:1]


def _statement(using: str, throttled: bool) -> tuple:
    """(sql, params with sentinels, column names, converters) of the look-up on ``using``.

    The ORM builds and compiles the query once; every look-up then sends the same SQL with its
    own values in place of the sentinels (building the query cost more than running it)."""
    key = (using, throttled)
    if key not in _statements:
        from motcua.portal.models import LookupFailure

        address = _SENTINEL_ADDRESS if throttled else None
        qs = _lookup_queryset(_SENTINEL_CODE, address, _SENTINEL_WINDOW, _SENTINEL_LIMIT)
        compiler = qs.query.get_compiler(using)
        sql, params = compiler.as_sql()
        window_field = LookupFailure._meta.get_field("window_start")
        window = window_field.get_db_prep_value(_SENTINEL_WINDOW, compiler.connection)
        slots: list[tuple[str | None, Any]] = []  # (name of the value to put, or the literal)
        for value in params:
            if isinstance(value, str) and value in (_SENTINEL_CODE, _SENTINEL_ADDRESS):
                slots.append(("code" if value == _SENTINEL_CODE else "address", None))
            elif value == window:
                slots.append(("window", None))
            elif value == _SENTINEL_LIMIT and not isinstance(value, str):
                slots.append(("limit", None))
            else:
                slots.append((None, value))
        query = qs.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        expressions = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(expressions).items())
        _statements[key] = (sql, slots, names, converters, window_field)
    return _statements[key]


def _read(code: str, throttle_address: str | None) -> list[dict[str, Any]]:
    from motcua.dossiers.models import Dossier
    from motcua.portal.throttle import window_start

    using = router.db_for_read(Dossier)
    sql, slots, names, converters, window_field = _statement(using, throttle_address is not None)
    connection = connections[using]
    values: dict[str, Any] = {"code": code, "address": throttle_address}
    if throttle_address is not None:
        window = window_start(at=timezone.now())
        values["window"] = window_field.get_db_prep_value(window, connection)
        values["limit"] = settings.MOTCUA_PORTAL_MAX_FAILURES
    params = [literal if name is None else values[name] for name, literal in slots]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in map(list, rows):
        for pos, (functions, expression) in converters:
            for function in functions:
                row[pos] = function(row[pos], expression, connection)
        found.append(dict(zip(names, row, strict=True)))
    return found


def dossier_for_applicant(
    *, code: str, proof: str, throttle_address: str | None = None
) -> FoundDossier | None:
    """The portal's look-up: the dossier whose code (or online tracking reference) is ``code``,
    case-insensitive, only when ``proof`` is the applicant's ID number or the submission's secret.
    An unknown code and a wrong proof both give None.

    One SQL statement (compiled once: ``_statement``): the dossier's columns the page shows,
    its agency's and procedure's names, its online submission, the ``seq`` and hash of its last
    event (``last_seq``, ``last_hash``: the version of its history, which portal/lookup.py
    caches the page on; the hash chains every earlier event), the tracking number of its postal
    delivery order (``postal_order_tracking``); given ``throttle_address``, nothing when that
    address is blocked (its failed look-ups in the current window reached the limit,
    portal/throttle.py)."""
    from motcua.petitions.codes import secret_matches

    code, proof = (code or "").strip().upper(), (proof or "").strip()
    if not code or not proof:
        return None
    rows = _read(code, throttle_address)  # a dossier's code wins over a tracking reference
    if not rows:
        return None
    dossier = FoundDossier(rows[0])
    if dossier.applicant_id_number and proof.replace(" ", "") == dossier.applicant_id_number:
        return dossier
    if dossier.reference and secret_matches(dossier.secret_hash, dossier.reference, proof):
        return dossier
    return None


def submission_for_secret(*, code: str, secret: str):
    """The online submission whose tracking reference (or its dossier's code) is ``code`` and
    whose secret is ``secret``; None for anything else, whichever part is wrong."""
    from motcua.petitions.codes import secret_matches
    from motcua.portal.models import OnlineSubmission

    code, secret = (code or "").strip().upper(), (secret or "").strip()
    if not code or not secret:
        return None
    submission = (
        OnlineSubmission.objects.select_related("dossier__procedure", "dossier__agency")
        .filter(Q(reference=code) | Q(dossier__code=code))
        .first()
    )
    if submission is None or not secret_matches(
        submission.secret_hash, submission.reference, secret
    ):
        return None
    return submission
