"""`/api/v1/reports/index/`: the Decision 766 index as JSON, as `motcua index` prints it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from motcua.accounts.tokens import api_auth
from motcua.core.errors import MotcuaError, NotFound, PermissionDenied
from motcua.stats.api import ErrorOut, _user
from motcua.stats.periods import resolve_period
from motcua.stats.service_index.scoring import compute_index, criterion_losses, unit_by_code

router = Router(tags=["reports"], auth=api_auth())

RESPONSES = {200: dict[str, Any], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _call(fn, **kwargs):
    try:
        return Status(200, fn(**kwargs))
    except NotFound as exc:
        return Status(404, {"detail": str(exc)})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except MotcuaError as exc:
        return Status(400, {"detail": str(exc)})


def _args(request, unit, period, start, end, cutoff) -> dict[str, Any]:
    return {
        "unit": unit_by_code(unit),
        "period": resolve_period(
            period=period, start=start, end=end, cutoff=0 if cutoff is None else cutoff
        ),
        "user": _user(request),
    }


@router.get("/", response=RESPONSES, summary="Decision 766 service index of a unit")
def index(
    request: HttpRequest,
    unit: str,
    period: str | None = None,
    start: str | None = Query(None, alias="from"),
    end: str | None = Query(None, alias="to"),
    cutoff: int | None = None,
    children: bool = False,
):
    """Score, groups and criteria (formula, inputs, points; "not measured" ones left out of
    the maximum) of the unit for ``period`` (calendar months unless ``cutoff``) or ``from`` ..
    ``to``; ``children=true`` ranks the child units. Only units within the user's agencies."""

    def run() -> dict[str, Any]:
        return compute_index(**_args(request, unit, period, start, end, cutoff), children=children)

    return _call(run)


@router.get("/losses/", response=RESPONSES, summary="Records that lost a criterion its points")
def losses(
    request: HttpRequest,
    unit: str,
    criterion: str,
    period: str | None = None,
    start: str | None = Query(None, alias="from"),
    end: str | None = Query(None, alias="to"),
    cutoff: int | None = None,
):
    def run() -> dict[str, Any]:
        return criterion_losses(**_args(request, unit, period, start, end, cutoff), code=criterion)

    return _call(run)
