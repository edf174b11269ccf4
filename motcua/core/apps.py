from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_generation_triggers(sender: AppConfig, using: str = "default", **kwargs) -> None:
    from motcua.core.generations import install_triggers

    install_triggers(using=using)


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from motcua.core import startup  # noqa: F401 - registers the deploy check (motcua.E001)

        # After every migrate: tables a migration rebuilt (SQLite) get their triggers back.
        post_migrate.connect(_install_generation_triggers, sender=self)
