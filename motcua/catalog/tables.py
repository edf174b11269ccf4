"""Tables of the officials' catalogue pages (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from motcua.catalog.interchange.common import format_decimal
from motcua.catalog.models import Procedure


class ProcedureTable(tables.Table):
    code = tables.Column(
        linkify=("catalog:procedure_detail", {"code": tables.A("code")}),
        # a full page, not a table fragment: leave htmx's boost of the table container
        attrs={"td": {"class": "text-nowrap"}, "a": {"hx-boost": "false"}},
    )
    name = tables.Column()
    field = tables.Column(order_by=("field__name",))
    processing_time = tables.Column(verbose_name=_("Processing time"))
    online_class = tables.Column()
    one_way = tables.BooleanColumn()
    agency_count = tables.Column(verbose_name=_("Agencies"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "level", "processing_time", "online_class", "one_way"]
        sequence = [*fields, "agency_count"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No procedure matches these filters.")
        order_by = ("code",)

    def render_processing_time(self, value, record: Procedure) -> str:
        return f"{format_decimal(value)} {record.get_time_unit_display()}"
