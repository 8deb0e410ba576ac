"""Playwright with the system Chromium (Debian's ``chromium`` package).

Browser tests skip with a clear reason when ``/usr/bin/chromium`` is missing,
except when ``BLOG_REQUIRE_BROWSER=1`` (CI), where they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BLOG_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("BLOG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"BLOG_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser context on the live server; fails the test on a dialog."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"


@pytest.fixture
def new_page(chromium, live_server):  # type: ignore[no-untyped-def]
    """Open more pages, each in its own context (another visitor)."""
    contexts = []

    def make():  # type: ignore[no-untyped-def]
        context = chromium.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
