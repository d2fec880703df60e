"""What every benchmark row shares: ports, server processes, Redis, Chromium, statistics, the machine.

Every server started here listens on 127.0.0.1 only, runs in its own process group (so gunicorn's workers go
with their master) and is stopped by its own id when the ``with`` block ends, whatever happened inside it.
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from dashboard.process_tree import descendants  # noqa: F401 (rows and tests find a process tree here too)

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"

CHROMIUM_BINARY = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--use-gl=swiftshader", "--enable-unsafe-swiftshader")

PACKAGES = ("dash", "plotly", "flask", "flask-compress", "flask-talisman", "gunicorn", "redis", "pandas",
            "geopandas", "shapely", "numpy", "selenium")


# --- numbers ------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline else float("nan")


# --- HTTP bodies -------------------------------------------------------------------------------------------------

#: A JavaScript function of a graph div: whether its map is drawn. An SVG map (plotly.js's ``geo``, the atlas's)
#: once its regions' paths are in the page; a MapLibre map (the baselines') once it has loaded its data.
MAP_IS_DRAWN = """function (gd) {
  if (!gd || !gd.data || !gd.data.length || !gd._fullLayout) { return false; }
  var geo = gd._fullLayout.geo && gd._fullLayout.geo._subplot;
  if (geo) { return gd.querySelectorAll('path.choroplethlocation').length > 0; }
  var sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
  return !!(sub && sub.map && sub.map.loaded());
}"""

#: What Chromium sends; Flask-Compress answers with the first of its algorithms the client accepts (zstd).
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def decode_body(body: bytes, encoding: str) -> bytes:
    """A response body without its ``Content-Encoding``."""
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding == "gzip":
        import gzip
        return gzip.decompress(body)
    if encoding == "deflate":
        import zlib
        return zlib.decompress(body)
    if encoding == "br":
        import brotli
        return brotli.decompress(body)
    if encoding == "zstd":
        try:
            from compression import zstd  # Python 3.14+
        except ImportError:
            from backports import zstd
        return zstd.decompress(body)
    raise ValueError(f"unknown Content-Encoding {encoding!r}")


# --- the machine --------------------------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_total_gib() -> float:
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def tool_version(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0].strip() if text else "unknown"


def machine_lines() -> list[str]:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, {memory_total_gib():.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"python {platform.python_version()} ({sys.executable}); " + ", ".join(versions),
        f"tools: {tool_version(['redis-server', '--version'])}; {tool_version(['wrk', '-v'])}; "
        f"{tool_version([CHROMIUM_BINARY, '--version'])}",
        f"load average at start: {load}",
    ]


# --- ports and processes ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


#: Every app the benchmark starts or builds runs with these: from one address, its many requests would
#: otherwise be answered 429 by the per-client rate limits, which are not what any row measures.
UNTHROTTLED = {"ATLAS_API_RATE_LIMIT": "1000000 per minute", "ATLAS_EXPORT_RATE_LIMIT": "1000000 per minute"}


def unthrottle(environment=os.environ) -> None:
    """Raise the rate limits in ``environment``, unless it sets them: this process's, for the apps it builds
    (before ``dashboard.config`` is first imported), or a server's."""
    for key, value in UNTHROTTLED.items():
        environment.setdefault(key, value)


def server_env(**overrides: str | None) -> dict[str, str]:
    """The environment for a server process: this one's, minus settings that would change what is measured."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "ATLAS_DEBUG", "ATLAS_COMPRESS", "PORT", "HOST", "WERKZEUG_RUN_MAIN")}
    env["HOST"] = LOOPBACK
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    unthrottle(env)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def http_status(url: str, *, timeout: float = 2.0, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


@dataclass
class Server:
    """A server process started by a row; ``log`` collects its stdout and stderr."""

    command: list[str]
    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    log_file: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> Server:
        self.log_file = tempfile.TemporaryFile(mode="w+b")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(self.command, cwd=REPO, env=self.env, stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_until(self, path: str, *, timeout: float = 60.0, interval: float = 0.02) -> float:
        """Seconds from process start until ``GET path`` answers 200; raises if it never does."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[1:3]} exited with {self.process.returncode}:\n{self.log()[-2000:]}")
            if http_status(self.url + path, timeout=5.0) == 200:
                return time.perf_counter() - self.started
            time.sleep(interval)
        raise TimeoutError(f"{self.url}{path} did not answer 200 within {timeout:.0f} s:\n{self.log()[-2000:]}")

    def log(self) -> str:
        if self.log_file is None:
            return ""
        self.log_file.flush()
        self.log_file.seek(0)
        return self.log_file.read().decode("utf-8", "replace")

    def children(self) -> list[int]:
        """Process ids of the direct children (gunicorn's workers)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in path.read_text().split()]
        return []

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        else:
            # The leader is gone; workers left in its group (if any) go too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)


@contextlib.contextmanager
def running(command: Sequence[str], *, port: int, env: dict[str, str], ready_path: str | None = "/",
            timeout: float = 60.0) -> Iterator[Server]:
    server = Server(list(command), port, env).start()
    try:
        if ready_path is not None:
            server.wait_until(ready_path, timeout=timeout)
        yield server
    finally:
        server.stop()
        if server.log_file is not None:
            server.log_file.close()


def dev_server_command() -> list[str]:
    return [sys.executable, "app.py"]


def gunicorn_command(app: str, port: int, *, workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "gunicorn", app, "--workers", str(workers), "--bind", f"{LOOPBACK}:{port}",
            "--timeout", "120"]


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


# --- Redis ----------------------------------------------------------------------------------------------------


class RedisServer:
    """A throwaway ``redis-server`` on a loopback port, without persistence; it can be stopped and restarted
    on the same port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode} on port {self.port}")
            if self.ping():
                return self
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"redis-server did not answer on port {self.port}")

    def ping(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# --- Chromium ---------------------------------------------------------------------------------------------------


def chromium(*, width: int = 1440, height: int = 1000, performance_log: bool = False):
    """A fresh headless Chromium (empty profile, so nothing is cached) driven by Debian's chromedriver;
    ``performance_log`` records DevTools network events (request bodies included) for ``get_log``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM_BINARY
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    # A page whose main thread is busy for a minute must still be measured, not abandoned.
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(300)
    return driver
