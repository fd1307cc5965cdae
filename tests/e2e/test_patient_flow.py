"""The whole patient record in real Chromium: intake, red flags holding back the ranking, the pain
drawing by mouse and keyboard, examination findings, a signed and amended session, progress."""

import re

from playwright.sync_api import Page, expect

from .test_pain_finder import log_in


def test_therapist_records_a_patient_from_intake_to_progress(
    page: Page,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    base = live_server.url
    page.set_default_timeout(8000)
    log_in(page, base, "/patients/", therapist_login)

    # A new patient.
    page.get_by_role("link", name="Add a patient").click()
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Quinlan")
    page.get_by_label("Date of birth").fill("1984-03-02")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Desk or computer work").check()
    page.get_by_label("Consents to treatment").check()
    page.locator("#id_consent_treatment_date").fill("2026-11-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nora Quinlan")
    patient_url = page.url

    # Intake, then red-flag screening with one positive answer.
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Chief complaint").fill("Left temple headache after computer work.")
    page.locator("#id_onset").select_option("gradual")
    page.get_by_role("button", name="Save and screen red flags").click()
    expect(page).to_have_url(re.compile(r"/red-flags/$"))
    expect(page.get_by_role("button", name="None of these").first).to_be_visible()
    for button in page.get_by_role("button", name="None of these").all():
        button.click()
    page.locator('label[for="id_thunderclap_0"]').click()
    page.get_by_role("button", name="Record screening").click()
    expect(page.locator(".red-flag").first).to_contain_text("What to do")
    assessment_url = page.url.split("#")[0]

    # Draw the pain: the temple by mouse, the upper neck by keyboard.
    with page.expect_navigation():  # loaded, so bodymap.js is set up before the first click
        page.get_by_role("link", name="Draw the pain").click()
    temple = page.locator('path[data-region="lat.head.temple.l"]')
    temple.click()
    expect(temple).to_have_attribute("aria-checked", "true")
    page.locator("#id_intensity-lat\\.head\\.temple\\.l").fill("7")
    page.locator("#id_quality-lat\\.head\\.temple\\.l").select_option("aching")
    page.locator('input[name="pattern-lat.head.temple.l"][value="intermittent"]').check()
    neck = page.locator('path[data-region="post.neck.upper.l"]')
    neck.focus()
    page.keyboard.press("Enter")  # marks it and moves to the new row's intensity
    expect(neck).to_have_attribute("aria-checked", "true")
    page.keyboard.type("5")
    page.locator("#id_quality-post\\.neck\\.upper\\.l").select_option("aching")
    page.locator('input[name="pattern-post.neck.upper.l"][value="constant"]').check()
    page.get_by_role("button", name="Save pain drawing").click()
    expect(page).to_have_url(assessment_url)
    expect(page.locator('path.is-marked[data-region="lat.head.temple.l"]')).to_have_count(1)

    # The positive red flag holds the ranking back until a decision is recorded.
    expect(page.locator("#pain-candidates")).to_contain_text("held back")
    expect(page.locator(".candidate")).to_have_count(0)
    page.get_by_label("Cleared after review").check()
    page.get_by_label("Decision note").fill(
        "Onset over months, no thunderclap; reviewed with the GP."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#pain-candidates")).not_to_contain_text("held back")
    candidates = page.locator(".candidate")
    expect(candidates.first).to_be_visible()
    expect(page.locator(".candidates")).to_contain_text("Upper trapezius")

    # A palpated trigger point meeting the criteria.
    page.get_by_role("link", name="Add a trigger point").click()
    point = page.locator("#id_trigger_point")
    # the muscle is in every option; typing part of its name narrows the list
    page.get_by_role("searchbox", name="Type to narrow the list: Trigger point").fill("upper trap")
    point.select_option(label="Upper trapezius — trP1 (mid upper free border)")
    page.get_by_label("Left", exact=True).check()
    page.get_by_label("Active (reproduces the patient's pain)").check()
    page.get_by_label("Taut band").check()
    page.get_by_label("Tender spot").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(assessment_url + "#palpation")
    expect(page.get_by_text("Criteria met (2 of 3)")).to_be_visible()

    # Posture and breathing.
    page.get_by_role("link", name="Add a postural finding").click()
    page.get_by_label("Postural finding").select_option(label="Forward head posture")
    page.get_by_label("Moderate", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Forward head posture", exact=True)).to_be_visible()
    page.get_by_role("link", name="Record measures").click()
    page.get_by_label("Upper-chest (apical)").check()
    page.get_by_label("Resting breathing rate").fill("18")
    page.get_by_label("BOLT").fill("15")
    for item in range(1, 17):
        page.locator(f"#id_nijmegen_{item}_2").check()
    page.get_by_label("Pain now (NPRS)").fill("7")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(re.escape(assessment_url)))
    expect(page.get_by_text("Nijmegen 32/64")).to_be_visible()

    # A session, prefilled from the palpated point; signed, then amended.
    page.goto(patient_url)
    page.get_by_role("link", name="Log a session").click()
    expect(page.get_by_text("Prefilled")).to_be_visible()
    expect(page.get_by_role("button", name="None of these").first).to_be_visible()
    for button in page.get_by_role("button", name="None of these").all():
        button.click()
    page.get_by_label("Pain before (NPRS)").fill("7")
    page.get_by_label("Pain after (NPRS)").fill("4")
    page.get_by_label("Precautions unchanged").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("body")).to_contain_text("Upper trapezius")
    page.get_by_role("button", name="Sign note").click()
    expect(page.locator("body")).to_contain_text("Signed by")
    page.get_by_role("link", name=re.compile("Amend")).click()
    page.get_by_label("Pain after (NPRS)").fill("3")
    page.get_by_label("Reason for the amendment").fill("Re-scored after the stretch.")
    page.get_by_role("button", name="Record amendment").click()
    expect(page.locator("body")).to_contain_text("Re-scored after the stretch.")
    expect(page.locator("body")).to_contain_text("Original note as signed")

    # Progress: the NPRS chart is drawn from the assessment and the session.
    page.goto(patient_url)
    page.get_by_role("link", name="Progress").click()
    chart = page.locator("figure.line-chart").first
    expect(chart.locator("svg[role=img]")).to_be_visible()
    expect(chart.locator("figcaption")).to_contain_text("NPRS")
    # One marker for the assessment's 7, one each for the session's 7 before and 3 after.
    expect(chart.locator("path.line-chart__marker title")).to_have_count(3)
    expect(page.locator("body")).to_contain_text("Upper trapezius")
