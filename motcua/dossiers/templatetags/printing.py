"""``{% print_menu dossier %}``: the forms the dossier's state allows, each as PDF and DOCX.

The page that includes it has already found the dossier among those the user may see."""

from __future__ import annotations

from django import template

from motcua.dossiers.printing import offered
from motcua.dossiers.views.actions import dossier_ref

register = template.Library()


@register.inclusion_tag("dossiers/_print_menu.html")
def print_menu(dossier) -> dict:
    return {"offers": offered(dossier), "ref": dossier_ref(dossier)}
