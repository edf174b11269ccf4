"""Reviews, drafts commented on, postings: scoped lists and entry forms."""

from __future__ import annotations

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.control.forms import DraftLegalTextForm, PostingForm, ProcedureReviewForm
from motcua.control.selectors import draft_list, posting_list, review_list
from motcua.control.services import draft_create, posting_create, review_create
from motcua.control.views.base import ScopedListView, ServiceFormView


class ProcedureReviewListView(ScopedListView):
    template_name = "control/review_list.html"
    title = gettext_lazy("Reviews and simplification plans")
    create_url = reverse_lazy("control:review_add")

    def rows(self, agency_ids):
        return review_list(agency_ids=agency_ids)


class ProcedureReviewEditView(ServiceFormView):
    form_class = ProcedureReviewForm
    title = gettext_lazy("New review")

    def perform(self, form):
        review = review_create(actor=self.request.user, **form.cleaned_data)
        return (
            _("Review of %(code)s recorded.") % {"code": review.procedure.code},
            reverse("control:review_list"),
        )


class DraftLegalTextListView(ScopedListView):
    template_name = "control/draft_list.html"
    title = gettext_lazy("Draft legal texts commented on")
    create_url = reverse_lazy("control:draft_add")

    def rows(self, agency_ids):
        return draft_list(agency_ids=agency_ids)


class DraftLegalTextEditView(ServiceFormView):
    form_class = DraftLegalTextForm
    title = gettext_lazy("New draft legal text")

    def perform(self, form):
        draft_create(actor=self.request.user, **form.cleaned_data)
        return _("Draft recorded."), reverse("control:draft_list")


class PostingListView(ScopedListView):
    template_name = "control/posting_list.html"
    title = gettext_lazy("Postings")
    create_url = reverse_lazy("control:posting_add")

    def rows(self, agency_ids):
        return posting_list(agency_ids=agency_ids)


class PostingEditView(ServiceFormView):
    form_class = PostingForm
    title = gettext_lazy("New posting")

    def perform(self, form):
        posting = posting_create(actor=self.request.user, **form.cleaned_data)
        return (
            _("Posting of %(code)s recorded.") % {"code": posting.procedure.code},
            reverse("control:posting_list"),
        )
