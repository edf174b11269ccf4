from motcua.control.services.decisions import (
    decision_apply,
    decision_create,
    decision_item_add,
    decisions_apply_due,
)
from motcua.control.services.oversight import (
    draft_create,
    posting_create,
    process_approve,
    review_create,
)

__all__ = [
    "decision_apply",
    "decision_create",
    "decision_item_add",
    "decisions_apply_due",
    "draft_create",
    "posting_create",
    "process_approve",
    "review_create",
]
