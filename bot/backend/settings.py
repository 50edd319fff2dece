"""Backend configuration, read once from the environment with defaults for a local `make run`.

The service token has no default on purpose: without BACKEND_SERVICE_TOKEN the API answers every
call with 401, so a forgotten setting fails closed instead of exposing application records.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Optional

from bot.settings import REPO_ROOT


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _default_database_url() -> str:
    state_dir = Path(_env("FAO_STATE_DIR", str(REPO_ROOT / "var")))
    return f"sqlite:///{state_dir / 'backend.db'}"


def _default_host() -> str:
    return _env("BACKEND_HOST", _env("FAO_BIND_HOST", "127.0.0.1"))


@dataclass(frozen=True)
class BackendSettings:
    """Everything the backend service and its client need; tests build one with overrides."""

    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", _default_database_url()))
    service_token: Optional[str] = field(default_factory=lambda: os.environ.get("BACKEND_SERVICE_TOKEN") or None)
    host: str = field(default_factory=_default_host)
    port: int = field(default_factory=lambda: int(_env("BACKEND_PORT", "5080")))
    max_failed_attempts: int = field(default_factory=lambda: int(_env("BACKEND_MAX_FAILED_ATTEMPTS", "5")))
    lock_seconds: int = field(default_factory=lambda: int(_env("BACKEND_LOCK_SECONDS", "900")))
    rate_limit: int = field(default_factory=lambda: int(_env("BACKEND_RATE_LIMIT", "120")))
    rate_window_seconds: float = field(default_factory=lambda: float(_env("BACKEND_RATE_WINDOW_SECONDS", "60")))
    # Lookups (right or wrong code) per conversation and per client key in a sliding window (issue 6).
    lookups_per_conversation: int = field(default_factory=lambda: int(_env("BACKEND_LOOKUPS_PER_CONVERSATION", "10")))
    lookups_per_client: int = field(default_factory=lambda: int(_env("BACKEND_LOOKUPS_PER_CLIENT", "60")))
    lookup_window_seconds: float = field(default_factory=lambda: float(_env("BACKEND_LOOKUP_WINDOW_SECONDS", "600")))
    seed_demo: bool = field(default_factory=lambda: _env("BACKEND_SEED_DEMO", "1") not in ("0", "false", "no"))
    client_url: str = field(default_factory=lambda: _env("BACKEND_URL", ""))
    client_timeout_seconds: float = field(default_factory=lambda: float(_env("BACKEND_TIMEOUT_SECONDS", "2")))

    @property
    def lock_duration(self) -> timedelta:
        return timedelta(seconds=self.lock_seconds)

    @property
    def base_url(self) -> str:
        """Where the client finds the service: BACKEND_URL, else this host and port."""
        return (self.client_url or f"http://{self.host}:{self.port}").rstrip("/")
