from motcua.control.models.decisions import (
    DecisionItem,
    ProcedureRevision,
    ProcessApproval,
    PublicationDecision,
)
from motcua.control.models.oversight import DraftLegalText, Posting, ProcedureReview

__all__ = [
    "DecisionItem",
    "DraftLegalText",
    "Posting",
    "ProcedureReview",
    "ProcedureRevision",
    "ProcessApproval",
    "PublicationDecision",
]
