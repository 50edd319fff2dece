"""Debian's Chromium driven by Playwright for the browser tests (tests/e2e/test_widget.py, test_operator.py).

Never a downloaded browser: ``scripts/setup_web.sh`` installs /usr/bin/chromium from Debian. Each
test context gets a fresh profile folder, so no state leaks between tests.
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@contextlib.contextmanager
def playwright_driver() -> Iterator[Any]:
    """Playwright's driver, or a clear failure telling how to set the browser up."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed in .venv (requirements.txt pins it)")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup_web.sh (installs Debian's chromium)")
    with sync_playwright() as driver:
        yield driver


@contextlib.contextmanager
def browser_context(driver: Any, viewport: dict = DESKTOP, **options: Any) -> Iterator[Any]:
    """A fresh Chromium profile (new user-data-dir) with one viewport."""
    with tempfile.TemporaryDirectory(prefix="fao-chromium-") as profile:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport=viewport, locale="zh-CN", **options,
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a PNG under tests/artifacts/screenshots/ (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
