"""Browser fixtures: Debian's Chromium with a fake microphone, screenshots kept as test artifacts."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
TIMEOUT_MS = 60_000  # a wait ends when its condition holds; this bounds a failure on a busy machine


def chromium_executable() -> str | None:
    candidates = (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"))
    return next((c for c in candidates if c and Path(c).is_file()), None)


class Shots:
    """Numbered screenshots of the states a test asserts, in test-artifacts/e2e/<test>/."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def take(self, page, name: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def artifacts(request) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def shots(artifacts) -> Shots:
    return Shots(artifacts)


@pytest.fixture
def chromium() -> Iterator:
    """launch(microphone_wav) -> a Browser whose microphone plays that file once, from the first capture."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.")
    from playwright.sync_api import sync_playwright

    browsers = []
    with sync_playwright() as playwright:

        def launch(microphone_wav: Path):
            args = [*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={microphone_wav}%noloop"]
            browser = playwright.chromium.launch(executable_path=executable, args=args)
            browsers.append(browser)
            return browser

        yield launch
        for browser in browsers:
            browser.close()


def watch(page) -> list[str]:
    """Collect the page's uncaught errors and anything the Content Security Policy refused, so a test can
    insist there were none (the pages must work under the production CSP, which the test settings keep)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.set_default_timeout(TIMEOUT_MS)
    return errors


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def orm(function, *args, **kwargs):
    """Run a database call on a worker thread. Playwright's sync API keeps an event loop running on the
    test's thread, and Django refuses synchronous database access from a thread with a running loop."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
