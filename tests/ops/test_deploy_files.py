"""deploy/: every unit runs a command that exists, the delivery loop is installed, the
environment example names every integration setting, and the operations guide lists every unit."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
MOTCUA = "/opt/motcua/.venv/bin/motcua"


def unit(name: str) -> dict[str, list[str]]:
    """Key → values of a unit file (continuation lines joined)."""
    text = (UNITS / name).read_text().replace("\\\n", " ")
    values: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, _sep, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_every_motcua_unit_runs_a_command_that_exists():
    commands = get_commands()
    checked = 0
    for path in sorted(UNITS.glob("*.service")):
        for start in unit(path.name).get("ExecStart", []):
            words = start.split()
            if words[0] == MOTCUA:
                assert words[1] in commands, f"{path.name}: no command {words[1]!r}"
                checked += 1
    assert checked >= 2


def test_every_timer_has_its_service():
    for timer in UNITS.glob("*.timer"):
        assert (UNITS / f"{timer.stem}.service").exists(), timer.name


def test_the_delivery_loop_runs_until_stopped_and_comes_back():
    sync = unit("motcua-sync.service")
    (start,) = sync["ExecStart"]
    assert start.split()[:2] == [MOTCUA, "sync"]
    assert "--until-idle" not in start  # a service, not a one-shot: real time (§1)
    assert sync["Restart"] == ["always"]
    assert sync["EnvironmentFile"] == ["/etc/motcua/motcua.env"]
    assert sync["KillSignal"] == ["SIGTERM"]  # finishes the round in hand
    # stopping waits longer than one request to a peer can take
    assert float(sync["TimeoutStopSec"][0]) > float(_example()["MOTCUA_SYNC_TIMEOUT_SECONDS"])
    assert not (UNITS / "motcua-sync.timer").exists()


def _example() -> dict[str, str]:
    out = {}
    for line in (ROOT / "deploy" / "motcua.env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def test_the_environment_example_names_every_integration_setting():
    settings_py = (ROOT / "config" / "settings.py").read_text()
    read = set(
        re.findall(
            r"""["'](MOTCUA_(?:NATIONAL|POSTAL|SMS|SYNC|EMAIL_NOTICES|PUBLIC_URL)\w*)["']""",
            settings_py,
        )
    )
    assert {"MOTCUA_NATIONAL_URL", "MOTCUA_POSTAL_SECRET", "MOTCUA_SYNC_WORKERS"} <= read
    assert read - set(_example()) == set()


def test_the_operations_guide_lists_every_unit():
    guide = (ROOT / "docs" / "operations.md").read_text()
    # "motcua-pgbackrest-{full,diff}" names two units
    guide += " ".join(
        prefix + alt
        for prefix, alts in re.findall(r"(motcua-[\w-]*)\{([^}]*)\}", guide)
        for alt in alts.split(",")
    )
    for path in UNITS.iterdir():
        stem = path.stem
        assert stem in guide, f"docs/operations.md does not mention {stem}"
    assert "motcua-sync" in guide.split("systemctl enable --now", 1)[1].split("\n", 1)[0]
