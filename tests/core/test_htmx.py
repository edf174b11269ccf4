from __future__ import annotations

from django.test import RequestFactory

from motcua.core.htmx import is_htmx


def test_is_htmx_reads_the_header_without_the_middleware():
    factory = RequestFactory()
    assert is_htmx(factory.get("/", HTTP_HX_REQUEST="true"))
    assert not is_htmx(factory.get("/"))
