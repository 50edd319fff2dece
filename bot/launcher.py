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
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from bot.settings import REPO_ROOT, StackSettings

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


class StartupError(RuntimeError):
    """A service exited or did not become ready in time."""


def _http_ok(url: str, data: Optional[bytes] = None, timeout: float = 5.0) -> bool:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """The set of services of one assistant, started and stopped together."""

    def __init__(self, settings: StackSettings, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.settings = settings
        self.rasa_token = os.environ.get("RASA_API_TOKEN") or secrets.token_hex(24)
        self.env = self._environment(extra_env or {})
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
            DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{s.state_dir / 'backend.db'}",
            RASA_URL=s.url(s.rasa_port),
            RASA_API_TOKEN=self.rasa_token,
            TF_CPP_MIN_LOG_LEVEL="2",
            RASA_TELEMETRY_ENABLED="false",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            PYTHONWARNINGS="ignore::DeprecationWarning",
        )
        env.update(extra_env)
        return env

    def _services(self) -> List[Service]:
        s = self.settings
        rasa = str(VENV_BIN / "rasa")
        services = [
            Service(
                "action server",
                [rasa, "run", "actions", "--actions", "actions", "--port", str(s.action_port)],
                f"{s.url(s.action_port)}/health",
            ),
        ]
        if (REPO_ROOT / "bot" / "backend" / "__main__.py").exists():
            services.append(
                Service(
                    "backend",
                    [sys.executable, "-m", "bot.backend"],
                    f"{s.url(s.backend_port)}/api/v1/health",
                )
            )
        if (REPO_ROOT / "bot" / "web" / "__main__.py").exists():
            services.append(
                Service("web", [sys.executable, "-m", "bot.web"], f"{s.url(s.web_port)}/health")
            )
        services.append(
            Service(
                "rasa server",
                [
                    rasa, "run",
                    "--model", str(s.model_path),
                    "--interface", s.host,
                    "--port", str(s.rasa_port),
                    "--credentials", str(REPO_ROOT / "credentials.yml"),
                    "--endpoints", str(REPO_ROOT / "endpoints.yml"),
                    "--enable-api", "--auth-token", self.rasa_token,
                    "--cors", "*",
                ],
                f"{s.url(s.rasa_port)}/status?token={self.rasa_token}",
            )
        )
        return services

    def _spawn(self, service: Service) -> None:
        self.settings.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.settings.log_dir / f"{service.name.replace(' ', '_')}.log", "ab") as log:
            service.process = subprocess.Popen(
                service.command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        """Start every service, then wait until all answer and the model is warmed up."""
        for service in self.services:
            self._spawn(service)
        try:
            self._wait_until_ready(self.services)
            self._warm_up()
        except BaseException:
            self.stop()
            raise

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def stop_service(self, name: str) -> None:
        """Stop one service (fault tests: the rest of the stack keeps running)."""
        self._stop([self.service(name)])

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
                        f"see {self.settings.log_dir}"
                    )
                if _http_ok(service.health_url):
                    pending.remove(service)
            if pending and time.monotonic() > deadline:
                names = ", ".join(service.name for service in pending)
                raise StartupError(f"not ready after {READY_TIMEOUT_SECONDS} s: {names}")
            if pending:
                time.sleep(0.5)

    def _warm_up(self) -> None:
        """Parse one Chinese and one English message so the first user does not wait for it."""
        url = f"{self.settings.url(self.settings.rasa_port)}/model/parse?token={self.rasa_token}"
        for text in WARM_UP_MESSAGES:
            _http_ok(url, json.dumps({"text": text}).encode(), timeout=60)

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


def main() -> int:
    """`make run`: start everything, print the URLs, stop everything on Ctrl-C."""
    settings = StackSettings()
    if not settings.model_path.exists():
        print(f"error: no trained model at {settings.model_path}; run `make run` (it trains first).")
        return 1
    stack = Stack(settings)
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    print("Starting FAO Assistant (logs in %s) ..." % settings.log_dir, flush=True)
    started = time.monotonic()
    try:
        stack.start()
    except StartupError as error:
        print(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        print("Stopped before it was ready.")
        return 130
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(f"FAO Assistant is ready ({time.monotonic() - started:.0f} s):")
    for name, url in stack.urls().items():
        print(f"  {name:18} {url}")
    print("Press Ctrl-C to stop.", flush=True)
    while not stopping:
        for service in stack.services:
            if service.process and service.process.poll() is not None:
                print(f"error: {service.name} stopped (code {service.process.returncode}); stopping all.")
                stopping = True
        time.sleep(0.5)
    print("Stopping ...", flush=True)
    stack.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
