"""Finding dossiers by free text: the one rule, and the column that serves it.

``Dossier.applicant_search`` holds ``fold(applicant name)`` followed by the ID number and the
phone's digits, written by the services whenever an applicant is set (``applicant_search_text``
at reception; ``refresh_applicant_search`` after bulk applicant updates). A query matches a
dossier when every folded word is in that column, or when the whole query is part of the code,
in any case. On PostgreSQL a trigram index serves the ``LIKE '%…%'`` of each word (migration
0005); SQLite scans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q

from motcua.core.text import fold, search_words

_NOT_DIGIT = re.compile(r"\D")


def applicant_search_text(name: str | None, id_number: str | None, phone: str | None) -> str:
    """What the search column holds for an applicant."""
    parts = [fold(name), (id_number or "").strip().lower(), _NOT_DIGIT.sub("", phone or "")]
    return " ".join(p for p in parts if p)


def dossier_text_q(text: str | None) -> Q:
    """Dossiers found by free text: its code (any case), or every word of the applicant's name
    (without diacritics), ID number or phone."""
    text = (text or "").strip()
    if not text:
        return Q()
    words = search_words(text)
    by_applicant = Q()
    for word in words:
        by_applicant &= Q(applicant_search__contains=word)
    return Q(code__icontains=text) | by_applicant if words else Q(code__icontains=text)


def refresh_applicant_search(dossier_ids: Iterable[int]) -> None:
    """Rewrite the search column of these dossiers from their applicant fields (after a bulk
    update of applicants that did not go through ``applicant_search_text``)."""
    from motcua.dossiers.models import Dossier

    ids = list(dossier_ids)
    for start in range(0, len(ids), 2000):
        rows = Dossier.objects.filter(pk__in=ids[start : start + 2000]).only(
            "pk", "applicant_name", "applicant_id_number", "applicant_phone"
        )
        changed = []
        for d in rows:
            d.applicant_search = applicant_search_text(
                d.applicant_name, d.applicant_id_number, d.applicant_phone
            )
            changed.append(d)
        Dossier.objects.bulk_update(changed, ["applicant_search"], batch_size=1000)
