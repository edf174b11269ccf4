"""Dossier factories and helpers. Dossiers are built through the services, never by hand,
so every one has its events; ``received_dossier`` is the usual starting point."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.catalog.models import Agency, InternalProcess, ProcessStep, RequiredDocument
from motcua.dossiers import services
from motcua.dossiers.choices import Channel
from motcua.dossiers.models import Dossier
from tests.catalog.factories import AgencyFactory, ProcedureFactory

__all__ = [
    "AgencyFactory",
    "InternalProcessFactory",
    "ProcedureFactory",
    "ProcessStepFactory",
    "RequiredDocumentFactory",
    "UserFactory",
    "local",
    "official",
    "received_dossier",
    "staff",
    "submitted_dossier",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"Giấy tờ {n}")


class InternalProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalProcess

    procedure = factory.SubFactory(ProcedureFactory)
    agency = None
    version = 1


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    process = factory.SubFactory(InternalProcessFactory)
    position = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"Bước {n}")
    role = Role.SPECIALIST
    share_percent = Decimal(25)


OFFICIAL_ROLES = (Role.COUNTER_OFFICER, Role.SPECIALIST, Role.DEPARTMENT_HEAD, Role.LEADER)


def staff(where: Agency | Dossier | int) -> User:
    """An official holding every working role (counter, specialist, department head, leader)
    at the agency — or, given a dossier, at its handling agency: the user that tests of other
    rules act as. The authorisation rules themselves are tested in test_permissions.py."""
    if isinstance(where, Dossier):
        where = where.agency_id
    agency_id = where.pk if isinstance(where, Agency) else where
    user, created = User.objects.get_or_create(
        username=f"staff-{agency_id}", defaults={"full_name": f"Cán bộ cơ quan {agency_id}"}
    )
    if created:
        Membership.objects.bulk_create(
            Membership(user=user, agency_id=agency_id, role=role) for role in OFFICIAL_ROLES
        )
    return user


def official(agency: Agency | int, *roles: str) -> User:
    """A new official holding ``roles`` at ``agency``."""
    user = UserFactory()
    user.save()  # the factory sets the password without saving it (sessions check its hash)
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    Membership.objects.bulk_create(
        Membership(user=user, agency_id=agency_id, role=role) for role in roles
    )
    return user


def local(*args: int) -> dt.datetime:
    """An aware instant in the deployment's time zone: local(2026, 11, 23, 9, 0)."""
    return timezone.make_aware(dt.datetime(*args))


def received_dossier(
    *, at: dt.datetime | None = None, actor: User | None = None, **kwargs: Any
) -> Dossier:
    """A dossier received at the counter (agency and procedure made when not given)."""
    kwargs.setdefault("agency", AgencyFactory())
    kwargs.setdefault("procedure", ProcedureFactory())
    kwargs.setdefault("applicant_name", "Nguyễn Văn A")
    kwargs.setdefault("applicant_id_number", "001090000001")
    kwargs.setdefault("channel", Channel.DIRECT)
    actor = actor or staff(kwargs.get("receiving_unit") or kwargs["agency"])
    return services.dossier_receive(actor=actor, at=at or local(2026, 11, 23, 9, 0), **kwargs)


def submitted_dossier(
    *, at: dt.datetime | None = None, actor: User | None = None, **kwargs: Any
) -> Dossier:
    kwargs.setdefault("agency", AgencyFactory())
    kwargs.setdefault("procedure", ProcedureFactory())
    kwargs.setdefault("applicant_name", "Trần Thị B")
    kwargs.setdefault("applicant_id_number", "001090000002")
    actor = actor or staff(kwargs.get("receiving_unit") or kwargs["agency"])
    return services.dossier_submit_online(actor=actor, at=at or local(2026, 11, 23, 9, 0), **kwargs)
