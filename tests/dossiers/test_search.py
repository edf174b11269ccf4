"""Dossier search: by code in any case, by applicant name without diacritics, by ID or phone;
the same rule for the list, the API and the officials' pages (dossiers/search.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.dossiers.search import applicant_search_text, dossier_text_q
from tests.dossiers.factories import AgencyFactory, received_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    agency = AgencyFactory()
    return {
        "an": received_dossier(
            agency=agency, applicant_name="Nguyễn Văn An", applicant_id_number="001090000123",
            applicant_phone="0912 345 678",
        ),
        "do": received_dossier(agency=agency, applicant_name="Đỗ Thị Đào", applicant_id_number="001090000456"),
        "tran": received_dossier(agency=agency, applicant_name="Trần Văn Nguyên", applicant_id_number="001090000789"),
    }  # fmt: skip


def found(query: str) -> set[str]:
    return set(
        Dossier.objects.filter(dossier_text_q(query)).values_list("applicant_name", flat=True)
    )


@pytest.mark.parametrize("query", ["nguyen van", "NGUYỄN VĂN", "Nguyen Van", "  nguyễn   văn an "])
def test_names_match_without_case_or_diacritics(people, query):
    assert "Nguyễn Văn An" in found(query)


def test_every_word_must_match_and_d_matches_both_letters(people):
    assert found("van nguyen") == {"Nguyễn Văn An", "Trần Văn Nguyên"}
    assert found("do dao") == {"Đỗ Thị Đào"} == found("ĐỖ ĐÀO")
    assert found("nguyen thi") == set()


def test_codes_ids_and_phones(people):
    d = people["an"]
    assert found(d.code.lower()) == {"Nguyễn Văn An"}
    assert found(d.code[-6:]) >= {"Nguyễn Văn An"}
    assert found("001090000123") == {"Nguyễn Văn An"}
    assert found("0912345678") == {"Nguyễn Văn An"}


def test_the_column_is_written_at_reception(people):
    d = Dossier.objects.get(pk=people["an"].pk)
    assert d.applicant_search == applicant_search_text(
        "Nguyễn Văn An", "001090000123", "0912 345 678"
    )
    assert d.applicant_search == "nguyen van an 001090000123 0912345678"


def test_the_list_page_searches_the_same_way(people, client):
    from tests.dossiers.factories import staff

    client.force_login(staff(people["an"]))
    body = client.get("/dossiers/", {"q": "nguyen van an"}).content.decode()
    assert people["an"].code in body and people["do"].code not in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram index on PostgreSQL")
def test_postgresql_can_serve_the_search_from_the_trigram_index(people):
    # Unordered: in the lists' order, the index dossier_received may serve it too (test below).
    qs = Dossier.objects.filter(dossier_text_q("nguyen van")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    assert "dossier_applicant_search_trgm" in plan
