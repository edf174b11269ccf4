"""Catalogue factories; other apps' tests import these (keep the names)."""

from __future__ import annotations

from decimal import Decimal

import factory

from motcua.catalog.choices import OnlineClass, TimeUnit
from motcua.catalog.models import Agency, AgencyLevel, Field, Procedure, ProcedureAssignment


class AgencyLevelFactory(factory.django.DjangoModelFactory):
    """Reuses the level of the same code (the default levels exist after migrations)."""

    class Meta:
        model = AgencyLevel
        django_get_or_create = ("code",)

    code = "provincial_agency"
    name = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    rank = 1


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.{n // 100:02d}.{n % 100:02d}.H23")
    name = factory.Sequence(lambda n: f"Cơ quan {n}")
    level = factory.SubFactory(AgencyLevelFactory)
    parent = None


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục {n}")
    field = factory.SubFactory(FieldFactory)
    processing_time = Decimal(10)
    time_unit = TimeUnit.WORKING_DAYS
    online_class = OnlineClass.NONE


class ProcedureAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureAssignment

    procedure = factory.SubFactory(ProcedureFactory)
    agency = factory.SubFactory(AgencyFactory)
