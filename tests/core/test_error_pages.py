"""Error pages are the product's own, in Vietnamese, not Django's bare English pages.

Django renders 400.html, 403.html and 404.html with the request (so they extend base.html),
403_csrf.html from its csrf_failure view, and 500.html with an empty context: no request, no
user, no context processors.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path, reverse
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def _broken_view(request):
    raise RuntimeError("an unexpected failure")


# The URLconf of test_an_exception_in_a_view_gives_the_500_page: the product's, plus a view
# that fails, so the 500 page is rendered by the whole middleware stack.
urlpatterns = [path("boom/", _broken_view), path("", include("config.urls"))]

# The product's layout (base.html): the navigation bar with the brand, and the vendored CSS.
LAYOUT = ('class="navbar-brand fw-semibold"', "/static/vendor/bootstrap/bootstrap.min.css")


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _assert_product_page(html: str) -> None:
    for mark in LAYOUT:
        assert mark in html
    assert 'lang="vi"' in html
    assert 'id="error-page"' in html
    assert "cdn" not in html.lower()


def test_a_missing_page_is_the_products_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_product_page(html)
    assert "Không tìm thấy trang" in html
    assert "không tồn tại, hoặc anh/chị không được phép xem" in html
    assert f'href="{reverse("home")}"' in html
    assert f'href="{reverse("portal:lookup")}"' in html
    assert "/khong-co-trang-nay/" in html  # the address asked for, shown back
    assert "Not Found" not in html


def test_the_404_shows_the_address_escaped(client):
    response = client.get("/dossiers/999999999/<script>/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "/dossiers/999999999/%3Cscript%3E/" in html
    assert "<script>" not in html


def test_a_missing_dossier_gives_the_same_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="canbo", password="x"))
    response = client.get("/dossiers/999999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert reverse("logout") in html  # the signed-in layout: nav and user box


def test_an_expired_form_is_the_vietnamese_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = response.content.decode()
    _assert_product_page(html)
    assert "Biểu mẫu đã hết hiệu lực" in html
    assert "Tải lại trang (nhấn F5)" in html
    assert "CSRF verification failed" not in html


def test_a_refused_view_is_the_vietnamese_403(client, django_user_model):
    # The control pages refuse a signed-in user without a control role (PermissionDenied).
    client.force_login(django_user_model.objects.create_user(username="khongvaitro", password="x"))
    response = client.get(reverse("control:decision_list"))
    assert response.status_code == 403
    html = response.content.decode()
    _assert_product_page(html)
    assert "Anh/chị không có quyền thực hiện việc này" in html
    assert "quản trị hệ thống của đơn vị" in html
    assert "403 Forbidden" not in html


def test_the_403_offers_the_log_in_to_an_anonymous_visitor(rf):
    request = rf.get("/control/")
    request.user = AnonymousUser()
    with translation.override("vi"):
        response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Anh/chị không có quyền thực hiện việc này" in html
    assert f'href="{reverse("login")}"' in html


def test_a_bad_host_is_the_vietnamese_400(client):
    response = client.get("/", HTTP_HOST="ke-gian.example")
    assert response.status_code == 400
    html = response.content.decode()
    _assert_product_page(html)
    assert "Hệ thống không đọc được yêu cầu" in html


def test_the_500_page_renders_without_request_context(rf):
    request = rf.get("/dossiers/")  # no user, no session: server_error must not need them
    with translation.override("vi"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống gặp lỗi" in html
    assert "Không có dữ liệu nào bị lưu dở dang" in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert 'href="/"' in html
    assert 'href="/portal/"' in html
    assert 'lang="vi"' in html


def test_the_500_portal_link_is_the_lookup_portal():
    # 500.html links the portal as plain text (no {% url %}); it must stay the real address.
    assert reverse("portal:lookup") == "/portal/"


@pytest.mark.urls(__name__)
def test_an_exception_in_a_view_gives_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống gặp lỗi" in html
    assert 'lang="vi"' in html  # the language the middleware chose is still active


def test_english_users_get_english_error_pages(client, english, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'lang="en"' in html
