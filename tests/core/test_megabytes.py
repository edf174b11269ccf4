"""File sizes are shown in MB in the active language's number format (core.uploads.megabytes)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from motcua.core.uploads import megabytes

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "vi", "en"),
    [
        (int(1.5 * MB), "1,5 MB", "1.5 MB"),
        (12 * MB + MB // 4, "12,2 MB", "12.2 MB"),  # 12.25 rounds to even
        (MB // 2, "0,50 MB", "0.50 MB"),
        (300, "0,01 MB", "0.01 MB"),  # a non-empty file never reads as 0
        (0, "0,00 MB", "0.00 MB"),
    ],
)
def test_megabytes_in_each_language(size, vi, en):
    for language, expected in (("vi", vi), ("en", en)):
        with translation.override(language):
            assert megabytes(size) == expected
            rendered = Template("{% load motcua_format %}{{ s|megabytes }}").render(
                Context({"s": size})
            )
            assert rendered == expected
