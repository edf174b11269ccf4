"""The LOGGING setting, built without importing Django (settings import it)."""

from __future__ import annotations

from typing import Any


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """The LOGGING dict: plain text (the default) or JSON lines (``fmt == "json"``), with the
    per-request line on ``motcua.request`` in JSON mode."""
    json_mode = fmt.strip().lower() == "json"
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "motcua.ops.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "motcua.ops.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                **({"formatter": "json"} if json_mode else {}),
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {},
    }
    if json_mode:
        config["loggers"]["motcua.request"] = {"level": "INFO"}
        # Django's own "django.server"/"django.request" lines duplicate ours.
        config["loggers"]["django.request"] = {"level": "ERROR"}
    return config
