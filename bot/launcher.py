"""Starts the whole assistant (action server, backend, Rasa server) and stops it on Ctrl-C.

Used by `make run` and by the end-to-end tests, so both start the services the same way.
Each service runs as a child process in its own process group with its log in
``<state_dir>/logs``; readiness is checked over HTTP before the stack is reported ready.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

from bot.settings import REPO_ROOT, StackSettings, with_own_site

VENV_BIN = Path(sys.executable).parent
READY_TIMEOUT_SECONDS = 240
WARM_UP_MESSAGES = ("你好，APEC商务旅行卡怎么办理？", "Hello, how do I register my address?")


@dataclass
class Service:
    """One child process and how to tell that it is ready."""

    name: str
    command: List[str]
    health_url: str
    process: Optional[subprocess.Popen] = None
    env: Dict[str, str] = field(default_factory=dict)


class StartupError(RuntimeError):
    """A service exited or did not become ready in time."""


def _http_ok(url: str, data: Optional[bytes] = None, timeout: float = 5.0) -> bool:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def action_server(name: str, host: str, port: int) -> Service:
    """`rasa run actions` for our actions package on `host:port` (rasa-sdk binds to $SANIC_HOST).

    It answers only callers with ACTION_SERVER_TOKEN (bot/action_server.py), which Rasa sends.
    """
    command = [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)]
    return Service(name, command, f"http://{host}:{port}/health", env={"SANIC_HOST": host})


def rasa_server_command(model: Path, host: str, port: int, endpoints: Path, cors_origins: List[str]) -> List[str]:
    """`rasa run` with the HTTP API behind $RASA_API_TOKEN and CORS limited to `cors_origins`.

    The token is not on the command line (`ps` would show it): bot/rasa_run.py adds it from the
    environment and refuses to start without one.
    """
    return [
        sys.executable, "-m", "bot.rasa_run", "run",
        "--model", str(model),
        "--interface", host,
        "--port", str(port),
        "--credentials", str(REPO_ROOT / "credentials.yml"),
        "--endpoints", str(endpoints),
        "--enable-api",
        "--cors", *cors_origins,
    ]


def rasa_health_url(base_url: str, token: str) -> str:
    return f"{base_url}/status?token={token}"


def warm_up(base_url: str, token: str) -> None:
    """Parse one Chinese and one English message so the first user does not wait for it."""
    url = f"{base_url}/model/parse?token={token}"
    for text in WARM_UP_MESSAGES:
        _http_ok(url, json.dumps({"text": text}).encode(), timeout=60)


class ServiceGroup:
    """Child processes started, awaited and stopped together; each in its own process group.

    The reusable part of the launcher: Stack (`make run`) and bot.cluster (`make cluster`) both build
    their list of services and let this class run them.
    """

    def __init__(self, services: List[Service], env: Dict[str, str], log_dir: Path) -> None:
        self.services = services
        self.env = env
        self.log_dir = log_dir

    def _spawn(self, service: Service) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{service.name.replace(' ', '_')}.log", "ab") as log:
            service.process = subprocess.Popen(
                service.command,
                cwd=REPO_ROOT,
                env={**self.env, **service.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        """Start every service, then wait until all answer and run `after_ready`."""
        for service in self.services:
            self._spawn(service)
        try:
            self._wait_until_ready(self.services)
            self.after_ready()
        except BaseException:
            self.stop()
            raise

    def after_ready(self) -> None:
        """Hook for work once every service answers (warm-up)."""

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def stop_service(self, name: str) -> None:
        """Stop one service (fault tests: the rest keeps running)."""
        self._stop([self.service(name)])

    def kill_service(self, name: str) -> None:
        """SIGKILL one service, as a crash would: no clean shutdown."""
        service = self.service(name)
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()

    def start_service(self, name: str) -> None:
        """Start one stopped service again and wait until it answers."""
        service = self.service(name)
        self._spawn(service)
        self._wait_until_ready([service])

    def _wait_until_ready(self, services: List[Service]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = list(services)
        while pending:
            for service in list(pending):
                if service.process and service.process.poll() is not None:
                    raise StartupError(
                        f"{service.name} exited with code {service.process.returncode}; "
                        f"see {self.log_dir}"
                    )
                if _http_ok(service.health_url):
                    pending.remove(service)
            if pending and time.monotonic() > deadline:
                names = ", ".join(service.name for service in pending)
                raise StartupError(f"not ready after {READY_TIMEOUT_SECONDS} s: {names}")
            if pending:
                time.sleep(0.5)

    def stop(self) -> None:
        """Stop every child process group: SIGTERM, then SIGKILL after a grace period."""
        self._stop(self.services)

    def _stop(self, services: List[Service]) -> None:
        for service in services:
            if service.process and service.process.poll() is None:
                os.killpg(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for service in services:
            if not service.process:
                continue
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()

    def exited(self) -> Optional[Service]:
        """A service whose process has ended, if any (the supervisor loop of `main`)."""
        return next(
            (s for s in self.services if s.process is not None and s.process.poll() is not None), None
        )


def embedded_cors_origins(settings: StackSettings) -> List[str]:
    """The origins of our own website (the widget's page) plus those of FAO_CORS_ORIGINS (the office's pages)."""
    return with_own_site([f"http://{settings.host}:{settings.web_port}", f"http://localhost:{settings.web_port}"])


class Stack(ServiceGroup):
    """The set of services of one assistant (embedded profile), started and stopped together."""

    def __init__(self, settings: StackSettings, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.settings = settings
        self.rasa_token = os.environ.get("RASA_API_TOKEN") or secrets.token_hex(24)
        self.cors_origins = embedded_cors_origins(settings)
        super().__init__([], self._environment(extra_env or {}), settings.log_dir)
        self.services = self._services()

    def _environment(self, extra_env: Dict[str, str]) -> Dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(REPO_ROOT),
            ACTION_ENDPOINT_URL=f"{s.url(s.action_port)}/webhook",
            TRACKER_DB=str(s.tracker_db),
            BACKEND_URL=s.url(s.backend_port),
            BACKEND_PORT=str(s.backend_port),
            BACKEND_HOST=s.host,
            WEB_PORT=str(s.web_port),
            WEB_HOST=s.host,
            FAO_STATE_DIR=str(s.state_dir),
            BACKEND_SERVICE_TOKEN=os.environ.get("BACKEND_SERVICE_TOKEN") or secrets.token_hex(24),
            ACTION_SERVER_TOKEN=os.environ.get("ACTION_SERVER_TOKEN") or secrets.token_hex(24),
            DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{s.state_dir / 'backend.db'}",
            RASA_URL=s.url(s.rasa_port),
            RASA_API_TOKEN=self.rasa_token,
            FAO_CORS_ORIGINS=" ".join(self.cors_origins),
            FAO_CLIENT_KEY_SECRET=os.environ.get("FAO_CLIENT_KEY_SECRET") or secrets.token_hex(16),
            TF_CPP_MIN_LOG_LEVEL="2",
            RASA_TELEMETRY_ENABLED="false",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            PYTHONWARNINGS="ignore::DeprecationWarning",
        )
        env.update(extra_env)
        return env

    def _services(self) -> List[Service]:
        s = self.settings
        services = [action_server("action server", s.host, s.action_port)]
        if (REPO_ROOT / "bot" / "backend" / "__main__.py").exists():
            services.append(
                Service("backend", [sys.executable, "-m", "bot.backend"], f"{s.url(s.backend_port)}/api/v1/health")
            )
        if (REPO_ROOT / "bot" / "web" / "__main__.py").exists():
            services.append(Service("web", [sys.executable, "-m", "bot.web"], f"{s.url(s.web_port)}/health"))
        services.append(
            Service(
                "rasa server",
                rasa_server_command(s.model_path, s.host, s.rasa_port, REPO_ROOT / "endpoints.yml", self.cors_origins),
                rasa_health_url(s.url(s.rasa_port), self.rasa_token),
            )
        )
        return services

    def after_ready(self) -> None:
        warm_up(self.settings.url(self.settings.rasa_port), self.rasa_token)

    def urls(self) -> Dict[str, str]:
        s = self.settings
        urls = {
            "REST channel": f"{s.url(s.rasa_port)}/webhooks/rest/webhook",
            "socket.io channel": f"{s.url(s.rasa_port)}/socket.io",
            "action server": f"{s.url(s.action_port)}/webhook",
        }
        names = {service.name for service in self.services}
        if "backend" in names:
            urls["backend API"] = f"{s.url(s.backend_port)}/api/v1/"
        if "web" in names:
            urls["website + widget"] = f"{s.url(s.web_port)}/"
            urls["operator console"] = f"{s.url(s.web_port)}/operator"
        return urls


def serve(group: ServiceGroup, title: str, urls: Callable[[], Dict[str, str]]) -> int:
    """Start `group`, print its URLs, supervise it until Ctrl-C (or a service dies), then stop it."""
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    print(f"Starting {title} (logs in {group.log_dir}) ...", flush=True)
    started = time.monotonic()
    try:
        group.start()
    except StartupError as error:
        print(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        print("Stopped before it was ready.")
        return 130
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(f"{title} is ready ({time.monotonic() - started:.0f} s):")
    for name, url in urls().items():
        print(f"  {name:18} {url}")
    print("Press Ctrl-C to stop.", flush=True)
    while not stopping:
        ended = group.exited()
        if ended is not None:
            print(f"error: {ended.name} stopped (code {ended.process.returncode}); stopping all.")
            stopping = True
        time.sleep(0.5)
    print("Stopping ...", flush=True)
    group.stop()
    print("Stopped.")
    return 0


def main() -> int:
    """`make run`: start everything, print the URLs, stop everything on Ctrl-C."""
    settings = StackSettings()
    if not settings.model_path.exists():
        print(f"error: no trained model at {settings.model_path}; run `make run` (it trains first).")
        return 1
    stack = Stack(settings)
    return serve(stack, "FAO Assistant", stack.urls)


if __name__ == "__main__":
    sys.exit(main())
