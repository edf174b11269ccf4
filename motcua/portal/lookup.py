"""What a look-up shows the applicant, and a per-process cache of it.

The result (state in plain words, appointment, apology letters, documents to add, result
delivery, the public timeline) is rendered from the dossier row that
``selectors.dossier_for_applicant`` read in its one statement and from the dossier's events.
Everything else on the page (the form, the CSRF token, the rating form with what the citizen
typed) is rendered per request.

The page around it (the portal's header, the form, the rating card) does not depend on the
dossier: ``result_page`` renders it once per language, sign-in state and rating offer with
markers in place of the per-request values (CSRF token, what the citizen typed, the result),
and fills them in by joining the shell split at its markers; the typed values are HTML-escaped
as the template would. Used for a found dossier when no message waits to be shown (else the view renders the
template as usual).

Cache: the rendered result is kept per process, keyed on the language and everything the look-up
read (``FoundDossier.version``): the dossier's id, every column the page shows, the ``seq`` and
hash of its last event (the hash chains all earlier events: dossiers/audit.py). Events are append-only and every change of a dossier is an event (a
service writes one; imports, retention and history records too), so a new event gives a new key
and the old entry is never read again; a column changed any other way (an agency or procedure
renamed, a postal tracking number learnt) changes the key too.
A hit costs no query beyond the look-up's own. Bounded (``CACHE_SIZE`` entries, least recently
used dropped first); nothing is shared between processes, so nothing needs invalidating there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import DeliveryChannel, DossierState, EventType, RatingValue
from motcua.dossiers.selectors import dossier_events_brief
from motcua.dossiers.workflow import allowed
from motcua.portal.forms import DELIVERY_FOR_APPLICANTS
from motcua.portal.selectors import FoundDossier

# What each state means, said to the applicant.
PLAIN_STATES = {
    DossierState.SUBMITTED: _(
        "Your online dossier has arrived and is waiting to be checked by an officer."
    ),
    DossierState.NOT_RECEIVED: _("Your online dossier was not accepted; see the reason below."),
    DossierState.RETURNED: _(
        "Your online dossier needs changes before it can be received; see what to fix below, "
        "then correct it with your tracking code and secret."
    ),
    DossierState.RECEIVED: _("Your dossier has been received."),
    DossierState.IN_PROCESS: _("Your dossier is being examined."),
    DossierState.AWAITING_SUPPLEMENT: _(
        "Your dossier needs more documents: please complete it. The time limit is paused."
    ),
    DossierState.TRANSFERRING: _("Your dossier is being passed to another agency."),
    DossierState.RESOLVED: _("The result is ready."),
    DossierState.DELIVERED: _("The result has been handed to you."),
    DossierState.REFUSED: _("Your dossier was refused; see the reason below."),
    DossierState.WITHDRAWN: _("Your dossier was withdrawn at your request."),
    DossierState.STOPPED: _("Processing of your dossier was stopped."),
    DossierState.FILED: _("Your notification has been received and filed."),
}
# Events worth showing to the applicant (internal moves, imports and attachments stay internal).
PUBLIC_EVENTS = frozenset(
    {
        EventType.SUBMIT,
        EventType.PRECHECK_ACCEPT,
        EventType.PRECHECK_REFUSE,
        EventType.PRECHECK_RETURN,
        EventType.RESUBMIT,
        EventType.RECEIVE,
        EventType.SUPPLEMENT_REQUEST,
        EventType.SUPPLEMENT_RECEIVE,
        EventType.TRANSFER,
        EventType.REFUSE,
        EventType.WITHDRAW,
        EventType.STOP,
        EventType.RESOLVE,
        EventType.DELIVER,
        EventType.APOLOGIZE,
        EventType.FILE,
        EventType.RATE,
    }
)
CACHE_SIZE = 4096

_cache: OrderedDict[tuple, tuple[SafeString, bool]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Apology:
    new_due_at: dt.datetime | None
    reason: str


def _instant(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _key(dossier: FoundDossier) -> tuple:
    return (get_language(), *dossier.version)


def result_parts(dossier: FoundDossier) -> tuple[SafeString, bool]:
    """The rendered result of a dossier read by ``dossier_for_applicant``, and whether the
    applicant may rate it now; from the cache when the dossier has not changed."""
    key = _key(dossier)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    parts = _render(dossier)
    with _lock:
        _cache[key] = parts
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return parts


def forget_all() -> None:
    """Empty this process's cache (tests)."""
    with _lock:
        _cache.clear()


