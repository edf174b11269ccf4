from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    label = "portal"
    verbose_name = _("Citizen portal")

    def ready(self) -> None:
        from motcua.core.replica import primary_only

        # The look-up throttle decides about the request itself: never from a lagging copy.
        primary_only("portal.LookupFailure")
