from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.core.generations import track


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Users, their groups and permissions, memberships and API tokens feed the "access"
        # memos (core.generations): a revoked token or membership counts at once.
        track(
            "access",
            "accounts.User",
            "accounts.User_groups",
            "accounts.User_user_permissions",
            "auth.Group",
            "auth.Group_permissions",
            "auth.Permission",
            "accounts.Membership",
            "accounts.ApiToken",
        )
