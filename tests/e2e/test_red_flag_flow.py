"""Red-flag screening in real Chromium: a positive sign, its warning and the hold-back, a
decision, then re-screening at the next session with a new symptom."""

import datetime
import re

from playwright.sync_api import Page, expect

from patients.models import User

from ..factories import AssessmentFactory, PainMarkFactory, PatientFactory
from .test_pain_finder import log_in


def test_positive_sign_decision_and_rescreen_at_the_next_session(
    page: Page,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    therapist = User.objects.get(username=therapist_login[0])
    patient = PatientFactory(
        clinic=therapist.clinic,
        first_name="Ada",
        last_name="Byrne",
        date_of_birth=datetime.date(1985, 4, 2),
    )
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    PainMarkFactory(assessment=assessment, region_id="lat.head.temple.l")
    base = live_server.url
    page.set_default_timeout(8000)
    log_in(page, base, f"/patients/{patient.pk}/assessments/{assessment.pk}/", therapist_login)

    # Screening: every group answered "none of these", then one sign answered yes.
    expect(page.locator("#red-flags")).to_contain_text("Not screened yet")
    page.get_by_role("link", name="Screen now").click()
    groups = page.get_by_role("button", name="None of these")
    expect(groups).to_have_count(5)
    for button in groups.all():
        button.click()
    page.locator('label[for="id_calf-swelling_0"]').click()
    page.get_by_role("button", name="Record screening").click()

    # The emergency is shown with what to do, and the ranking is held back.
    section = page.locator("#red-flags")
    expect(section).to_contain_text("Emergency: arrange emergency care now.")
    expect(section).to_contain_text("What to do: Possible deep-vein thrombosis")
    expect(page.locator("#pain-candidates")).to_contain_text("held back")
    expect(page.locator(".candidate")).to_have_count(0)

    # A decision releases it.
    page.get_by_label("Referred out for medical assessment").check()
    page.get_by_label("Decision note").fill(
        "Sent to the emergency department; scan clear, letter on file."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(section).to_contain_text("Referred out for medical assessment")
    expect(page.locator(".candidate").first).to_be_visible()

    # The next session asks again; a new symptom holds everything back again.
    page.goto(f"{base}/patients/{patient.pk}/")
    page.get_by_role("link", name="Log a session").click()
    rescreen = page.locator("section", has_text="Anything new since last time?")
    expect(rescreen).to_be_visible()
    expect(page.get_by_role("button", name="None of these").first).to_be_visible()
    for button in page.get_by_role("button", name="None of these").all():
        button.click()
    page.locator('label[for="id_rescreen-weight-loss_0"]').click()
    page.get_by_label("Precautions unchanged").check()
    page.get_by_label("Pain before (NPRS)").fill("5")
    page.get_by_role("button", name="Save session").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/$"))
    session_flags = page.locator("#red-flags")
    expect(session_flags).to_contain_text("Soon: GP within a week")
    expect(session_flags).to_contain_text("Weight loss they cannot explain")
    session_url = page.url

    page.goto(f"{base}/patients/{patient.pk}/assessments/{assessment.pk}/")
    expect(page.locator("#red-flags")).to_contain_text("is waiting for a decision")
    expect(page.locator(".candidate")).to_have_count(0)

    page.goto(session_url)
    page.get_by_label("Cleared after review").check()
    page.get_by_label("Decision note").fill(
        "Weight loss was planned: she started a diet in October."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#red-flags")).to_contain_text("Cleared after review")
    page.goto(f"{base}/patients/{patient.pk}/assessments/{assessment.pk}/")
    expect(page.locator(".candidate").first).to_be_visible()
