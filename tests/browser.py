"""Helpers for the site tests: build a site once per session, and drive headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``) driven through Debian's ``chromedriver`` with
selenium; no browser is downloaded. Console messages come from the browser log and every
request the page made from the performance log (Chrome DevTools ``Network`` events).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)
INSTALL_HINT = (
    "The browser tests need Debian's Chromium and ChromeDriver (and fonts-noto-cjk for Japanese "
    "text): apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk "
    "(.ci/run installs them). They fail rather than skip so that CI cannot pass without them."
)

_BUILDS: dict[str, Built] = {}


@dataclass
class Built:
    """A site built by the real command line, with what the command printed."""

    dist: Path
    returncode: int
    stdout: str
    stderr: str


def build_once(name: str, root: Path, base: Path, *extra: str) -> Built:
    """Run ``jpllmkg --root ROOT build`` into ``base/NAME/dist``, once per session and name."""
    if name not in _BUILDS:
        dist = base / name / "dist"
        done = subprocess.run(
            [sys.executable, "-m", "jpllmkg.cli", "--root", str(root), "build", "--out", str(dist)]
            + list(extra),
            capture_output=True,
            text=True,
            timeout=600,
        )
        _BUILDS[name] = Built(dist, done.returncode, done.stdout, done.stderr)
    return _BUILDS[name]


def xss_project(base: Path) -> Path:
    """A project with the real ontology and queries and the hostile fixture as its only facts."""
    root = base / "xss-project"
    if not root.exists():
        shutil.copytree(REPO / "ontology", root / "ontology")
        shutil.copytree(REPO / "queries", root / "queries")
        shutil.copytree(REPO / "tests" / "fixtures" / "xss", root / "graph")
    return root


def file_of(url: str) -> Path | None:
    """The local file a file:// URL names (without its fragment), None for other URLs."""
    parsed = urlsplit(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


class BrowserMissingError(RuntimeError):
    """Chromium or ChromeDriver is not installed."""


@dataclass
class Visit:
    """One page load: its console messages and every URL it requested."""

    url: str
    console: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        return [entry for entry in self.console if entry.get("level") == "SEVERE"]


class Browser:
    """A headless Chromium session (one per test session)."""

    def __init__(self) -> None:
        chromium = next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
        driver = shutil.which("chromedriver")
        missing = [n for n, p in (("chromium", chromium), ("chromedriver", driver)) if not p]
        if missing:
            raise BrowserMissingError(f"{' and '.join(missing)} not found on PATH. {INSTALL_HINT}")
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError as error:
            raise BrowserMissingError(
                f"selenium is not installed ({error}); it is in the [test] extra."
            ) from None
        self.profile = Path(tempfile.mkdtemp(prefix="jpllmkg-chromium-"))
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=driver))
        self.driver.set_page_load_timeout(60)
        self.driver.get("about:blank")  # leave the start page (it loads chrome:// resources)

    def visit(self, path: Path, ready: str = "true", timeout: float = 60, tail: str = "") -> Visit:
        """Open a file (``tail``: a query string or fragment after its URL), wait until the JS
        expression ``ready`` holds, return what happened."""
        self._drain()
        url = path.resolve().as_uri() + tail
        self.driver.get(url)
        deadline = time.monotonic() + timeout
        while not self.js(f"return document.readyState === 'complete' && !!({ready});"):
            if time.monotonic() > deadline:
                raise AssertionError(f"{url}: {ready} did not become true within {timeout} s")
            time.sleep(0.1)
        visit = Visit(url=url, console=self.driver.get_log("browser"))
        visit.requests = self._requests()
        return visit

    def js(self, script: str, *args):
        """Run JavaScript in the page (``args`` as ``arguments``) and return its value."""
        return self.driver.execute_script(script, *args)

    def screenshot(self, name: str) -> Path:
        """Save a PNG of the window to tests/artifacts/NAME.png."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(target))
        return target

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _drain(self) -> None:
        for kind in ("browser", "performance"):
            self.driver.get_log(kind)

    def _requests(self) -> list[str]:
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls


def browser_session() -> Iterator[Browser]:
    """One headless Chromium for a test session (the ``browser`` fixture of tests/conftest.py);
    a missing browser fails the test with the install hint."""
    import pytest

    try:
        session = Browser()
    except BrowserMissingError as error:
        pytest.fail(str(error), pytrace=False)
    yield session
    session.close()
