"""A view in a real browser: headless Chromium loads ``host.html``, a minimal MCP Apps host that puts the view's
document in a sandboxed frame and speaks the ext-apps postMessage protocol to it, passing a real tool result."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser_support import ARTIFACTS, chromium
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

HOST_PAGE = Path(__file__).resolve().parent / "host.html"


class ViewHost:
    """One browser; ``show`` draws a view with a tool result, ``find``/``texts`` read what it drew."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver

    def show(self, html: str, arguments: dict[str, Any], result: dict[str, Any], *, theme: str = "light",
             width: int = 640) -> dict[str, Any]:
        """Load the host, start the view and wait until it has drawn the result; the host's record of the exchange."""
        self.driver.switch_to.default_content()
        self.driver.get(HOST_PAGE.as_uri())
        self.driver.execute_script("startView(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4])",
                                   html, arguments, result, theme, width)
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return host.rendered !== null"))
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


@contextmanager
def view_host() -> Iterator[ViewHost]:
    """Headless Chromium with the test host page."""
    with chromium() as driver:
        yield ViewHost(driver)
