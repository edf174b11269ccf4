"""The only code that changes a petition: each change is atomic, locked and leaves one event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.core.errors import MotcuaError, NotFound
from motcua.core.uploads import check_upload
from motcua.core.validators import normalize_phone
from motcua.dossiers.models import Dossier
from motcua.petitions import permissions as perms
from motcua.petitions.choices import PetitionAbout, PetitionEventType, PetitionState
from motcua.petitions.codes import SECRET_LENGTH, random_text, secret_digest
from motcua.petitions.models import Petition, PetitionEvent, PetitionFile
from motcua.worktime.selectors import calendar_for_agency

MAX_FILES = 5


def answer_due(agency_id: int, received_at: dt.datetime) -> dt.datetime:
    """The answer's due instant: MOTCUA_PETITION_ANSWER_DAYS working days on the agency's
    calendar, counted like a dossier's."""
    calendar = calendar_for_agency(agency_id=agency_id)
    return calendar.due_for_reception(
        received_at, settings.MOTCUA_PETITION_ANSWER_DAYS, "working_days"
    )


def _event(petition: Petition, type: str, at: dt.datetime, actor: Any, from_state: str, note=""):
    PetitionEvent.objects.create(
        petition=petition,
        type=type,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=from_state,
        to_state=petition.state,
        note=note,
    )


def _lock(petition: Petition | int) -> Petition:
    pk = petition.pk if isinstance(petition, Petition) else petition
    try:
        return Petition.objects.select_for_update().select_related("agency").get(pk=pk)
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("petition %(id)s does not exist") % {"id": pk}) from None


def _clean(text: str, what: str, *, required: bool = True, limit: int = 5000) -> str:
    text = (text or "").strip()
    if required and not text:
        raise MotcuaError(_("%(what)s is required") % {"what": what})
    if len(text) > limit:
        raise MotcuaError(
            _("%(what)s is longer than %(n)s characters") % {"what": what, "n": limit}
        )
    return text


@transaction.atomic
def petition_submit(
    *,
    agency: Agency,
    about: str,
    name: str,
    title: str,
    content: str,
    procedure: Procedure | None = None,
    dossier: Dossier | None = None,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    consent_publish: bool = False,
    files: Iterable[File] = (),
    at: dt.datetime | None = None,
) -> tuple[Petition, str]:
    """Record a petition from the public. Returns it with its secret (shown once, never stored)."""
    at = at or timezone.now()
    if about not in PetitionAbout.values:
        raise MotcuaError(_("Say what the petition is about."))
    if about == PetitionAbout.PROCEDURE and procedure is None:
        raise MotcuaError(_("Choose the procedure the petition is about."))
    if about == PetitionAbout.DOSSIER:
        if dossier is None:
            raise MotcuaError(_("Give the code of the dossier the petition is about."))
        agency = dossier.agency
    phone, email = (phone or "").strip(), (email or "").strip()
    if not (phone or email):
        raise MotcuaError(_("Give a phone number or an e-mail address so the agency can reply."))
    try:
        phone = normalize_phone(phone) if phone else ""
        if email:
            validate_email(email)
    except ValidationError as exc:
        raise MotcuaError(" ".join(exc.messages)) from None
    files = list(files)
    if len(files) > MAX_FILES:
        raise MotcuaError(_("At most %(n)s files may be attached.") % {"n": MAX_FILES})
    checked = [(f, check_upload(f)) for f in files]  # every file checked before anything is written
    secret = random_text(SECRET_LENGTH)
    fields = {
        "agency": agency,
        "about": about,
        "procedure": procedure if about == PetitionAbout.PROCEDURE else None,
        "dossier": dossier if about == PetitionAbout.DOSSIER else None,
        "name": _clean(name, _("Name"), limit=200),
        "organisation": _clean(organisation, _("Organisation"), required=False, limit=255),
        "phone": phone,
        "email": email,
        "address": _clean(address, _("Address"), required=False, limit=255),
        "title": _clean(title, _("Title"), limit=255),
        "content": _clean(content, _("Content")),
        "consent_publish": consent_publish,
        "received_at": at,
        "due_at": answer_due(agency.pk, at),
    }
    petition = None
    for _attempt in range(5):
        code = f"PA{timezone.localtime(at):%y%m%d}-{random_text(6)}"
        try:
            with transaction.atomic():
                petition = Petition.objects.create(
                    code=code, secret_hash=secret_digest(code, secret), **fields
                )
            break
        except IntegrityError:
            continue
    if petition is None:  # pragma: no cover - 31**6 codes a day
        raise MotcuaError(_("No free petition code; please try again."))
    for uploaded, facts in checked:
        stored = PetitionFile(
            petition=petition,
            original_name=facts.name,
            content_type=facts.content_type,
            size=facts.size,
            sha256=facts.sha256,
        )
        stored.file.save(facts.name, uploaded, save=False)
        stored.save()
    _event(petition, PetitionEventType.SUBMIT, at, None, "")
    return petition, secret


@transaction.atomic
def petition_assign(
    *, petition: Petition | int, actor: User, assignee: User, at: dt.datetime | None = None
) -> Petition:
    at = at or timezone.now()
    petition = _lock(petition)
    perms.authorize(actor, perms.ASSIGN, petition)
    if petition.state == PetitionState.ANSWERED:
        raise MotcuaError(_("This petition has already been answered."))
    if not perms.roles_at(assignee, petition.agency_id) & perms.ASSIGNABLE:
        raise MotcuaError(
            _("%(user)s does not work at %(agency)s.")
            % {"user": assignee.full_name or assignee.username, "agency": petition.agency}
        )
    before = petition.state
    petition.assigned_to = assignee
    petition.state = PetitionState.ASSIGNED
    petition.save(update_fields=["assigned_to", "state"])
    _event(petition, PetitionEventType.ASSIGN, at, actor, before, assignee.username)
    return petition


@transaction.atomic
def petition_answer(
    *, petition: Petition | int, actor: User, answer: str, at: dt.datetime | None = None
) -> Petition:
    at = at or timezone.now()
    petition = _lock(petition)
    perms.authorize(actor, perms.ANSWER, petition)
    if petition.state == PetitionState.ANSWERED:
        raise MotcuaError(_("This petition has already been answered."))
    before = petition.state
    petition.answer = _clean(answer, _("Answer"))
    petition.answered_at = at
    petition.answered_by = actor
    petition.state = PetitionState.ANSWERED
    petition.save(update_fields=["answer", "answered_at", "answered_by", "state"])
    _event(petition, PetitionEventType.ANSWER, at, actor, before)
    return petition


@transaction.atomic
def petition_publish(
    *, petition: Petition | int, actor: User, at: dt.datetime | None = None
) -> Petition:
    at = at or timezone.now()
    petition = _lock(petition)
    perms.authorize(actor, perms.PUBLISH, petition)
    if petition.state != PetitionState.ANSWERED:
        raise MotcuaError(_("Only an answer can be published."))
    if not petition.consent_publish:
        raise MotcuaError(_("The petitioner did not agree to publication."))
    if petition.published_at is not None:
        raise MotcuaError(_("This answer is already published."))
    petition.published_at = at
    petition.save(update_fields=["published_at"])
    _event(petition, PetitionEventType.PUBLISH, at, actor, petition.state)
    return petition
