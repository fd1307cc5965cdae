"""From a completed assessment to the PDF the patient takes home, in real Chromium."""

import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from patients import services
from patients.models import PalpatedTriggerPoint
from triggerpoints.models import PosturalFinding, Side, TriggerPoint

from ..factories import (
    PASSWORD,
    AssessmentFactory,
    PatientFactory,
    UserFactory,
    screen_red_flags,
)
from .test_pain_finder import log_in


def completed_assessment(therapist_username: str):  # noqa: ANN201
    therapist = UserFactory(username=therapist_username)
    patient = PatientFactory(clinic=therapist.clinic, first_name="Nora", last_name="Quinlan")
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    screen_red_flags(assessment)
    services.pain_drawing_record(
        assessment=assessment,
        entries=[services.PainEntry("lat.head.temple.l", 7, "aching", "intermittent")],
        expected_version=assessment.version,
    )
    services.palpated_point_record(
        assessment=assessment,
        data={
            "trigger_point": TriggerPoint.objects.filter(muscle__name="Upper trapezius").first(),
            "side": Side.LEFT,
            "status": PalpatedTriggerPoint.Status.ACTIVE,
            "taut_band": True,
            "spot_tenderness": True,
        },
    )
    services.postural_observation_record(
        assessment=assessment,
        data={"finding": PosturalFinding.objects.get(key="forward-head"), "severity": "moderate"},
    )
    return assessment


def test_generate_edit_issue_and_download_the_plan(
    page: Page,
    live_server,  # noqa: ANN001
    catalogue: None,
) -> None:
    assessment = completed_assessment("tess")
    page.set_default_timeout(8000)
    log_in(page, live_server.url, assessment.get_absolute_url(), ("tess", PASSWORD))

    page.get_by_role("button", name="Build a plan from this assessment").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("body")).to_contain_text("Local release")
    expect(page.locator("body")).to_contain_text("Chin nod")

    # Edit the chin-nod item's dosage.
    page.get_by_role("link", name="Edit Chin nod").click()
    page.get_by_label("Dosage").fill("8 holds of 10 seconds")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("8 holds of 10 seconds")

    page.get_by_role("button", name=re.compile(r"Issue version 1")).click()
    expect(page.locator("body")).to_contain_text("Version 1")
    expect(page.get_by_role("button", name="Mark completed")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "plan-quinlan-v1.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Nora Quinlan" in text
    assert "8 holds of 10 seconds" in text
