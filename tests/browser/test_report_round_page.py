"""The dashboard's monthly round in headless Chromium: asked for, made, downloaded
(screenshots as in test_pages: a temporary folder, and /tmp/shots/ when it exists)."""

from __future__ import annotations

import zipfile

import pytest

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from tests.browser.test_pages import browser_page, shot  # noqa: F401 - the fixture
from tests.stats.test_service_index import build_small

pytestmark = [pytest.mark.browser]


@pytest.fixture
def monitor(transactional_db, settings, tmp_path):
    from motcua.catalog.models import AgencyLevel

    # the background task runs at once, in the request that asks for it
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    for rank, code in enumerate(("province", "provincial_agency", "department", "commune")):
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": code, "rank": rank})
    root, _a, _b = build_small()
    user = User.objects.create_user("giamsat", password="demo12345")
    Membership.objects.create(user=user, agency=root, role=Role.MONITOR)
    return user


def test_the_round_is_made_and_downloaded_from_the_dashboard(
    live_server,
    browser_page,  # noqa: F811
    monitor,
    tmp_path,
):
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "giamsat")
    page.fill("#id_password", "demo12345")
    page.click("main form button")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/stats/?unit=P&period=2025-03")
    page.wait_for_load_state("networkidle")  # the chart's data first (one SQLite in memory)
    panel = page.locator("#report-round")
    panel.get_by_role("button").click()
    link = page.locator("#report-round a", has_text="ZIP")
    link.wait_for(timeout=180_000)  # three units, each DOCX, PDF and XLSX, on a busy machine
    assert "3/3" not in panel.inner_text()  # the finished text, not the running one
    assert page.locator("#report-round progress").get_attribute("value") == "3"
    shot(page, tmp_path, "report-round-done")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    names = zipfile.ZipFile(path).namelist()
    assert len(names) == 3 * 3 + 1
