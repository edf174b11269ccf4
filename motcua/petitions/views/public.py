"""The public side of feedback and petitions: send one, follow it, read published answers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.catalog.selectors import agency_list, procedure_list
from motcua.core.errors import MotcuaError
from motcua.petitions import services
from motcua.petitions.choices import PetitionAbout
from motcua.petitions.forms import PetitionFollowForm, PetitionForm
from motcua.petitions.selectors import (
    dossier_for_petition,
    petition_lookup_public,
    petitions_published,
)
from motcua.portal import throttle
from motcua.portal.views import throttled_response


def _form(data=None, files=None) -> PetitionForm:
    return PetitionForm(
        data,
        files,
        agencies=agency_list().order_by("name"),
        procedures=procedure_list().filter(is_active=True).order_by("name"),
    )


def petition_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "petitions/public_new.html", {"form": _form()})
    form = _form(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        dossier = None
        if data["about"] == PetitionAbout.DOSSIER:
            dossier = dossier_for_petition(code=data["dossier_code"])
            if dossier is None:
                form.add_error("dossier_code", _("No dossier has this code."))
        procedure = data.get("procedure")
        agency = data.get("agency")
        if form.is_valid():
            try:
                petition, secret = services.petition_submit(
                    agency=agency,
                    about=data["about"],
                    procedure=procedure,
                    dossier=dossier,
                    name=data["name"],
                    organisation=data["organisation"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    title=data["title"],
                    content=data["content"],
                    consent_publish=data["consent_publish"],
                    files=data["files"],
                )
            except MotcuaError as exc:
                form.add_error(None, str(exc))
            else:
                context = {"petition": petition, "secret": secret}
                return render(request, "petitions/public_created.html", context, status=201)
    return render(request, "petitions/public_new.html", {"form": form}, status=400)


def petition_follow(request: HttpRequest) -> HttpResponse:
    context: dict = {}
    if request.method == "POST":
        if (refused := _throttled(request)) is not None:
            return refused
        form = PetitionFollowForm(request.POST)
        if form.is_valid():
            petition = petition_lookup_public(
                code=form.cleaned_data["code"], secret=form.cleaned_data["secret"]
            )
            if petition is None:
                throttle.lookup_failure_record(address=throttle.client_address(request))
                context["not_found"] = True
            else:
                context["petition"] = petition
    else:
        form = PetitionFollowForm(initial={"code": request.GET.get("code", "")})
    context["form"] = form
    return render(request, "petitions/public_follow.html", context)


def petition_answers(request: HttpRequest) -> HttpResponse:
    page = Paginator(petitions_published(), 20).get_page(request.GET.get("page"))
    return render(request, "petitions/public_answers.html", {"page": page})


def _throttled(request: HttpRequest) -> HttpResponse | None:
    form = PetitionFollowForm(initial={"code": request.POST.get("code", "")})
    return throttled_response(
        request, template="petitions/public_follow.html", context={"form": form}
    )