def _render(dossier: FoundDossier) -> tuple[SafeString, bool]:
    events = list(dossier_events_brief(dossier_id=dossier.pk))
    apologies: list[Apology] = []
    rated = False
    asked = ""  # what the last supplement request asked for
    for e in events:
        p = e.payload or {}
        if e.type == EventType.APOLOGIZE:
            apologies.append(Apology(_instant(p.get("new_due_at")), str(p.get("reason", ""))))
        elif e.type == EventType.RATE:
            rated = True
        elif e.type == EventType.SUPPLEMENT_REQUEST:
            asked = str(p.get("reason", ""))
        elif e.type == EventType.IMPORT:  # history from elsewhere (services/history.py)
            rated = rated or bool(p.get("ratings"))
            apologies.extend(
                Apology(_instant(a.get("new_due_at")), str(a.get("reason", "")))
                for a in p.get("apologies", ())
            )
    can_rate = allowed(dossier.state, EventType.RATE) and not rated
    postal = dossier.delivery_channel == DeliveryChannel.POSTAL
    context = {
        "dossier": dossier,
        "code": dossier.code or dossier.reference or "",
        "reference": dossier.reference or "",
        "plain_state": PLAIN_STATES.get(dossier.state, dossier.get_state_display()),
        "events": [e for e in events if e.type in PUBLIC_EVENTS],
        "apologies": apologies,
        "to_add": (asked or "—") if dossier.state == DossierState.AWAITING_SUPPLEMENT else "",
        "postal": postal,
        "delivery": DELIVERY_FOR_APPLICANTS.get(dossier.delivery_channel, ""),
        "postal_tracking": (dossier.postal_tracking or dossier.postal_order_tracking or "")
        if postal
        else "",
    }
    return SafeString(render_to_string("portal/lookup_result.html", context)), can_rate


# --- the page around the result ---------------------------------------------------------

_MARK = re.compile(r"@@motcua-(csrf|code|proof|result)@@")
# The shell split at its markers: text, marker name, text, marker name, ..., text.
_shells: dict[tuple, list[str]] = {}


class _ShellRequest:
    """What the portal's base templates read from the request, for the shared shell."""

    path = "/portal/"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_full_path(self) -> str:
        return self.path


class _ShellUser:
    def __init__(self, authenticated: bool) -> None:
        self.is_authenticated = authenticated


def _shell(authenticated: bool, can_rate: bool) -> list[str]:
    from motcua.portal.views import LookupForm

    key = (get_language(), authenticated, can_rate)
    shell = _shells.get(key)
    if shell is None:
        user = _ShellUser(authenticated)
        form = LookupForm(initial={"code": "@@motcua-code@@", "id_number": "@@motcua-proof@@"})
        context = {
            "form": form,
            "result": SafeString("@@motcua-result@@"),
            "can_rate": can_rate,
            "rating_choices": RatingValue.choices,
            "csrf_token": "@@motcua-csrf@@",
            "request": _ShellRequest(user),
            "user": user,
        }
        page = render_to_string("portal/lookup.html", context)
        shell = _shells[key] = _MARK.split(page)
    return shell


def result_page(request: HttpRequest, dossier: FoundDossier, *, code: str, proof: str):
    """The look-up page showing ``dossier`` (None when a message waits: render as usual)."""
    if len(get_messages(request)):
        return None
    result, can_rate = result_parts(dossier)
    user = getattr(request, "user", None)
    shell = _shell(bool(user is not None and user.is_authenticated), can_rate)
    values = {"csrf": csrf_token(request), "code": escape(code), "proof": escape(proof)}
    values["result"] = result
    parts = shell.copy()
    parts[1::2] = [values[name] for name in shell[1::2]]
    return HttpResponse("".join(parts))


def csrf_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns (the CSRF secret masked anew, the cookie
    renewed), with the mask drawn from one ``os.urandom`` call instead of one per character
    (32 system calls: a tenth of a cached look-up's CPU). Django's masking: each character of
    the token's second half is the secret's plus the mask's, modulo the 62 allowed characters;
    ``tests/portal/test_lookup_lean.py`` has Django unmask and accept it."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:  # no cookie yet: Django makes the secret and its cookie
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:  # uniform: bytes of 248 and over are dropped
        mask.extend(b % _BASE for b in os.urandom(48) if b < _UNBIASED)
    mask = mask[:CSRF_SECRET_LENGTH]
    chars = CSRF_ALLOWED_CHARS
    cipher = (chars[(_INDEX[c] + m) % _BASE] for c, m in zip(secret, mask, strict=True))
    return "".join(chars[m] for m in mask) + "".join(cipher)


_BASE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _BASE
_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
