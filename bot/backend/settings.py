"""Backend configuration, read once from the environment with defaults for a local `make run`.

The service token has no default on purpose: without BACKEND_SERVICE_TOKEN the API answers every
call with 401, so a forgotten setting fails closed instead of exposing application records.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from bot.settings import REPO_ROOT


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _default_database_url() -> str:
    state_dir = Path(_env("FAO_STATE_DIR", str(REPO_ROOT / "var")))
    return f"sqlite:///{state_dir / 'backend.db'}"


def _default_limits_storage() -> str:
    """Redis when the production profile configures it (REDIS_HOST), so replicas share their counts; else memory."""
    host = os.environ.get("REDIS_HOST")
    if not host:
        return "memory://"
    password = quote(os.environ.get("REDIS_PASSWORD") or "", safe="")
    auth = f":{password}@" if password else ""
    return f"redis://{auth}{host}:{_env('REDIS_PORT', '6379')}/{_env('REDIS_DB', '1')}"


def _default_host() -> str:
    return _env("BACKEND_HOST", _env("FAO_BIND_HOST", "127.0.0.1"))


@dataclass(frozen=True)
class BackendSettings:
    """Everything the backend service and its client need; tests build one with overrides."""

    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", _default_database_url()))
    service_token: Optional[str] = field(default_factory=lambda: os.environ.get("BACKEND_SERVICE_TOKEN") or None)
    host: str = field(default_factory=_default_host)
    port: int = field(default_factory=lambda: int(_env("BACKEND_PORT", "5080")))
    # Requests per caller address (the action servers), counted after the token check; callers without a
    # valid token have their own, smaller budget, so they cannot use up the real one.
    rate_limit: int = field(default_factory=lambda: int(_env("BACKEND_RATE_LIMIT", "1200")))
    rate_window_seconds: float = field(default_factory=lambda: float(_env("BACKEND_RATE_WINDOW_SECONDS", "60")))
    unauthenticated_rate_limit: int = field(
        default_factory=lambda: int(_env("BACKEND_UNAUTHENTICATED_RATE_LIMIT", "30")))
    # Lookups (right or wrong code) per conversation and per client key (a pseudonym of the chat user's
    # address) in a moving window. An office behind one address shares the client-key budget.
    lookups_per_conversation: int = field(default_factory=lambda: int(_env("BACKEND_LOOKUPS_PER_CONVERSATION", "10")))
    lookups_per_client: int = field(default_factory=lambda: int(_env("BACKEND_LOOKUPS_PER_CLIENT", "300")))
    lookup_window_seconds: float = field(default_factory=lambda: float(_env("BACKEND_LOOKUP_WINDOW_SECONDS", "600")))
    # Failed attempts (wrong code or unknown reference), `limits` syntax. Why these values (README.md, "Threat
    # model"): one address can never spend a reference's budget alone (5 < 6), and 6 a day (10 at most with
    # concurrent volleys, capped by attempts_per_reference) keeps a 4-digit code for more than a year.
    failures_per_reference_and_client: str = field(
        default_factory=lambda: _env("BACKEND_FAILURES_PER_REFERENCE_AND_CLIENT", "3 per 10 minutes; 5 per day"))
    failures_per_reference: str = field(
        default_factory=lambda: _env("BACKEND_FAILURES_PER_REFERENCE", "6 per day"))
    failures_per_client: str = field(default_factory=lambda: _env("BACKEND_FAILURES_PER_CLIENT", "30 per day"))
    failures_per_conversation: str = field(
        default_factory=lambda: _env("BACKEND_FAILURES_PER_CONVERSATION", "6 per hour"))
    attempts_per_reference: str = field(
        default_factory=lambda: _env("BACKEND_ATTEMPTS_PER_REFERENCE", "5 per 10 seconds"))
    failures_overall: str = field(default_factory=lambda: _env("BACKEND_FAILURES_OVERALL", "2000 per day"))
    limits_storage_url: str = field(default_factory=lambda: _env("BACKEND_LIMITS_STORAGE", _default_limits_storage()))
    limits_prefix: str = field(
        default_factory=lambda: _env("BACKEND_LIMITS_PREFIX", _env("REDIS_KEY_PREFIX", "fao")) + "-backend")
    seed_demo: bool = field(default_factory=lambda: _env("BACKEND_SEED_DEMO", "1") not in ("0", "false", "no"))
    client_url: str = field(default_factory=lambda: _env("BACKEND_URL", ""))
    client_timeout_seconds: float = field(default_factory=lambda: float(_env("BACKEND_TIMEOUT_SECONDS", "2")))

    @property
    def base_url(self) -> str:
        """Where the client finds the service: BACKEND_URL, else this host and port."""
        return (self.client_url or f"http://{self.host}:{self.port}").rstrip("/")
