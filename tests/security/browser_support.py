"""A real browser for the OAuth key page: Debian's Chromium driven by Selenium through Debian's chromedriver.

No browser is downloaded: the binaries are the system's (``.ci/run`` installs them), and Selenium Manager is
kept offline. A browser that cannot start raises, so the test fails rather than skipping. Screenshots go to
``test-artifacts/`` (or ``POLYTOMIC_TEST_ARTIFACTS``) to be looked at after the run.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from processes import free_port
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("POLYTOMIC_TEST_ARTIFACTS", REPO / "test-artifacts"))
CHROMIUM = os.environ.get("POLYTOMIC_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("POLYTOMIC_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=900,1000")


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a fresh profile; raises (with what is missing) when it cannot start."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(binary) is None:
            raise RuntimeError(f"{binary} not found: install Debian's chromium and chromium-driver (.ci/run does)")
    os.environ["SE_OFFLINE"] = "true"
    profile = tempfile.mkdtemp(prefix="pmcp-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save a PNG of the page under the artifacts folder and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if not driver.save_screenshot(str(path)):
        raise RuntimeError(f"Chromium could not take the screenshot {path}")
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (it must be one)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


class Callback:
    """The OAuth client's loopback redirect target: records each query to /callback and answers with a small page
    (other paths, such as the browser's favicon request, get 404)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.queries: list[dict[str, list[str]]] = []
        self.arrived = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                target = urlparse(self.path)
                if target.path != "/callback":
                    self.send_error(404)
                    return
                outer.queries.append(parse_qs(target.query))
                body = b"<!doctype html><title>Authorized</title><p>You can close this window.</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                outer.arrived.set()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/callback"

    def __enter__(self) -> Callback:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
