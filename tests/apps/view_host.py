"""A view in a real browser: headless Chromium loads ``host.html``, a minimal MCP Apps host built on the official
``@modelcontextprotocol/ext-apps`` AppBridge (pinned with the interop npm packages, installed once into their cache),
which puts the view's document in a sandboxed frame and passes it a real tool result over the ext-apps protocol."""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from browser_support import ARTIFACTS, chromium
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "interop"))

from interop_support import ensure_toolchain  # noqa: E402

HOST_PAGE = HERE / "host.html"


class ViewHost:
    """One browser on the host page; ``show`` draws a view with a tool result, ``find``/``texts`` read what it drew."""

    def __init__(self, driver: webdriver.Chrome, url: str) -> None:
        self.driver = driver
        self.url = url

    def show(self, html: str, arguments: dict[str, Any], result: dict[str, Any], *, theme: str = "light",
             width: int = 640) -> dict[str, Any]:
        """Load the host, start the view and wait until it has drawn the result; the host's record of the exchange."""
        self.driver.switch_to.default_content()
        self.driver.get(self.url)
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return window.hostReady === true"),
                                             message="the AppBridge host page did not load its modules")
        self.driver.execute_script("startView(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4])",
                                   html, arguments, result, theme, width)
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return host.rendered !== null || host.errors.length > 0"),
                                             message="the view never drew the result")
        record: dict[str, Any] = self.driver.execute_script("return JSON.parse(JSON.stringify(host))")
        assert not record["errors"], record["errors"]
        self.driver.switch_to.frame(self.driver.find_element(By.ID, "view"))
        return record

    def find(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css: str) -> list[str]:
        return [element.text for element in self.find(css)]

    def count(self, css: str) -> int:
        return int(self.driver.execute_script(f"return document.querySelectorAll({json.dumps(css)}).length"))

    def screenshot(self, name: str) -> Path:
        """A PNG of the view's frame, kept in test-artifacts/."""
        self.driver.switch_to.default_content()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        frame = self.driver.find_element(By.ID, "view")
        self.driver.set_window_size(max(900, frame.size["width"] + 40), frame.size["height"] + 200)
        assert frame.screenshot(str(path)), f"could not take {path}"
        self.driver.switch_to.frame(frame)
        return path


class _Files(SimpleHTTPRequestHandler):
    """The host page at /host.html and the installed npm packages under /node_modules/, nothing else."""

    def __init__(self, *args: Any, root: Path, **kwargs: Any) -> None:
        self.root = root
        super().__init__(*args, directory=str(root), **kwargs)

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0]
        if clean == "/host.html":
            return str(HOST_PAGE)
        if clean.startswith("/node_modules/") and ".." not in clean:
            return super().translate_path(path)
        return str(self.root / "missing")

    def log_message(self, *args: Any) -> None:
        return


@contextmanager
def view_host() -> Iterator[ViewHost]:
    """Headless Chromium and a local server for the host page and its modules (AppBridge and its dependencies)."""
    toolchain = ensure_toolchain()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Files, root=toolchain.root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with chromium() as driver:
            yield ViewHost(driver, f"http://127.0.0.1:{server.server_address[1]}/host.html")
    finally:
        server.shutdown()
        server.server_close()
