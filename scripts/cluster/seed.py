"""Seed the cluster's database: one agency with a procedure, a counter officer and an API key.

Run by scripts/cluster-up.sh after ``migrate`` (DATABASE_URL set); prints the API key.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from motcua.accounts.models import Membership, User  # noqa: E402
from motcua.accounts.tokens import api_token_create  # noqa: E402
from motcua.catalog.choices import Role  # noqa: E402
from motcua.catalog.models import (  # noqa: E402
    Agency,
    AgencyLevel,
    Field,
    Procedure,
    ProcedureAssignment,
)

AGENCY = "000.00.77.H99"
PROCEDURE = "9.000077"

level, _ = AgencyLevel.objects.get_or_create(code="provincial_agency", defaults={"name": "Sở"})
field, _ = Field.objects.get_or_create(name="Lĩnh vực cụm thử")
agency, _ = Agency.objects.get_or_create(
    code=AGENCY, defaults={"name": "Sở cụm thử", "level": level}
)
procedure, _ = Procedure.objects.get_or_create(
    code=PROCEDURE,
    defaults={"name": "Thủ tục cụm thử", "field": field, "processing_time": Decimal(5)},
)
ProcedureAssignment.objects.get_or_create(procedure=procedure, agency=agency)
user, _ = User.objects.get_or_create(username="cluster_load")
Membership.objects.get_or_create(user=user, agency=agency, role=Role.COUNTER_OFFICER)
_token, key = api_token_create(user=user, name="cluster load")
print(key)
