"""Fixtures shared by every test folder: the app in-process, a live app server on a free port, headless
Chromium and a Redis server.

Each fixture starts what it needs and stops it again; nothing is left running after the session. Browser and
Redis tests need Debian's ``chromium``, ``chromedriver`` and ``redis-server`` (``make test`` installs them).
When one is missing they are skipped with the reason, except under CI (``CI`` set), where they must run and
a missing program fails the test instead.

Plain helper functions for test modules (waiting, reading the browser console) live in
``tests/integration/support.py``: every folder may have its own ``conftest.py``, all imported under the one
module name ``conftest``, so ``from conftest import …`` would not reliably reach this file.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: The per-client request budgets on /api and /export are for the public; the suite makes many requests from
#: one address, in this process and in the servers it starts. Tests of the limits set their own.
os.environ.setdefault("ATLAS_API_RATE_LIMIT", "10000 per minute")
os.environ.setdefault("ATLAS_EXPORT_RATE_LIMIT", "10000 per minute")
SERVER_START_TIMEOUT = 30.0
SERVER_STOP_TIMEOUT = 10.0

CHROME_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--window-size=1440,1800", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
)


def in_ci() -> bool:
    """``CI`` set to anything but empty or one of the app's spellings of false (``dashboard.config``)."""
    from dashboard.config import is_false

    value = os.environ.get("CI", "").strip()
    return bool(value) and not is_false(value)


