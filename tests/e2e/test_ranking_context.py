"""The ranking weighs the whole presentation, live, in real Chromium: draw the pain, tick a
symptom, and the list and its explanation change; the pain drawing ranks as regions are marked
and shades them by intensity."""

import datetime

from playwright.sync_api import Page, expect

from patients.models import User

from ..factories import AssessmentFactory, PatientFactory, screen_red_flags
from .test_pain_finder import log_in


def test_draw_pain_tick_a_symptom_and_the_ranking_and_its_explanation_change(
    page: Page,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    page.set_default_timeout(8000)
    log_in(page, live_server.url, "/catalogue/pain-finder/", therapist_login)
    page.locator('path[data-region="ant.face.l"]').click()
    page.locator('path[data-region="lat.head.ear.l"]').click()
    masseter = page.locator('#candidates .candidate[data-muscle="Masseter"]')
    expect(masseter).to_be_visible()
    expect(masseter).not_to_contain_text("Reported:")
    score_before = float(masseter.locator(".badge").inner_text())

    page.get_by_text("Other symptoms and what keeps it going").click()
    page.get_by_label("Ringing or noise in one ear").check()
    expect(masseter).to_contain_text("Reported: Ringing or noise in one ear")
    expect(masseter.locator(".badge")).to_have_text(f"{score_before + 0.5:.2f}")


def test_the_pain_drawing_ranks_as_regions_are_marked_and_shades_them(
    page: Page,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    therapist = User.objects.get(username=therapist_login[0])
    patient = PatientFactory(clinic=therapist.clinic, date_of_birth=datetime.date(1985, 1, 5))
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    screen_red_flags(assessment)
    page.set_default_timeout(8000)
    path = f"/patients/{patient.pk}/assessments/{assessment.pk}/pain/"
    log_in(page, live_server.url, path, therapist_login)
    temple = page.locator('path[data-region="lat.head.temple.l"]')
    temple.click()
    panel = page.locator("#candidates")
    expect(panel.locator(".candidate").first).to_be_visible()
    expect(panel).to_contain_text("1 marked region")
    page.locator('path[data-region="post.neck.upper.l"]').click()
    expect(panel).to_contain_text("2 marked regions")
    page.locator("#id_intensity-lat\\.head\\.temple\\.l").fill("8")
    expect(temple).to_have_class("body-map__region is-marked pain-high")
    page.locator("#id_intensity-lat\\.head\\.temple\\.l").fill("2")
    expect(temple).to_have_class("body-map__region is-marked pain-low")
