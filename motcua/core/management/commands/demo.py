"""`motcua demo [--serve] [--seed N] [--years Y] [--dossiers N] [--reset]`: the demo province."""

from __future__ import annotations

import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo.build import build_demo, demo_exists
from motcua.demo.build_catalog import DEMO_ACCOUNTS, DEMO_PASSWORD, ROLE_LABELS


class Command(BaseCommand):
    help = (
        "Build the fictional demo province of Sơn Lâm (agencies, about a hundred procedures, "
        "demo accounts, two years of dossiers) unless it exists, and optionally serve it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="serve on 127.0.0.1:8000 after")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--years", type=float, default=2.0, help="years of history (2)")
        parser.add_argument(
            "--dossiers", type=int, default=30_000, help="dossiers of history (30000)"
        )
        parser.add_argument("--no-live", action="store_true", help="skip today's live dossiers")
        parser.add_argument("--reset", action="store_true", help="remove the demo and rebuild it")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="where to serve (127.0.0.1:8000)"
        )

    def handle(self, *args, **options) -> None:
        if options["years"] <= 0 or options["dossiers"] < 0:
            raise CommandError("--years must be positive and --dossiers not negative", returncode=2)
        if options["reset"] and demo_exists():
            from motcua.demo.reset import reset_demo

            self.stdout.write("Removing the demo province…")
            reset_demo()
        if demo_exists():
            self.stdout.write("The demo province exists already (use --reset to rebuild it).")
        else:
            started = time.perf_counter()
            self.stdout.write(
                f"Building the demo province: {options['dossiers']} dossiers over "
                f"{options['years']:g} years…"
            )
            summary = build_demo(
                seed=options["seed"],
                years=options["years"],
                dossiers=options["dossiers"],
                live=not options["no_live"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo built in {time.perf_counter() - started:.1f} s: "
                    f"{summary.agencies} agencies, {summary.procedures} procedures, "
                    f"{summary.dossiers} dossiers of history ({summary.apologies} apology "
                    f"letters, {summary.ratings} ratings), {summary.live} live dossiers."
                )
            )
        self.print_accounts(options["addrport"])
        if options["serve"]:
            self.serve(options["addrport"])

    def serve(self, addrport: str) -> None:
        """The development server, with the background worker (the dashboard's report rounds,
        the outbox) running beside it for as long as it serves."""
        worker = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "motcua", "db_worker", "--interval", "1", "--no-startup-delay"]
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def print_accounts(self, addrport: str) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'user name':<12} role")
        for username, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {ROLE_LABELS[username]}")
        self.stdout.write(f"Officials: http://{addrport}/   Citizens: http://{addrport}/portal/")
        self.stdout.write("")
