"""Language choice: Vietnamese unless the user picked another language with the switcher.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an official whose
browser is set to English would get an English product; here the language is the deployment's
(`LANGUAGE_CODE`, Vietnamese) until the user chooses otherwise (the language cookie set by
`set_language`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.choose(request)
        response = self.get_response(request)
        self.finish(response, language)
        return response

    def choose(self, request: HttpRequest) -> str:
        """The request's language, made the active one (also used by portal/fastpath.py)."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return language

    @staticmethod
    def finish(response: HttpResponse, language: str) -> None:
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))


class RequestGuardMiddleware:
    """Refuses, before any view runs, what no view should have to handle.

    - A NUL character in the path, a query parameter's name or value, or a form field: 400.
    - A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or with more than
      ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields): 413 (400 for too many fields).

    Under ``/api/`` the answer is JSON ``{"detail": ...}`` like every other API error; pages get
    a short plain-text answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        if refusal is not None:
            status, detail = refusal
            return _refuse(request, status, detail)
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> tuple[int, str] | None:
        if "\x00" in request.path:
            return 400, _("The address contains a NUL character.")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return 400, _("Query parameter '%(name)s' contains a NUL character.") % {
                    "name": name.replace("\x00", "\\0")
                }
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        try:
            if request.path.startswith("/api/"):
                # The API takes no uploads: read the body (views may need it raw; request.POST
                # can still be parsed from it afterwards).
                request.body  # noqa: B018 - read now, so that its size is checked here
            if content_type.startswith(
                ("multipart/form-data", "application/x-www-form-urlencoded")
            ):
                for name, values in request.POST.lists():
                    if "\x00" in name or any("\x00" in v for v in values):
                        return 400, _("Form field '%(name)s' contains a NUL character.") % {
                            "name": name.replace("\x00", "\\0")
                        }
            else:
                request.body  # noqa: B018 - read now, so that its size is checked here
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return 413, _(
                "The request body is too large: at most %(limit)s bytes are accepted."
            ) % {"limit": limit}
        except TooManyFieldsSent:
            return 400, _("The request has too many fields: at most %(limit)s are accepted.") % {
                "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            }
        return None


def _refuse(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(detail)}, status=status)
    return HttpResponse(str(detail), status=status, content_type="text/plain; charset=utf-8")