def require_programs(*names: str, purpose: str) -> dict[str, str]:
    """Paths of the programs ``names``; skips the test when one is missing (fails instead under CI)."""
    found = {name: shutil.which(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        message = (f"{purpose} need {', '.join(missing)} on PATH (Debian packages chromium, chromium-driver, "
                   f"redis-server; `make test` installs them)")
        if in_ci():
            pytest.fail(f"CI is set, so this must run: {message}", pytrace=False)
        pytest.skip(message)
    return {name: str(path) for name, path in found.items()}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """A server process started by :func:`start_server`; its output goes to files, read on demand."""

    url: str
    port: int
    process: subprocess.Popen
    log_dir: Path
    stopped: bool = field(default=False)

    def output(self) -> str:
        """Everything the server printed so far, stdout then stderr."""
        parts = []
        for name in ("stdout.log", "stderr.log"):
            path = self.log_dir / name
            if path.exists():
                parts.append(f"--- {name} ---\n{path.read_text(encoding='utf-8', errors='replace')}")
        return "\n".join(parts)

    def stop(self) -> None:
        """SIGTERM to the server's process group (gunicorn workers included), SIGKILL if it lingers."""
        if self.stopped:
            return
        self.stopped = True
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait(timeout=SERVER_STOP_TIMEOUT)
        shutil.rmtree(self.log_dir, ignore_errors=True)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def server_environment(port: int, env: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The test process's environment for a server on ``port``: HOST/PORT set, REDIS_URL unset.

    ``env`` adds or overrides variables; a value of ``None`` removes the variable.
    """
    environment = dict(os.environ)
    environment.pop("REDIS_URL", None)
    environment.update({"HOST": "127.0.0.1", "PORT": str(port), "PYTHONUNBUFFERED": "1"})
    for key, value in (env or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def start_server(
    cmd: Sequence[str],
    env: Mapping[str, str | None] | None = None,
    *,
    port: int | None = None,
    health_path: str = "/healthz",
    timeout: float = SERVER_START_TIMEOUT,
) -> LiveServer:
    """Start ``cmd`` in the repository root and wait until ``GET health_path`` answers 200.

    ``{port}`` in an argument is replaced by the port (``--bind 127.0.0.1:{port}`` for gunicorn); the port is
    also passed as ``PORT``. On a timeout, or when the process exits first, the server is stopped and the
    test fails with everything it printed.
    """
    port = port or free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="atlas-server-"))
    argv = [str(part).replace("{port}", str(port)) for part in cmd]
    with open(log_dir / "stdout.log", "wb") as stdout, open(log_dir / "stderr.log", "wb") as stderr:
        process = subprocess.Popen(argv, cwd=REPO, env=server_environment(port, env), stdin=subprocess.DEVNULL,
                                   stdout=stdout, stderr=stderr, start_new_session=True)
    server = LiveServer(url=f"http://127.0.0.1:{port}", port=port, process=process, log_dir=log_dir)
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = server.output()
            server.stop()
            pytest.fail(f"server {argv} exited with code {process.returncode} before it was ready:\n{output}",
                        pytrace=False)
        try:
            with urllib.request.urlopen(server.url + health_path, timeout=2) as response:
                if response.status == 200:
                    return server
                last_error = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code}"
            error.close()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(0.2)
    output = server.output()
    server.stop()
    pytest.fail(f"server {argv} did not answer {health_path} with 200 within {timeout:.0f} s "
                f"(last: {last_error}):\n{output}", pytrace=False)


@pytest.fixture(name="start_server", scope="session")
def start_server_fixture() -> Iterator[Callable[..., LiveServer]]:
    """A factory with the signature of :func:`start_server`; every server it started is stopped at the end.

    Scoped to the session so module-scoped fixtures can use it too; a test that needs a server stopped sooner
    calls ``server.stop()`` itself (stopping twice is harmless).
    """
    started: list[LiveServer] = []

    def start(cmd: Sequence[str], env: Mapping[str, str | None] | None = None, **options) -> LiveServer:
        server = start_server(cmd, env, **options)
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture(scope="session")
def register():
    """The committed register as the app loads it (``dashboard.data.load_atlas_data``): what tests of the real
    numbers hand to ``views``, ``story`` and ``partner_views``."""
    from dashboard.data import load_atlas_data

    return load_atlas_data()


@pytest.fixture(scope="session")
def app():
    """The Dash app, built in this process once per session.

    Dash pages register themselves and their callbacks in process-wide registries when first imported, so a
    second app in the same process would register them again: every test shares this one.
    """
    from dashboard.factory import create_app

    return create_app()


@pytest.fixture(scope="session")
def client(app):
    """Flask's test client for :func:`app`."""
    return app.server.test_client()


@pytest.fixture
def install_renderer(monkeypatch):
    """Puts a test's stand-in in place of the export render process (with a browser found, so exports are
    offered), on an empty cache; gives the stand-in back."""
    from dashboard import render
    from dashboard.cache import cache

    def install(stand_in):
        monkeypatch.setattr(render, "_renderer", stand_in)
        monkeypatch.setattr(render, "browser_path", lambda: "/usr/bin/chromium")
        cache.clear()
        return stand_in

    yield install
    cache.clear()


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app (``python app.py``, in-process cache) on a free port; yields its base URL.

    A server that dies while tests use it makes them fail with "connection refused"; the teardown then says
    so, with everything the server printed.
    """
    server = start_server([sys.executable, "app.py"])
    try:
        yield server.url
    finally:
        exit_code = server.process.poll()
        output = server.output() if exit_code is not None else ""
        server.stop()
        if exit_code is not None:
            pytest.fail(f"the live server exited with code {exit_code} during the tests:\n{output}", pytrace=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Selenium, one per test module.

    ``browser.download_dir`` is an empty folder that downloads land in. Console messages of every level are
    recorded; read them with ``support.console_errors(browser)``.
    """
    programs = require_programs("chromium", "chromedriver", purpose="browser tests")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile_dir = tempfile.mkdtemp(prefix="atlas-chromium-profile-")
    download_dir = tempfile.mkdtemp(prefix="atlas-downloads-")
    options = webdriver.ChromeOptions()
    options.binary_location = programs["chromium"]
    for argument in CHROME_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={profile_dir}")
    # The app picks its language from Accept-Language: the tests read English texts.
    options.add_argument("--lang=en-US")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "intl.accept_languages": "en-US,en",
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
    })
    driver = webdriver.Chrome(service=Service(programs["chromedriver"]), options=options)
    try:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                {"behavior": "allow", "downloadPath": download_dir, "eventsEnabled": False})
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        driver.download_dir = download_dir
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)
        shutil.rmtree(download_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[str]:
    """A throw-away ``redis-server`` on a free port, without persistence; yields ``redis://127.0.0.1:<port>/0``."""
    programs = require_programs("redis-server", purpose="Redis tests")
    import redis

    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="atlas-redis-"))
    with open(log_dir / "redis.log", "wb") as log:
        process = subprocess.Popen(
            [programs["redis-server"], "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", str(log_dir)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"redis-server exited with code {process.returncode}:\n"
                            f"{(log_dir / 'redis.log').read_text(errors='replace')}", pytrace=False)
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"redis-server did not answer PING within {SERVER_START_TIMEOUT:.0f} s:\n"
                            f"{(log_dir / 'redis.log').read_text(errors='replace')}", pytrace=False)
            time.sleep(0.1)
        yield url
    finally:
        client.close()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=SERVER_STOP_TIMEOUT)
        shutil.rmtree(log_dir, ignore_errors=True)
