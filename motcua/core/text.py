"""Text folding for search: one rule for "matches regardless of case and diacritics".

Vietnamese is written with many diacritics (``Nguyễn``, ``Đăng ký``), while people type
``nguyen`` or ``dang ky`` and paste codes in any case. ``fold`` maps a text to the form that
searches compare: lower case, without combining marks, ``đ`` → ``d``, whitespace collapsed.
It is used both when a search column is written and when a query is read, so the two always
agree; no other module may fold text its own way.
"""

from __future__ import annotations

import unicodedata

# Letters that carry no combining mark in Unicode but still must fold to their base letter.
_STROKES = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str | None) -> str:
    """Lower case, no diacritics, ``đ``→``d``, single spaces: the searchable form of ``text``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_STROKES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def search_words(query: str | None, *, limit: int = 8) -> list[str]:
    """The folded words of a query (at most ``limit``), each to be matched as a substring."""
    return fold(query).split()[:limit]
