"""A therapist finds the muscles that could explain a pain drawing, in real Chromium."""

import re

from playwright.sync_api import Browser, Page, expect


def log_in(page: Page, base_url: str, path: str, login: tuple[str, str]) -> None:
    page.goto(base_url + path)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Username").fill(login[0])
    page.get_by_label("Password").fill(login[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + path)
    # The URL changes before the page's scripts have run: a click on the body map before
    # bodymap.js is set up would be lost.
    page.wait_for_load_state()


def test_mark_regions_by_click_and_keyboard_then_open_top_muscle(
    page: Page,
    live_server,
    therapist_login: tuple[str, str],  # noqa: ANN001
) -> None:
    log_in(page, live_server.url, "/catalogue/pain-finder/", therapist_login)
    temple = page.locator('path[data-region="lat.head.temple.l"]')
    upper_neck = page.locator('path[data-region="post.neck.upper.l"]')
    lower_neck = page.locator('path[data-region="post.neck.lower.l"]')

    temple.click()  # by mouse
    expect(temple).to_have_attribute("aria-checked", "true")
    upper_neck.focus()  # by keyboard: Space, then Enter
    page.keyboard.press("Space")
    expect(upper_neck).to_have_attribute("aria-checked", "true")
    lower_neck.focus()
    page.keyboard.press("Enter")
    expect(lower_neck).to_have_attribute("aria-checked", "true")
    # The checkbox list (the way in without JavaScript) follows the drawing.
    expect(page.locator("#region-post\\.neck\\.lower\\.l")).to_be_checked()

    # The ranking updates in place, without submitting the form.
    first = page.locator("#candidates .candidate").first
    expect(first).to_contain_text("Upper trapezius")
    expect(first).to_contain_text("patient's left")
    expect(page).to_have_url(live_server.url + "/catalogue/pain-finder/")

    # Unmarking by keyboard updates it again.
    lower_neck.focus()
    page.keyboard.press("Space")
    expect(lower_neck).to_have_attribute("aria-checked", "false")
    expect(page.locator("#candidates")).to_contain_text("2 marked regions")

    first.get_by_role("link", name="Upper trapezius").click()
    expect(page).to_have_url(re.compile(r"/catalogue/muscles/upper-trapezius/#tp-\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Upper trapezius")
    drawn = page.locator("path.body-map__region.is-essential")
    expect(drawn.first).to_be_visible()
    expect(page.locator('path.is-essential[data-region="lat.head.temple.r"]')).to_have_count(1)
    expect(page.locator("path.body-map__region.is-spillover").first).to_be_visible()
    expect(page.locator("g.body-map__marker").first).to_be_visible()


def test_pain_finder_works_as_a_plain_form_without_javascript(
    browser: Browser,
    live_server,
    therapist_login: tuple[str, str],  # noqa: ANN001
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "/catalogue/pain-finder/", therapist_login)
    page.get_by_text("Choose regions from a list").click()
    heel = page.locator('input[type="checkbox"][value="post.foot.heel.r"]')
    expect(heel).to_have_accessible_name("Heel (patient's right)")
    heel.check()
    page.get_by_role("button", name="Find trigger points").click()
    candidates = page.locator("#candidates .candidate")
    expect(candidates.first).to_be_visible()
    expect(page.locator("#candidates")).to_contain_text("Soleus")
    expect(page.locator('path.is-marked[data-region="post.foot.heel.r"]')).to_have_count(1)
    context.close()
