"""Helpers for the integration tests: explicit waits and the browser console.

Imported by test modules as ``from support import …`` (pytest puts this folder on ``sys.path``). The fixtures
that start servers and browsers are in ``tests/conftest.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0

#: Console messages that say nothing about the app: the favicon request and the software GL renderer.
CONSOLE_NOISE = ("favicon.ico", "GL Driver Message")


def wait_for(predicate: Callable[[], T], timeout: float = DEFAULT_TIMEOUT, *, interval: float = 0.1,
             message: str | Callable[[], str] = "condition") -> T:
    """Call ``predicate`` until it returns something truthy and return that; fail after ``timeout`` seconds.

    Exceptions raised by ``predicate`` (an element not rendered yet, say) count as "not yet"; the last one is
    shown in the failure. ``message`` may be a function, called once at the end to describe what was seen.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            result = predicate()
            if result:
                return result
        except (AssertionError, LookupError, TypeError, ValueError, NoSuchElementException,
                StaleElementReferenceException) as error:
            last_error = error
        if time.monotonic() >= deadline:
            described = message() if callable(message) else message
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {described}{detail}")
        time.sleep(interval)


def element_text(driver, css: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text


def wait_for_text(driver, css: str, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Wait until the element at ``css`` contains ``text``; returns the element's whole text."""
    seen: list[str] = []

    def contains() -> str | None:
        current = element_text(driver, css)
        seen[:] = [current]
        return current if text in current else None

    return wait_for(contains, timeout,
                    message=lambda: f"{text!r} in {css} (text was {seen[0] if seen else 'not found'!r})")


def console_errors(driver) -> list[dict]:
    """SEVERE browser console entries since the last call, without known noise.

    Reading the log empties it, so each test sees only what happened since the previous read.
    """
    return [entry for entry in driver.get_log("browser")
            if entry.get("level") == "SEVERE" and not any(noise in entry.get("message", "") for noise in CONSOLE_NOISE)]


def assert_no_console_errors(driver) -> None:
    errors = console_errors(driver)
    assert not errors, "browser console errors:\n" + "\n".join(entry["message"] for entry in errors)


def press(driver, *keys: str) -> None:
    """Send keys to whatever has focus, as a person at the keyboard would."""
    ActionChains(driver).send_keys(*keys).perform()


def take_first_option(driver, typed: str, expected: str, timeout: float) -> None:
    """With a dropdown focused: type into its search box, wait until ``expected`` is in the first option, take it
    with Enter."""
    press(driver, typed[0])
    wait_for(lambda: driver.execute_script(
        "return document.activeElement && document.activeElement.matches('input.dash-dropdown-search');"),
        timeout, message="the dropdown's search box to take focus")
    press(driver, typed[1:])

    def first_option() -> str:
        options = driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content .dash-dropdown-option")
        return options[0].text if options else ""

    wait_for(lambda: expected in first_option(), timeout,
             message=lambda: f"{expected!r} as the first option (saw {first_option()!r})")
    press(driver, Keys.ENTER)


def edges(box) -> tuple[float, float, float, float]:
    """An element box's ``left``, ``top``, ``right``, ``bottom``, from a page's dict of them or a list in that order."""
    if isinstance(box, dict):
        return box["left"], box["top"], box["right"], box["bottom"]
    left, top, right, bottom = box
    return left, top, right, bottom


def intersects(a, b, *, tolerance: float = 0.0) -> bool:
    """Whether two element boxes (see :func:`edges`) overlap by more than ``tolerance`` px: text boxes that
    merely touch after sub-pixel rounding do not overprint."""
    (a_left, a_top, a_right, a_bottom), (b_left, b_top, b_right, b_bottom) = edges(a), edges(b)
    return (a_left < b_right - tolerance and b_left < a_right - tolerance
            and a_top < b_bottom - tolerance and b_top < a_bottom - tolerance)


@contextmanager
def viewport(driver, width: int, height: int, *, mobile: bool = False):
    """The page's viewport at ``width`` × ``height`` CSS pixels (``mobile``: a phone's, with touch) for the
    page loads inside, whatever the window's size."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

