"""Form widgets of the project."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A single select rendered in Python, same HTML as Django's ``Select`` for flat choices
    (no option groups). Django renders each option through a template and builds a dict of
    attributes for it; on the dossier list's filters (a catalogue of procedures, the officials,
    the agencies) that was half of the page's time."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if key is None else key,
                    mark_safe(" selected") if str("" if key is None else key) in chosen else "",
                    label,
                )
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)
