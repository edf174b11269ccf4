"""The default agency levels: the pre-2025 three tiers and the current two tiers side by side.

Rank is the position from the top: the province (0); the provincial agencies and the districts
directly under it (1); the communes and the specialised departments one step further down (2).
After the 2025 reform communes sit directly under the province, but their level keeps rank 2 so
that one deployment can hold both eras without renumbering.
"""

from django.db import migrations

LEVELS = [
    ("province", "Tỉnh/Thành phố", 0),
    ("provincial_agency", "Sở, ban, ngành", 1),
    ("district", "Huyện/Quận", 1),
    ("commune", "Xã/Phường/Thị trấn", 2),
    ("department", "Phòng chuyên môn", 2),
]


def create_levels(apps, schema_editor):
    AgencyLevel = apps.get_model("catalog", "AgencyLevel")
    for code, name, rank in LEVELS:
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


def remove_levels(apps, schema_editor):
    AgencyLevel = apps.get_model("catalog", "AgencyLevel")
    AgencyLevel.objects.filter(code__in=[code for code, _, _ in LEVELS], agency__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_levels, remove_levels)]
