from __future__ import annotations

from typing import Any

from motcua.core.models import AuditLog


def audit_record(
    *, actor: Any, action: str, obj: Any = None, payload: dict | None = None
) -> AuditLog:
    """Write one audit row. Call it inside the service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        payload=payload or {},
    )
