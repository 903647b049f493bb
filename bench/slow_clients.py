"""Slow clients against the production setup: does /healthz still answer while they hang on?

For each setup it migrates a fresh SQLite database, starts gunicorn as in production (it reads
gunicorn.conf.py: gthread workers, the start-up check), and for ``nginx+gunicorn`` puts nginx in
front with a copy of deploy/nginx.conf whose only changes are the ports and the paths (pid, logs,
temp files). Then N slow clients connect, in turn of three kinds:

- header: a request whose header arrives one byte a second and would take minutes;
- body: a whole header announcing a 1,000-byte form body (the coordinator login, which reads
  it), then the body one byte a second;
- line: the first bytes of a request line, then nothing.

Meanwhile a /healthz check starts every 0.5 s with a 15 s timeout, as a load balancer's would.
The table gives, per setup, how many checks answered within 1 s, the slowest answer, the checks
that timed out, and per kind of slow client how long the server held its connection before it
dropped it ("kept" when it was still open at the end).

    python bench/slow_clients.py                          # both setups, 10 clients, 40 s
    python bench/slow_clients.py --setups nginx --clients 30 --seconds 60

Needs nginx (Debian: apt-get install nginx). Every process started here is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
NGINX_CONF = os.path.join(ROOT, "deploy", "nginx.conf")
KINDS = ("header", "body", "line")
POLL_SECONDS = 0.5
CHECK_TIMEOUT = 15.0
ANSWERED_WITHIN = 1.0
BODY_BYTES = 1000
STAGGER_SECONDS = 0.2
HEADER = (
    "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a" * 400 + "\r\n\r\n"
).encode()
BODY_HEADER = (
    "POST /coordinator/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n"
    f"Content-Length: {BODY_BYTES}\r\n\r\n"
).encode()
LINE_START = b"GET /heal"


@dataclass
class Checks:
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, url: str) -> None:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=CHECK_TIMEOUT) as response:
                response.read()
            outcome = None
        except urllib.error.HTTPError as error:
            outcome = f"HTTP {error.code}"
        except TimeoutError:
            outcome = "timeout"
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            outcome = "timeout" if isinstance(reason, TimeoutError) else type(reason).__name__
        with self.lock:
            if outcome is None:
                self.latencies.append(time.monotonic() - started)
            else:
                self.failures[outcome] = self.failures.get(outcome, 0) + 1


@dataclass
class SlowClient:
    """One connection that sends its request as slowly as its kind says, until the server
    closes it or the probe ends; ``held`` is how long it stayed open."""

    kind: str
    port: int
    held: float | None = None
    dropped: bool = False

    def run(self, stop: threading.Event) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        started = time.monotonic()
        if self.kind == "header":
            pending = HEADER
        elif self.kind == "body":
            sock.sendall(BODY_HEADER)
            pending = b"x" * BODY_BYTES
        else:
            sock.sendall(LINE_START)
            pending = b""
        try:
            while not stop.is_set():
                if pending:
                    sock.send(pending[:1])
                    pending = pending[1:]
                readable, _, _ = select.select([sock], [], [], 1.0)
                if readable:
                    sock.recv(65536)  # an error page (408, 400) or b"": either way, dropped
                    self.dropped = True
                    break
        except OSError:  # reset or broken pipe: dropped
            self.dropped = True
        finally:
            self.held = time.monotonic() - started
            sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; see {log}")


def nginx_config(workdir: str, port: int, upstream_port: int) -> str:
    """deploy/nginx.conf with this run's ports and temporary paths; nothing else changes."""
    with open(NGINX_CONF) as f:
        text = f.read()
    replacements = [
        (r"^user [^;]+;", "user root;" if os.geteuid() == 0 else ""),
        (r"^pid [^;]+;", f"pid {workdir}/nginx.pid;"),
        (r"^error_log [^ ;]+", f"error_log {workdir}/nginx-error.log"),
        (r"listen 80;", f"listen 127.0.0.1:{port};"),
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        (
            r"^http \{",
            "http {\n"
            + "".join(
                f"    {kind}_temp_path {workdir}/{kind}_temp;\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
        ),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        if count != 1:
            raise RuntimeError(f"deploy/nginx.conf has no line matching {pattern!r}")
    path = os.path.join(workdir, "nginx.conf")
    with open(path, "w") as f:
        f.write(text)
    return path


def start(command: list[str], env: dict, log_path: str) -> subprocess.Popen:
    with open(log_path, "w") as log:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_setup(name: str, clients: int, seconds: float) -> dict:
    workdir = tempfile.mkdtemp(prefix=f"slow-{name}-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/tour.sqlite",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ENV": "production",
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [os.path.join(BIN, "flask"), "--app", "wsgi", "db", "upgrade"],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )
    gunicorn_port = int(env["GUNICORN_BIND"].rpartition(":")[2])
    processes = []
    try:
        if name == "nginx+gunicorn":
            env["TRUSTED_PROXIES"] = "1"
        gunicorn_log = os.path.join(workdir, "gunicorn.log")
        processes.append(start(
            [os.path.join(BIN, "gunicorn"), "wsgi:app", "--no-control-socket"], env, gunicorn_log
        ))
        wait_until_up(f"http://127.0.0.1:{gunicorn_port}/healthz", processes[0], gunicorn_log)
        port = gunicorn_port
        if name == "nginx+gunicorn":
            port = free_port()
            conf = nginx_config(workdir, port, gunicorn_port)
            nginx_log = os.path.join(workdir, "nginx.log")
            processes.append(start(
                ["nginx", "-p", workdir, "-c", conf, "-e", f"{workdir}/nginx-error.log",
                 "-g", "daemon off;"],
                env, nginx_log,
            ))
            wait_until_up(f"http://127.0.0.1:{port}/healthz", processes[1], nginx_log)
        return probe(name, port, clients, seconds)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def probe(name: str, port: int, clients: int, seconds: float) -> dict:
    stop_clients = threading.Event()
    slow = [SlowClient(KINDS[n % len(KINDS)], port) for n in range(clients)]
    slow_threads = [
        threading.Thread(target=client.run, args=(stop_clients,), daemon=True) for client in slow
    ]
    for thread in slow_threads:
        thread.start()
        # Spaced as clients come in practice: a burst of connections is mostly accepted by the
        # one gunicorn worker that wakes first, which hides how the others would fare.
        time.sleep(STAGGER_SECONDS)
    time.sleep(1.0)  # every slow client is in; the checks start
    checks = Checks()
    check_threads = []
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        thread = threading.Thread(target=checks.check, args=(url,), daemon=True)
        thread.start()
        check_threads.append(thread)
        time.sleep(POLL_SECONDS)
    for thread in check_threads:
        thread.join(CHECK_TIMEOUT + 5)
    stop_clients.set()
    for thread in slow_threads:
        thread.join(5)
    return {"setup": name, "checks": checks, "slow": slow}


def held_summary(slow: list[SlowClient], kind: str) -> str:
    of_kind = [client for client in slow if client.kind == kind]
    if not of_kind:
        return "-"
    dropped = [client.held for client in of_kind if client.dropped]
    kept = len(of_kind) - len(dropped)
    parts = []
    if dropped:
        parts.append(f"dropped {len(dropped)} after {statistics.median(dropped):.0f}s")
    if kept:
        longest = max(client.held for client in of_kind if not client.dropped)
        parts.append(f"kept {kept} ({longest:.0f}s)")
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="gunicorn,nginx",
                        help="comma list of: gunicorn (alone), nginx (nginx+gunicorn)")
    parser.add_argument("--clients", type=int, default=10, help="slow clients, kinds in turn")
    parser.add_argument("--seconds", type=float, default=40.0, help="how long checks go on")
    args = parser.parse_args()
    names = {"gunicorn": "gunicorn alone", "nginx": "nginx+gunicorn"}
    rows = [
        run_setup(names[name.strip()], args.clients, args.seconds)
        for name in args.setups.split(",")
    ]
    header = (
        f"| {'setup':<15} | checks | within {ANSWERED_WITHIN:.0f} s | max s | timeouts "
        f"| other failures | held: header | held: body | held: line |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for row in rows:
        checks: Checks = row["checks"]
        total = len(checks.latencies) + sum(checks.failures.values())
        within = sum(1 for latency in checks.latencies if latency <= ANSWERED_WITHIN)
        slowest = max(checks.latencies, default=0.0)
        timeouts = checks.failures.get("timeout", 0)
        others = {k: v for k, v in checks.failures.items() if k != "timeout"} or "none"
        held = [held_summary(row["slow"], kind) for kind in KINDS]
        print(
            f"| {row['setup']:<15} | {total:>6} | {within:>10} | {slowest:>5.1f} | {timeouts:>8} "
            f"| {str(others):<14} | {held[0]} | {held[1]} | {held[2]} |"
        )
    print(f"{args.clients} slow clients ({', '.join(KINDS)} in turn); a /healthz check every "
          f"{POLL_SECONDS} s for {args.seconds:.0f} s, {CHECK_TIMEOUT:.0f} s timeout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
