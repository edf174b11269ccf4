"""POST /api/v1/dossiers/{ref}/actions/{action}: one endpoint per action of the registry.

The actions, their body schemas and services come from ``dossiers.action_registry``; the older
names (``advance``, ``request_supplement``, ...) stay accepted as deprecated aliases. A move the
workflow does not allow is 409, one the caller's role does not allow 403, an unknown action 404.
(No ``from __future__ import annotations`` here: the handlers are built from the registry and
their annotations must be real types.)
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.core.errors import NotFound
from motcua.dossiers.action_registry import ACTIONS, API_ALIASES, DossierAction
from motcua.dossiers.api.present import dossier_detail, get_visible, log_shown
from motcua.dossiers.api.schemas import DossierDetailOut, ErrorOut
from motcua.dossiers.masking import Viewer
from motcua.dossiers.selectors import dossier_get

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _handler(name: str, action: DossierAction, schema: type[Schema]) -> Callable[..., Any]:
    def handler(request, ref, body):
        dossier = get_visible(request.auth, ref)
        action.call(actor=request.auth, dossier=dossier, **action.body_kwargs(body))
        dossier, viewer = dossier_get(user=request.auth, pk=dossier.pk), Viewer(request.auth)
        answer = dossier_detail(dossier, viewer=viewer)
        log_shown(request, [dossier], viewer=viewer, purpose=f"API: {name}")
        return answer

    handler.__name__ = f"dossier_{name}"
    handler.__annotations__ = {"request": HttpRequest, "ref": str, "body": schema}
    return handler


def _roles(action: DossierAction) -> str:
    parts = [f"{scope}: {', '.join(sorted(roles))}" for scope, roles in action.roles.items()]
    return "; ".join(parts)


def register_actions(router: Router) -> None:
    routes = [(name, name, False) for name in ACTIONS]
    routes += [(alias, name, True) for alias, name in API_ALIASES.items()]
    for path_name, name, deprecated in routes:
        action = ACTIONS[name]
        summary = action.summary + (f" (older name of {name})" if deprecated else "")
        router.post(
            f"/{{ref}}/actions/{path_name}",
            response={200: DossierDetailOut, **ERRORS},
            summary=summary,
            description=f"{action.summary}. Allowed roles by scope — {_roles(action)}. "
            "Returns the dossier with its history.",
            operation_id=f"dossier_action_{path_name}",
            deprecated=deprecated,
        )(_handler(path_name, action, action.schema))

    names = ", ".join([*ACTIONS, *API_ALIASES])

    @router.post(
        "/{ref}/actions/{action}",
        response={404: ErrorOut},
        summary="Unknown action",
        description="Any other action name is refused with 404. Actions: " + names,
        operation_id="dossier_action_unknown",
        include_in_schema=False,
    )
    def unknown_action(request: HttpRequest, ref: str, action: str):
        raise NotFound(
            _("unknown action '%(action)s'; one of: %(actions)s")
            % {"action": action, "actions": names}
        )
