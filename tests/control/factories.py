"""Control factories; catalogue rows come from tests.catalog.factories."""

from __future__ import annotations

import datetime as dt

import factory

from motcua.control.choices import DecisionKind
from motcua.control.models import PublicationDecision
from tests.catalog.factories import AgencyFactory


class PublicationDecisionFactory(factory.django.DjangoModelFactory):
    """A decision row as entered (not applied); use the services to apply it."""

    class Meta:
        model = PublicationDecision

    number = factory.Sequence(lambda n: f"{1000 + n}/QĐ-UBND")
    issued_on = dt.date(2020, 4, 23)
    effective_from = factory.LazyAttribute(lambda o: o.issued_on)
    signer = "Chủ tịch UBND tỉnh"
    kind = DecisionKind.PROCEDURES
    agency = factory.SubFactory(AgencyFactory)
