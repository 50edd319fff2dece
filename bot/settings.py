"""Where each service listens and where state is kept, read from the environment.

Defaults are the embedded profile of `make run` (SQLite on disk, no extra servers). Every
value can be overridden by the environment variable of the same name, which is also how the
launcher passes them to Rasa (endpoints.yml reads ${ACTION_ENDPOINT_URL} and ${TRACKER_DB}).
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional

REPO_ROOT = Path(__file__).resolve().parents[1]
CORS_ORIGINS_VARIABLE = "FAO_CORS_ORIGINS"


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class StackSettings:
    """Ports, paths and secrets of one running assistant (the launcher's input)."""

    host: str = field(default_factory=lambda: _env("FAO_BIND_HOST", "127.0.0.1"))
    rasa_port: int = field(default_factory=lambda: int(_env("RASA_PORT", "5005")))
    action_port: int = field(default_factory=lambda: int(_env("ACTION_PORT", "5055")))
    backend_port: int = field(default_factory=lambda: int(_env("BACKEND_PORT", "5080")))
    web_port: int = field(default_factory=lambda: int(_env("WEB_PORT", "8080")))
    state_dir: Path = field(default_factory=lambda: Path(_env("FAO_STATE_DIR", str(REPO_ROOT / "var"))))
    model_path: Path = field(
        default_factory=lambda: Path(_env("FAO_MODEL", str(REPO_ROOT / "models" / "fao-assistant.tar.gz")))
    )

    @property
    def tracker_db(self) -> Path:
        return self.state_dir / "tracker.db"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    def url(self, port: int) -> str:
        return f"http://{self.host}:{port}"


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the OS picks it), for services started by tests and tools."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def loopback_settings(state_dir: Path, model_path: Path) -> StackSettings:
    """Every service on its own free loopback port: tests, the fuzz and the benchmark run beside `make run`."""
    return StackSettings(
        host="127.0.0.1",
        rasa_port=free_port(),
        action_port=free_port(),
        backend_port=free_port(),
        web_port=free_port(),
        state_dir=state_dir,
        model_path=model_path,
    )


def parse_origins(raw: str) -> List[str]:
    """Origins from a space- or comma-separated list, without trailing slashes."""
    return [origin.strip().rstrip("/") for origin in raw.replace(",", " ").split() if origin.strip()]


def with_own_site(own_site: Iterable[str], configured: Optional[str] = None) -> List[str]:
    """Our own site's origins plus FAO_CORS_ORIGINS: allowing the office's pages never locks out our own."""
    raw = os.environ.get(CORS_ORIGINS_VARIABLE, "") if configured is None else configured
    merged: List[str] = []
    for origin in [*own_site, *parse_origins(raw)]:
        if origin not in merged:
            merged.append(origin)
    return merged
