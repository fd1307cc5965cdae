"""The body map's Front / Back switch: on a tablet held upright (820×1180) the two views do not
fit side by side, so one shows at a time, switched by buttons (aria-pressed) with a tap or the
keyboard, or by the arrow keys crossing into the other view; on a desktop both show and the
switch is hidden."""

from playwright.sync_api import Browser, Page, expect

from .test_clinic_journey import DESKTOP, TABLET, Journey, sign_in


def _open_pain_finder(browser: Browser, base: str, viewport: dict, *, touch: bool) -> Page:
    context = browser.new_context(viewport=viewport, has_touch=touch)
    page = context.new_page()
    csp: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    page.csp = csp  # type: ignore[attr-defined]
    sign_in(Journey(page, "touch" if touch else "keyboard", "switch"), base, "tess")
    page.goto(base + "/catalogue/pain-finder/")
    return page


def _views(page: Page) -> dict[str, bool]:
    return {
        name: page.locator(f'[data-view-panel="{name}"]').is_visible() for name in ("front", "back")
    }


def test_tablet_shows_one_view_and_a_tap_switches_it(
    browser: Browser,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    page = _open_pain_finder(browser, live_server.url, TABLET, touch=True)
    front = page.get_by_role("button", name="Front", exact=True)
    back = page.get_by_role("button", name="Back", exact=True)
    expect(front).to_have_attribute("aria-pressed", "true")
    expect(back).to_have_attribute("aria-pressed", "false")
    assert _views(page) == {"front": True, "back": False}
    back.tap()
    expect(back).to_have_attribute("aria-pressed", "true")
    expect(front).to_have_attribute("aria-pressed", "false")
    assert _views(page) == {"front": False, "back": True}
    # A region of the back view, tapped: marked, and its checkbox (the list) ticked with it.
    page.locator('path[data-region="post.neck.upper.l"]').tap()
    expect(page.locator('path[data-region="post.neck.upper.l"]')).to_have_attribute(
        "aria-checked", "true"
    )
    expect(page.locator('input[name="regions"][value="post.neck.upper.l"]')).to_be_checked()
    # The map's one Tab stop has moved into the view on show.
    assert page.locator('[data-view="back"][tabindex="0"]').count() == 1
    front.tap()
    assert _views(page) == {"front": True, "back": False}
    assert not page.csp, page.csp  # type: ignore[attr-defined]
    page.context.close()


def test_tablet_switches_view_by_keyboard_and_by_arrow_keys(
    browser: Browser,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    page = _open_pain_finder(browser, live_server.url, TABLET, touch=False)
    journey = Journey(page, "keyboard", "820x1180")
    back = page.get_by_role("button", name="Back", exact=True)
    journey.activate(back)  # Tab to it, Enter
    expect(back).to_have_attribute("aria-pressed", "true")
    assert _views(page) == {"front": False, "back": True}
    # The next Tab stops reach the map in the view that shows.
    stop = page.locator('[data-body-map] [tabindex="0"]')
    journey.tab_to(stop)
    assert page.evaluate("document.activeElement.dataset.view") == "back"
    # Home goes to the first region (the forehead, on the front view): the view follows.
    journey.key("Home")
    expect(page.locator('path[data-region="ant.head.forehead"]')).to_be_focused()
    assert _views(page) == {"front": True, "back": False}
    expect(page.get_by_role("button", name="Front", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    # Across the right edge of the front view with the arrow keys: into the back view.
    for _ in range(12):
        journey.key("ArrowRight")
        if page.evaluate("document.activeElement.dataset.view") == "back":
            break
    assert page.evaluate("document.activeElement.dataset.view") == "back"
    assert _views(page) == {"front": False, "back": True}
    journey.key("Space")
    code = page.evaluate("document.activeElement.dataset.region")
    expect(page.locator(f'input[name="regions"][value="{code}"]')).to_be_checked()
    journey.check_page("pain-finder-back-view")
    assert not journey.blocking(), journey.blocking()
    assert not page.csp, page.csp  # type: ignore[attr-defined]
    page.context.close()


def test_desktop_shows_both_views_and_no_switch(
    browser: Browser,
    live_server,  # noqa: ANN001
    therapist_login: tuple[str, str],
) -> None:
    page = _open_pain_finder(browser, live_server.url, DESKTOP, touch=False)
    assert _views(page) == {"front": True, "back": True}
    expect(page.locator(".body-map__switch")).to_be_hidden()
    page.context.close()
