"""The patient's side on a phone (390×844, touch): open the link, confirm the year of birth,
tick two items, enter pain, go offline, tick one more, come back online; the therapist sees it
all on the next session form. Prints the page's weight and load time, and the taps a day's
entry takes (figures, not assertions on timing)."""

from playwright.sync_api import Browser, Page, expect

from patients.models import Patient
from plans import services as plan_services
from plans.models import Plan
from portal import services as portal_services
from portal.models import DiaryDay, DiaryTick

from ..factories import PASSWORD
from .conftest import CSP_LISTENER
from .test_pain_finder import log_in
from .test_plan_flow import completed_assessment

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/130.0 Mobile Safari/537.36",
}

# Transferred bytes of the document and everything it loaded, and the load event's time.
WEIGHT = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return {
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    decoded: nav.decodedBodySize + resources.reduce((sum, r) => sum + r.decodedBodySize, 0),
    requests: 1 + resources.length,
    load_ms: Math.round(nav.loadEventEnd - nav.startTime),
  };
}"""


def issued_link(therapist: str) -> tuple[Plan, str]:
    assessment = completed_assessment(therapist)
    plan = plan_services.plan_generate(assessment=assessment, by=assessment.therapist)
    plan = Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )
    plan_services.plan_issue(plan=plan, by=assessment.therapist, expected_version=plan.version)
    plan.refresh_from_db()
    clinic = plan.patient.clinic
    clinic.phone = "01632 960 123"
    clinic.save()
    link, token = portal_services.link_create(plan=plan, by=assessment.therapist)
    return plan, token


def test_phone_diary_offline_and_back_reaches_the_session_form(
    browser: Browser,
    page: Page,
    live_server,  # noqa: ANN001
    catalogue: None,
) -> None:
    plan, token = issued_link("tess")
    patient: Patient = plan.patient
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    violations: list[str] = []
    phone.add_init_script(CSP_LISTENER)
    phone.on(
        "console",
        lambda m: "Content Security Policy" in m.text and violations.append(m.text),
    )
    phone.set_default_timeout(8000)
    taps = 0

    phone.goto(f"{live_server.url}/p/{token}/")
    expect(phone.get_by_role("heading", name="Your home programme")).to_be_visible()
    phone.get_by_label("Your year of birth").fill(str(patient.date_of_birth.year))
    phone.get_by_role("button", name="Open my programme").tap()
    expect(phone.get_by_role("heading", name="When to stop and call us")).to_be_visible()
    expect(phone.locator(".portal-stop").get_by_text("Call 01632 960 123")).to_be_visible()

    ticks = phone.locator(".portal-tick")
    count = ticks.count()
    assert count >= 3, count
    ticks.nth(0).tap()
    ticks.nth(1).tap()
    taps += 2
    phone.locator(".portal-pain__value", has_text="4").first.tap()
    taps += 1
    expect(phone.locator("#sync-status")).to_have_text("All saved.")
    assert DiaryTick.objects.filter(done=True).count() == 2
    assert DiaryDay.objects.get().pain == 4

    context.set_offline(True)
    ticks.nth(2).tap()
    taps += 1
    expect(ticks.nth(2)).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#sync-status")).to_contain_text("You are offline")
    assert DiaryTick.objects.filter(done=True).count() == 2  # still on the phone

    context.set_offline(False)
    expect(phone.locator("#sync-status")).to_have_text("All saved.")
    assert DiaryTick.objects.filter(done=True).count() == 3
    queued = phone.evaluate("Object.values(localStorage).map((v) => JSON.parse(v).length)")
    assert sum(queued) == 0, queued

    violations += phone.evaluate("window.__cspViolations || []")
    assert not violations, violations
    assert taps == 4  # three items and the pain score: one tap each, nothing else

    # The page's weight and load time on the phone: a cold cache, the device already known.
    cold = browser.new_context(**PHONE)
    cold.add_cookies(context.cookies())
    context.close()
    fresh = cold.new_page()
    fresh.goto(f"{live_server.url}/p/{token}/", wait_until="load")
    weight = fresh.evaluate(WEIGHT)
    print(
        f"\nPatient page on a 390×844 phone, cold cache: {weight['bytes'] / 1024:.1f} KiB "
        f"transferred ({weight['decoded'] / 1024:.1f} KiB decoded) in {weight['requests']} "
        f"requests, load event at {weight['load_ms']} ms. A day's entry: one tap per home item "
        f"plus one for the pain score ({count + 1} taps for this plan's {count} items); the "
        "year of birth once per device."
    )
    cold.close()

    # The therapist's next session form.
    log_in(
        page,
        live_server.url,
        f"/patients/{patient.pk}/sessions/new/",
        ("tess", PASSWORD),
    )
    diary = page.locator(".diary-summary")
    expect(diary).to_contain_text("The patient’s diary since")
    expect(diary.get_by_text("1 of 1 (100%)")).to_have_count(3)
    expect(diary).to_contain_text("Diary pain")
