"""The core journey of issue 13 (new patient → red-flag screening → pain drawing → findings →
plan → PDF) in Chromium at 1366×900 with a mouse and at 820×1180 with touch, and by keyboard
alone; the clicks, taps, keystrokes and page loads are counted and printed. On every page of
the journey axe-core (npm, package.json) runs and must find nothing critical or serious; the
body-map regions are measured (24 px or more); screenshots go to test-screenshots/.

Run alone with `-s` to see the figures:
    .venv/bin/pytest tests/e2e/test_clinic_journey.py -s -p no:cacheprovider
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from ..factories import PASSWORD, CatalogueEditorFactory, UserFactory

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(settings.BASE_DIR) / "test-screenshots"
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}
MIN_TARGET_PX = 24
BLOCKING = ("critical", "serious")

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="run `make node_modules/.installed`")


@dataclass
class Journey:
    """Drives the page the way a person would and counts what it took. `how` is "pointer"
    (mouse clicks), "touch" (taps) or "keyboard" (Tab, arrows, Space, Enter, typing)."""

    page: Page
    how: str
    size: str
    counts: Counter = field(default_factory=Counter)
    axe: list[tuple[str, str, str, int]] = field(default_factory=list)  # url, rule, impact, n
    axe_pages: int = 0

    def __post_init__(self) -> None:
        self.page.on(
            "framenavigated",
            lambda frame: frame == self.page.main_frame and self.counts.update(["page loads"]),
        )

    # What a person does.

    def activate(self, target: Locator) -> None:
        """Follow a link or press a button (or toggle a checkbox, choose a radio)."""
        if self.how == "keyboard":
            self.tab_to(target)
            kind = target.evaluate("e => e.type || e.getAttribute('role') || e.tagName")
            self.key("Space" if kind in ("checkbox", "radio") else "Enter")
        elif self.how == "touch":
            target.tap()
            self.counts["taps"] += 1
        else:
            target.click()
            self.counts["clicks"] += 1

    def follow(self, target: Locator) -> None:
        """A link or a submit button: activate it and wait for the next page."""
        with self.page.expect_navigation():
            self.activate(target)

    def type(self, target: Locator, text: str) -> None:
        if self.how == "keyboard":
            self.tab_to(target)
        else:
            self.activate(target)  # a click or tap to put the caret there
        self.page.keyboard.type(text)
        self.counts["keystrokes"] += len(text)

    def choose(self, select: Locator, label: str) -> None:
        """An option of a <select>: with the keyboard, type its first letters (type-ahead)."""
        if self.how == "keyboard":
            self.tab_to(select)
            self.page.keyboard.type(label[:3])
            self.counts["keystrokes"] += 3
            expect(select.locator("option:checked")).to_have_text(re.compile(re.escape(label)))
        else:
            # A click (tap) opens the list and one more picks the option.
            select.select_option(label=label)
            self.counts["taps" if self.how == "touch" else "clicks"] += 2

    def key(self, name: str) -> None:
        self.page.keyboard.press(name)
        self.counts["keystrokes"] += 1
        if name == "Tab":
            self.counts["of which Tab"] += 1

    def tab_to(self, target: Locator, limit: int = 400) -> None:
        """Tab until the target has the focus (arrow keys within a radio group)."""
        handle = target.element_handle()
        for _ in range(limit):
            if self.page.evaluate("e => document.activeElement === e", handle):
                return
            name = handle.evaluate("e => e.type === 'radio' ? e.name : ''")
            if name and self.page.evaluate(
                "n => document.activeElement && document.activeElement.name === n", name
            ):
                self.key("ArrowDown")
                continue
            self.key("Tab")
        raise AssertionError(f"{limit} Tabs did not reach {target}")

    def mark_region(self, code: str) -> None:
        region = self.page.locator(f'path[data-region="{code}"]')
        if self.how != "keyboard":
            self.activate(region)
            return
        stop = self.page.locator('[data-body-map] [tabindex="0"]')
        self.tab_to(stop)
        for _ in range(40):  # arrow keys towards the region's anchor
            here = self.page.evaluate(
                "() => [document.activeElement.dataset.region, +document.activeElement.dataset.x,"
                " +document.activeElement.dataset.y, document.activeElement.dataset.view]"
            )
            if here[0] == code:
                break
            there = region.evaluate("e => [+e.dataset.x, +e.dataset.y, e.dataset.view]")
            dx, dy = there[0] - here[1], there[1] - here[2]
            if there[2] != here[3]:
                self.key("ArrowRight" if there[2] == "back" else "ArrowLeft")
            elif abs(dy) >= abs(dx):
                self.key("ArrowDown" if dy > 0 else "ArrowUp")
            else:
                self.key("ArrowRight" if dx > 0 else "ArrowLeft")
        expect(region).to_be_focused()
        self.key("Space")

    # What the test checks on every page.

    def check_page(self, name: str, *, shot: bool = True) -> None:
        self.page.wait_for_load_state("networkidle")
        # Colours as they settle: with reduced motion Bootstrap has no transitions, so axe
        # never measures a button's contrast halfway through one (a pressed switch fading).
        self.page.emulate_media(reduced_motion="reduce")
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => [v.id + ' ' + v.nodes.map(n => n.target.join(' ')).join(' | '), v.impact,"
            " v.nodes.length])"
        )
        self.axe_pages += 1
        self.axe += [(self.page.url, rule, impact, n) for rule, impact, n in result]
        if shot:
            folder = SHOTS / f"{self.size}-{self.how}"
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def blocking(self) -> list[tuple[str, str, str, int]]:
        return [row for row in self.axe if row[2] in BLOCKING]


def measure_regions(page: Page) -> tuple[float, str]:
    """The smallest side of any region's box on the interactive map, in CSS pixels. Where one
    view shows at a time (the Front / Back switch), each view is shown in turn and measured."""
    script = (
        "() => [...document.querySelectorAll('.body-map--interactive [data-region]')]"
        ".filter(e => e.getClientRects().length)"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return [Math.min(r.width, r.height), e.dataset.region]; })"
    )
    sizes = page.evaluate(script)
    switch = page.locator(".body-map__switch")
    if switch.is_visible():
        assert len(sizes) < 90  # one view at a time
        switch.get_by_role("button", name="Back").click()
        sizes += page.evaluate(script)
        switch.get_by_role("button", name="Front").click()
    assert len({code for _, code in sizes}) == len(sizes) == 90
    return min(sizes)


def sign_in(journey: Journey, base: str, username: str) -> None:
    page = journey.page
    page.goto(base + "/")
    journey.check_page("sign-in")
    journey.type(page.get_by_label("Username"), username)
    journey.type(page.get_by_label("Password"), PASSWORD)
    journey.follow(page.get_by_role("button", name="Log in"))
    expect(page).to_have_url(base + "/")


def run_journey(journey: Journey, base: str) -> None:
    page = journey.page
    j = journey
    j.check_page("dashboard")

    # A new patient.
    j.follow(page.get_by_role("link", name="Add a patient").first)
    j.check_page("patient-form")
    j.type(page.get_by_label("First name"), "Nora")
    j.type(page.get_by_label("Last name"), "Quinlan")
    dob = page.get_by_label("Date of birth")
    if j.how == "keyboard":
        j.type(dob, "03021984")  # the date picker's month, day, year
    else:
        dob.fill("1984-03-02")  # a date picker: about three clicks or taps
        j.counts["taps" if j.how == "touch" else "clicks"] += 3
    j.choose(page.get_by_label("Sex"), "Female")
    j.activate(page.get_by_label("Consents to treatment"))
    # ticking the consent dates it today (visible, changeable)
    expect(page.locator("#id_consent_treatment_date")).to_have_value(
        timezone.localdate().isoformat()
    )
    j.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nora Quinlan")
    j.check_page("patient")

    # Intake, then the red-flag screening: one deliberate "none of these" per group.
    j.follow(page.get_by_role("link", name="New assessment"))
    j.check_page("assessment-form")
    j.type(page.get_by_label("Chief complaint"), "Left temple headache")
    j.choose(page.locator("#id_onset"), "Gradual")
    j.follow(page.get_by_role("button", name="Save and screen red flags"))
    expect(page).to_have_url(re.compile(r"/red-flags/$"))
    j.check_page("red-flags")
    for button in page.locator(".js-none-of-these").all():
        j.activate(button)
        expect(button).to_have_attribute("aria-pressed", "true")
    j.follow(page.get_by_role("button", name="Record screening"))
    expect(page.locator("body")).to_contain_text("Red flags")
    j.check_page("assessment")

    # The pain drawing.
    j.follow(page.get_by_role("link", name="Draw the pain"))
    j.check_page("pain-drawing", shot=False)
    smallest, code = measure_regions(page)
    j.counts["smallest region px"] = round(smallest, 1)
    assert smallest >= MIN_TARGET_PX, (smallest, code)
    j.mark_region("lat.head.temple.l")
    expect(page.locator('path[data-region="lat.head.temple.l"]')).to_have_attribute(
        "aria-checked", "true"
    )
    j.type(page.locator("#id_intensity-lat\\.head\\.temple\\.l"), "7")
    expect(page.locator('path[data-region="lat.head.temple.l"]')).to_have_class(
        re.compile("pain-high")
    )
    j.choose(page.locator("#id_quality-lat\\.head\\.temple\\.l"), "Aching")
    j.activate(page.locator('input[name="pattern-lat.head.temple.l"][value="intermittent"]'))
    j.check_page("pain-drawing")
    j.follow(page.get_by_role("button", name="Save pain drawing"))
    expect(page.locator("body")).to_contain_text("Pain drawing saved")

    # A palpated trigger point: the picker starts on the ranking's first suggestion.
    j.follow(page.get_by_role("link", name="Add a trigger point"))
    j.check_page("palpation")
    expect(page.locator("#id_trigger_point option:checked")).to_contain_text("Upper trapezius")
    j.activate(page.get_by_label("Left", exact=True))
    j.activate(page.get_by_label("Active (reproduces the patient's pain)"))
    j.activate(page.get_by_label("Taut band"))
    j.activate(page.get_by_label("Tender spot"))
    j.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Criteria met (2 of 3)")).to_be_visible()

    # The plan, issued, and its PDF.
    j.follow(page.get_by_role("button", name="Build a plan from this assessment"))
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    j.check_page("plan")
    j.follow(page.get_by_role("button", name=re.compile(r"Issue version 1")))
    j.check_page("plan-issued")
    with page.expect_download() as download:
        j.activate(page.get_by_role("link", name="Download PDF"))
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def report(journey: Journey) -> str:
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(journey.counts.items()))
    impacts = Counter(impact for _, _, impact, _ in journey.axe)
    lines = [f"  {impact}: {rule} ({n}) at {url}" for url, rule, impact, n in journey.axe]
    return "\n".join(
        [
            f"journey {journey.size} by {journey.how}: {counts}; axe over {journey.axe_pages} "
            f"pages: {dict(impacts) or 'no violations'}",
            *lines,
        ]
    )


@pytest.mark.parametrize(
    ("size", "how"),
    [("1366x900", "pointer"), ("820x1180", "touch"), ("1366x900", "keyboard")],
)
def test_core_journey_counts_its_steps_and_passes_axe(
    browser: Browser,
    live_server,  # noqa: ANN001
    catalogue: None,
    size: str,
    how: str,
) -> None:
    UserFactory(username="tess", first_name="Tess")
    context = browser.new_context(
        viewport=TABLET if size == "820x1180" else DESKTOP,
        has_touch=how == "touch",
        is_mobile=False,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    journey = Journey(page, how, size)
    sign_in(journey, live_server.url, "tess")
    journey.counts.clear()  # the journey itself, from the dashboard
    run_journey(journey, live_server.url)
    print("\n" + report(journey))
    context.close()
    assert not journey.blocking(), journey.blocking()


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1366x900", "820x1180"])
def test_body_map_targets_are_24_px_at_every_supported_size(
    browser: Browser,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
    viewport: dict,
) -> None:
    context = browser.new_context(viewport=viewport, has_touch=viewport is TABLET)
    page = context.new_page()
    journey = Journey(page, "pointer", f"{viewport['width']}x{viewport['height']}")
    sign_in(journey, live_server.url, therapist_login[0])
    page.goto(live_server.url + "/catalogue/pain-finder/")
    smallest, code = measure_regions(page)
    print(f"\npain finder {journey.size}: smallest region {smallest:.1f} px ({code})")
    assert smallest >= MIN_TARGET_PX, (smallest, code)
    # One Tab stop, then the arrow keys: the skip link and the list come before it.
    journey.check_page("pain-finder")
    context.close()
    assert not journey.blocking(), journey.blocking()


def test_admin_catalogue_pages_pass_axe(
    browser: Browser,
    live_server,  # noqa: ANN001
    catalogue: None,
) -> None:
    from triggerpoints.models import Muscle, TriggerPoint

    CatalogueEditorFactory(username="edie")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    journey = Journey(page, "pointer", "1366x900")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("edie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    point = TriggerPoint.objects.filter(muscle__name="Levator scapulae").first()
    muscle = Muscle.objects.get(name="Levator scapulae")
    for name, path in [
        ("admin-index", "/admin/"),
        ("admin-trigger-points", "/admin/triggerpoints/triggerpoint/"),
        ("admin-trigger-point", f"/admin/triggerpoints/triggerpoint/{point.pk}/change/"),
        ("admin-muscle", f"/admin/triggerpoints/muscle/{muscle.pk}/change/"),
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
        journey.check_page(name)
    print("\n" + report(journey))
    context.close()
    assert not journey.blocking(), journey.blocking()


def test_admin_picks_referral_zones_on_the_body_map(
    browser: Browser,
    live_server,  # noqa: ANN001
    catalogue: None,
) -> None:
    from triggerpoints.models import ReferralZone, TriggerPoint

    CatalogueEditorFactory(username="edie")
    point = TriggerPoint.objects.filter(muscle__name="Levator scapulae").first()
    before = set(point.zones.values_list("area__code", "kind", "laterality"))
    assert not any(code == "post.head.vertex" for code, _, _ in before)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("edie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/admin/triggerpoints/triggerpoint/{point.pk}/change/")
    vertex = page.locator('[data-zone-picker] path[data-region="post.head.vertex"]')
    rows = page.locator("#zones-group tr.form-row:not(.empty-form)")
    count = rows.count()
    vertex.click()  # essential, midline: a new row
    expect(vertex).to_have_class(re.compile("is-essential"))
    expect(rows).to_have_count(count + 1)
    vertex.click()  # spillover
    expect(vertex).to_have_class(re.compile("is-spillover"))
    # the map follows the rows: an existing zone removed in its row leaves the map
    first_area = point.zones.select_related("area").order_by("pk").first().area
    region = first_area.code + (".r" if first_area.sided else "")
    shape = page.locator(f'[data-zone-picker] path[data-region="{region}"]')
    expect(shape).to_have_class(re.compile("is-(essential|spillover)"))
    page.locator("#zones-group input[name$='-DELETE']").first.check()
    expect(shape).not_to_have_class(re.compile("is-(essential|spillover)"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    after = set(point.zones.values_list("area__code", "kind", "laterality"))
    assert ("post.head.vertex", "spillover", "midline") in after
    assert len(after) == len(before)  # one added, one removed
    assert ReferralZone.objects.filter(trigger_point=point, area=first_area).count() == 0
    context.close()
