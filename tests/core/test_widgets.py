"""core.widgets.QuickSelect renders what Django's Select renders (options, selection,
attributes, escaping), only faster."""

from __future__ import annotations

import re

import pytest
from django import forms

from motcua.core.widgets import QuickSelect

CHOICES = [("", "---------"), ("a", "Đăng ký <khai sinh>"), ("b&c", 'Cấp "phép"'), (3, "ba")]


def parsed(html: str) -> tuple[dict[str, str], list[tuple[str, bool, str]]]:
    head = re.match(r"<select([^>]*)>", html).group(1)
    attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', head))
    attrs.update({k: "" for k in re.findall(r"\s(\w+)(?=\s|$)", head) if k not in attrs})
    options = re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', html, re.S)
    return attrs, [(v, bool(s), label.strip()) for v, s, label in options]


@pytest.mark.parametrize("value", [None, "", "a", "b&c", 3, "3", "missing"])
def test_same_options_selection_and_escaping_as_django(value):
    attrs = {"class": "form-select", "id": "id_x", "required": True}
    django_select = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)
    quick = QuickSelect(choices=CHOICES).render("x", value, attrs=attrs)
    assert parsed(quick) == parsed(django_select)
    assert "<khai sinh>" not in quick and "&lt;khai sinh&gt;" in quick


def test_model_choices_through_a_form(db):
    from motcua.catalog.models import Field

    Field.objects.create(name="Hộ tịch")
    chosen = Field.objects.create(name="Xây dựng")

    class F(forms.Form):
        field = forms.ModelChoiceField(queryset=Field.objects.order_by("name"), widget=QuickSelect)

    class G(forms.Form):
        field = forms.ModelChoiceField(queryset=Field.objects.order_by("name"))

    quick, plain = str(F({"field": chosen.pk})["field"]), str(G({"field": chosen.pk})["field"])
    assert parsed(quick) == parsed(plain)
    assert (str(chosen.pk), True, "Xây dựng") in parsed(quick)[1]
