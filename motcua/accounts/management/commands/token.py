"""`motcua token create USERNAME --name NAME [--days N]`, `motcua token revoke ID`, `motcua token list`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.accounts.models import ApiToken, User
from motcua.accounts.tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (the key is printed once, at creation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print its key once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--days", type=int, help="expires after this many days")
        sub.add_parser("list", help="list tokens (never their keys)")
        revoke = sub.add_parser("revoke", help="revoke a token by id")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            self._create(options["username"], options["name"], options.get("days"))
        elif action == "list":
            for token in ApiToken.objects.select_related("user").order_by("id"):
                state = "revoked" if token.revoked else "active"
                expires = token.expires_at.isoformat() if token.expires_at else "-"
                self.stdout.write(
                    f"{token.pk}\t{token.user.username}\t{token.name}\t{state}\t{expires}"
                )
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"no token with id {options['id']}")
            api_token_revoke(token=token)
            self.stdout.write(f"token {token.pk} ({token.name}) revoked")

    def _create(self, username: str, name: str, days: int | None) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named '{username}'")
        if not name.strip():
            raise CommandError("--name must not be empty")
        if days is not None and days <= 0:
            raise CommandError("--days must be a positive number")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        token, key = api_token_create(user=user, name=name, expires_at=expires)
        self.stderr.write(f"token {token.pk} for {username} created; the key is shown only now:")
        self.stdout.write(key)
