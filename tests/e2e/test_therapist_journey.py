"""The therapist's journey under the Content-Security-Policy (no inline script or style):
sign in, open the patient, the assessment, draw the pain, build and issue the plan, download
the PDF. The `page` fixture fails the test on any CSP violation. Also the idle warning."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from ..factories import PASSWORD
from .test_pain_finder import log_in
from .test_plan_flow import completed_assessment


def test_journey_from_sign_in_to_pdf_has_no_csp_violation(
    page: Page,
    live_server,  # noqa: ANN001
    catalogue: None,
) -> None:
    assessment = completed_assessment("tess")
    page.set_default_timeout(8000)
    response = page.goto(live_server.url + "/patients/")
    log_in(page, live_server.url, "/patients/", ("tess", PASSWORD))
    csp = page.request.get(live_server.url + "/patients/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response is not None

    page.get_by_role("link", name=re.compile("Quinlan")).first.click()
    expect(page.locator("h1")).to_contain_text("Nora Quinlan")
    page.goto(live_server.url + assessment.get_absolute_url())
    with page.expect_navigation():  # loaded, so bodymap.js is set up before the first click
        page.get_by_role("link", name="Edit pain drawing").click()
    neck = page.locator('path[data-region="post.neck.upper.l"]').first
    neck.click()
    page.locator("#id_intensity-post\\.neck\\.upper\\.l").fill("5")
    page.locator("#id_quality-post\\.neck\\.upper\\.l").select_option("aching")
    page.locator('input[name="pattern-post.neck.upper.l"][value="constant"]').check()
    page.get_by_role("button", name="Save pain drawing").click()
    expect(page.locator("body")).to_contain_text("Pain drawing saved: 2 regions.")

    page.goto(live_server.url + assessment.get_absolute_url())
    page.get_by_role("button", name="Build a plan from this assessment").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    page.get_by_role("button", name=re.compile(r"Issue version 1")).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    page.goto(live_server.url + "/account/")
    expect(page.get_by_role("heading", name="Recent sign-ins")).to_be_visible()
    page.goto(live_server.url + "/catalogue/pain-finder/")
    page.locator('path[data-region="lat.head.temple.l"]').first.click()
    expect(page.locator("#candidates")).to_contain_text("trapezius", ignore_case=True)


def test_idle_warning_shows_and_stay_signed_in_keeps_the_session(
    page: Page,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
    settings,  # noqa: ANN001
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 70
    settings.SESSION_IDLE_WARNING = 67  # the warning comes 3 seconds after the page
    page.set_default_timeout(8000)
    log_in(page, live_server.url, "/patients/", therapist_login)
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible(timeout=5000)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    page.reload()
    expect(page).to_have_url(live_server.url + "/patients/")
