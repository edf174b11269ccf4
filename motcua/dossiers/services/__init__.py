"""Every write to a dossier. One function per move, one transaction, exactly one event.

Services take keyword-only arguments, accept a model instance or its primary key, lock the
dossier (``select_for_update``), check the move against ``dossiers.workflow`` and raise
``IllegalTransition`` / ``MotcuaError`` / ``NotFound`` without writing anything when it fails.
``at`` (default: now) lets history be built for demos, imports and tests; it may not be
earlier than the dossier's last event. State changes return the re-read dossier (an instance
passed in is not updated); apologies, ratings and files return the row they create.
"""

from motcua.dossiers.services.closing import (
    dossier_deliver,
    dossier_refuse,
    dossier_resolve,
    dossier_stop,
    dossier_withdraw,
)
from motcua.dossiers.services.extras import (
    counter_closure_create,
    dossier_apologize,
    dossier_attach_file,
    dossier_checklist_update,
    dossier_rate,
)
from motcua.dossiers.services.postal import dossier_postal_return
from motcua.dossiers.services.processing import (
    dossier_assign,
    dossier_step_advance,
    dossier_supplement_receive,
    dossier_supplement_request,
    dossier_transfer,
    dossier_transfer_accept,
    supplement_rule,
)
from motcua.dossiers.services.reception import (
    counter_closure_at,
    dossier_precheck_accept,
    dossier_precheck_refuse,
    dossier_precheck_return,
    dossier_receive,
    dossier_resubmit,
    dossier_submit_online,
)
from motcua.dossiers.services.retention import dossier_erase_personal_data

__all__ = [
    "dossier_erase_personal_data",
    "counter_closure_at",
    "counter_closure_create",
    "dossier_apologize",
    "dossier_assign",
    "dossier_attach_file",
    "dossier_checklist_update",
    "dossier_deliver",
    "dossier_precheck_accept",
    "dossier_postal_return",
    "dossier_precheck_refuse",
    "dossier_precheck_return",
    "dossier_resubmit",
    "dossier_rate",
    "dossier_receive",
    "dossier_refuse",
    "dossier_resolve",
    "dossier_step_advance",
    "dossier_stop",
    "dossier_submit_online",
    "dossier_supplement_receive",
    "dossier_supplement_request",
    "dossier_transfer",
    "dossier_transfer_accept",
    "dossier_withdraw",
    "supplement_rule",
]
