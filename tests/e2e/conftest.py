"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server."""

import pytest
from playwright.sync_api import Page

from patients.models import User
from triggerpoints.services import catalogue_load

from ..factories import PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def catalogue(transactional_db: None) -> None:
    """live_server tests run in transactional mode, which empties the tables after each test."""
    catalogue_load()


@pytest.fixture
def therapist_login(catalogue: None) -> tuple[str, str]:
    user: User = UserFactory(username="tess", first_name="Tess")
    return user.username, PASSWORD


# Recorded in the page before any of its own scripts run; Playwright's init scripts are not
# subject to the page's Content-Security-Policy.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


@pytest.fixture
def page(page: Page) -> Page:
    """Every browser test fails on a Content-Security-Policy violation: Chromium reports each
    in the console ("Refused to ... Content Security Policy"), and the page's own listener
    catches those of the last page."""
    violations: list[str] = []
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    yield page
    if not page.is_closed():
        violations += page.evaluate("window.__cspViolations || []")
    assert not violations, violations
