from django.urls import path

from motcua.control import views

app_name = "control"

urlpatterns = [
    path("", views.PublicationDecisionListView.as_view(), name="decision_list"),
    path("decisions/add/", views.PublicationDecisionEditView.as_view(), name="decision_add"),
    path("decisions/<int:pk>/", views.PublicationDecisionView.as_view(), name="decision"),
    path("decisions/<int:pk>/items/add/", views.DecisionItemAddView.as_view(), name="item_add"),
    path(
        "decisions/<int:pk>/processes/add/",
        views.ProcessApproveView.as_view(),
        name="process_add",
    ),
    path("decisions/<int:pk>/apply/", views.DecisionApplyView.as_view(), name="decision_apply"),
    path("reviews/", views.ProcedureReviewListView.as_view(), name="review_list"),
    path("reviews/add/", views.ProcedureReviewEditView.as_view(), name="review_add"),
    path("drafts/", views.DraftLegalTextListView.as_view(), name="draft_list"),
    path("drafts/add/", views.DraftLegalTextEditView.as_view(), name="draft_add"),
    path("postings/", views.PostingListView.as_view(), name="posting_list"),
    path("postings/add/", views.PostingEditView.as_view(), name="posting_add"),
    path("report/", views.ControlReportView.as_view(), name="report"),
]
