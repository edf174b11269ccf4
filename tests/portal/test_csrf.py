"""Every form of the citizen portal is protected against cross-site requests: a POST without the
CSRF token is refused (403) and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import ProcedureAssignment
from motcua.dossiers.models import Dossier, DossierEvent, Rating
from motcua.petitions.models import Petition
from tests.catalog.factories import AgencyFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_every_portal_form_needs_the_csrf_token():
    procedure = ProcedureFactory(online_class=OnlineClass.FULL)
    ProcedureAssignment.objects.create(procedure=procedure, agency=AgencyFactory())
    client = Client(enforce_csrf_checks=True)
    posts = {
        reverse("portal:lookup"): {"code": "X", "id_number": "001090000123"},
        reverse("portal:rate"): {"code": "X", "id_number": "1", "value": "satisfied"},
        reverse("portal:correct"): {"code": "X", "secret": "Y", "send": "1"},
        reverse("portal:file_online", args=[procedure.code]): {"applicant_name": "A"},
        reverse("feedback:new"): {"name": "A", "title": "T", "content": "C"},
        reverse("feedback:follow"): {"code": "X", "secret": "Y"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert Dossier.objects.count() == DossierEvent.objects.count() == 0
    assert Rating.objects.count() == Petition.objects.count() == 0
