from motcua.control.views.decisions import (
    DecisionApplyView,
    DecisionItemAddView,
    ProcessApproveView,
    PublicationDecisionEditView,
    PublicationDecisionListView,
    PublicationDecisionView,
)
from motcua.control.views.records import (
    DraftLegalTextEditView,
    DraftLegalTextListView,
    PostingEditView,
    PostingListView,
    ProcedureReviewEditView,
    ProcedureReviewListView,
)
from motcua.control.views.report import ControlReportView

__all__ = [
    "ControlReportView",
    "DecisionApplyView",
    "DecisionItemAddView",
    "DraftLegalTextEditView",
    "DraftLegalTextListView",
    "PostingEditView",
    "PostingListView",
    "ProcedureReviewEditView",
    "ProcedureReviewListView",
    "ProcessApproveView",
    "PublicationDecisionEditView",
    "PublicationDecisionListView",
    "PublicationDecisionView",
]
