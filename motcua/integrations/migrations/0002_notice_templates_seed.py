from django.db import migrations


def seed(apps, schema_editor):
    from motcua.integrations.notices import DEFAULTS

    NoticeTemplate = apps.get_model("integrations", "NoticeTemplate")
    for occasion, (subject, text) in DEFAULTS.items():
        for channel in ("email", "sms"):
            NoticeTemplate.objects.get_or_create(
                occasion=occasion,
                channel=channel,
                defaults={"subject": subject if channel == "email" else "", "text": text},
            )


class Migration(migrations.Migration):
    dependencies = [("integrations", "0001_outbox_national_postal_notices")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
