"""`/api/v1/reports/`: the report of statistics.md §5 as JSON, as `motcua report` prints it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from motcua.accounts.tokens import api_auth
from motcua.core.errors import MotcuaError, NotFound, PermissionDenied
from motcua.stats.assembly import report_for_code
from motcua.stats.periods import resolve_period

router = Router(tags=["reports"], auth=api_auth())  # bearer token or session


def _user(request: HttpRequest) -> Any:
    """The authenticated user, whether the auth class gave a user or a token."""
    auth = getattr(request, "auth", None)
    if getattr(auth, "is_authenticated", False):
        return auth
    return getattr(auth, "user", None) or request.user


class ErrorOut(Schema):
    detail: str


@router.get(
    "/",
    response={200: dict[str, Any], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Report of a unit for a period",
)
def report(
    request: HttpRequest,
    unit: str,
    period: str | None = None,
    start: str | None = Query(None, alias="from"),
    end: str | None = Query(None, alias="to"),
    cutoff: int | None = None,
    children: bool = False,
):
    """The unit's counters, rates and late list (statistics.md §5) for ``period`` (2021-10,
    2020-Q2, 2020-H1, 2020-M9, 2020; ``cutoff`` = the last day of each month's period) or for
    ``from`` .. ``to``; ``children=true`` adds one section per child unit. Only units within
    the user's agencies."""
    try:
        p = resolve_period(period=period, start=start, end=end, cutoff=cutoff)
        user = _user(request)
        return Status(200, report_for_code(code=unit, period=p, children=children, user=user))
    except NotFound as exc:
        return Status(404, {"detail": str(exc)})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except MotcuaError as exc:
        return Status(400, {"detail": str(exc)})
