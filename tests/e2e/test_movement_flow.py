"""Issue 17 in real Chromium: record three tests of the movement screen, build a plan that
names them, re-test at a session, then see the chart and the PDF line."""

import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from ..factories import PASSWORD
from .test_pain_finder import log_in
from .test_plan_flow import completed_assessment


def test_record_tests_build_a_plan_retest_and_see_chart_and_pdf(
    page: Page,
    live_server,  # noqa: ANN001
    catalogue: None,
) -> None:
    assessment = completed_assessment("tess")
    patient = assessment.patient
    page.set_default_timeout(8000)
    log_in(page, live_server.url, assessment.get_absolute_url(), ("tess", PASSWORD))

    # Three tests on the movement and loading screen.
    page.get_by_role("link", name="Record tests").click()
    page.get_by_label("Single-leg bridge hold, Left").fill("12")
    page.get_by_label("Single-leg bridge hold, Right").fill("35")
    page.get_by_label("Craniocervical flexion (pressure biofeedback stage), Result").fill("22")
    page.get_by_label("Breathing during a loaded task, Result").select_option("2")
    page.get_by_role("button", name="Save the screen").click()
    expect(page.locator("#movement")).to_contain_text(
        "Single-leg bridge hold: left 12 s (normal 30 s or more)"
    )

    # A plan whose items name them.
    page.get_by_role("button", name="Build a plan from this assessment").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    body = page.locator("body")
    expect(body).to_contain_text(
        "Measured: Single-leg bridge hold: left 12 s (normal 30 s or more)."
    )
    expect(body).to_contain_text(
        "Measured: Craniocervical flexion (pressure biofeedback stage): 22 mmHg "
        "(normal 26 mmHg or more)."
    )
    expect(body).to_contain_text("Measured: Breathing during a loaded task: score 2")
    plan_url = page.url

    # A session re-tests what the plan targets.
    page.goto(f"{live_server.url}{patient.get_absolute_url()}")
    page.get_by_role("link", name="Log a session").click()
    expect(page.get_by_role("button", name="None of these").first).to_be_visible()
    for button in page.get_by_role("button", name="None of these").all():
        button.click()
    page.get_by_label("Pain before (NPRS)").fill("5")
    page.get_by_label("Precautions unchanged").check()
    retests = page.locator("#retests")
    expect(retests).to_contain_text("Single-leg bridge hold")
    retests.get_by_label("Single-leg bridge hold, Left").fill("33")
    retests.get_by_label("Single-leg bridge hold, Right").fill("36")
    retests.get_by_label("Craniocervical flexion (pressure biofeedback stage), Result").fill("24")
    page.get_by_role("button", name="Save session").click()
    expect(body).to_contain_text("Re-tests")
    expect(body).to_contain_text("Single-leg bridge hold: left 33 s, right 36 s")

    # The progress chart, with its normal band.
    page.goto(f"{live_server.url}{patient.get_absolute_url()}")
    page.get_by_role("link", name="Progress").click()
    chart = page.locator("#test-single-leg-bridge-chart")
    expect(chart.locator("svg[role=img]")).to_be_visible()
    expect(chart.locator("rect.line-chart__band")).to_have_count(2)  # plot and legend
    expect(chart.locator("path.line-chart__marker title")).to_have_count(4)
    expect(body).to_contain_text("Left 12 s → 33 s, right 35 s → 36 s (normal 30 s or more")

    # The PDF line: where they were and where they are now.
    page.goto(plan_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Single-leg bridge hold, left: 12 s → 33 s (aim: 30 s or more)" in text
