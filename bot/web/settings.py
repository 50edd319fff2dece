"""Settings of the web app, read from the environment the launcher passes (see bot/launcher.py).

Defaults are the embedded profile of `make run`, so `python -m bot.web` and
`python -m bot.web.operators` agree on the database without any variable set.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

from bot.settings import REPO_ROOT, StackSettings

DEFAULT_SESSION_HOURS = 8
DEFAULT_PARSE_TIMEOUT_SECONDS = 0.9
DEFAULT_BACKEND_TIMEOUT_SECONDS = 2.0
# Sign-in throttling: failed attempts within the window, per operator account and per client address.
DEFAULT_LOGIN_FAILURES_PER_ACCOUNT = 5
DEFAULT_LOGIN_FAILURES_PER_ADDRESS = 20
DEFAULT_LOGIN_WINDOW_SECONDS = 900
# Feedback votes per client address within the window.
DEFAULT_VOTES_PER_ADDRESS = 30
DEFAULT_VOTE_WINDOW_SECONDS = 600


def _default_state_dir() -> Path:
    return StackSettings().state_dir


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class WebSettings:
    """Everything the web app needs to know; tests build one directly with a temp database."""

    database_url: str
    tracker_db_url: str
    host: str = "127.0.0.1"
    port: int = 8080
    rasa_url: str = "http://127.0.0.1:5005"
    # The Rasa URL as the visitor's browser reaches it (differs from rasa_url behind a proxy).
    rasa_public_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    backend_url: str = "http://127.0.0.1:5080"
    backend_token: str = ""
    session_hours: int = DEFAULT_SESSION_HOURS
    cookie_secure: bool = False
    parse_timeout: float = DEFAULT_PARSE_TIMEOUT_SECONDS
    backend_timeout: float = DEFAULT_BACKEND_TIMEOUT_SECONDS
    domain_file: Path = REPO_ROOT / "domain.yml"
    login_failures_per_account: int = DEFAULT_LOGIN_FAILURES_PER_ACCOUNT
    login_failures_per_address: int = DEFAULT_LOGIN_FAILURES_PER_ADDRESS
    login_window_seconds: int = DEFAULT_LOGIN_WINDOW_SECONDS
    votes_per_address: int = DEFAULT_VOTES_PER_ADDRESS
    vote_window_seconds: int = DEFAULT_VOTE_WINDOW_SECONDS
    # Origins allowed to post to the console (besides its own) and to send votes: FAO_CORS_ORIGINS.
    allowed_origins: Tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "WebSettings":
        """Read the launcher's variables; ``TRACKER_DB_URL`` overrides the SQLite tracker file."""
        env = os.environ if env is None else env

        def get(name: str, default: str) -> str:
            return env.get(name) or default

        state_dir = Path(get("FAO_STATE_DIR", str(_default_state_dir())))
        tracker_file = Path(get("TRACKER_DB", str(state_dir / "tracker.db")))
        rasa_url = get("RASA_URL", "http://127.0.0.1:5005").rstrip("/")
        return cls(
            database_url=get("DATABASE_URL", _sqlite_url(state_dir / "backend.db")),
            tracker_db_url=get("TRACKER_DB_URL", _sqlite_url(tracker_file)),
            host=get("WEB_HOST", "127.0.0.1"),
            port=int(get("WEB_PORT", "8080")),
            rasa_url=rasa_url,
            rasa_public_url=get("RASA_PUBLIC_URL", rasa_url).rstrip("/"),
            rasa_token=get("RASA_API_TOKEN", ""),
            backend_url=get("BACKEND_URL", "http://127.0.0.1:5080").rstrip("/"),
            backend_token=get("BACKEND_SERVICE_TOKEN", ""),
            session_hours=int(get("WEB_SESSION_HOURS", str(DEFAULT_SESSION_HOURS))),
            cookie_secure=get("WEB_COOKIE_SECURE", "false").lower() in ("1", "true", "yes"),
            login_failures_per_account=int(get("WEB_LOGIN_FAILURES_PER_ACCOUNT",
                                               str(DEFAULT_LOGIN_FAILURES_PER_ACCOUNT))),
            login_failures_per_address=int(get("WEB_LOGIN_FAILURES_PER_ADDRESS",
                                               str(DEFAULT_LOGIN_FAILURES_PER_ADDRESS))),
            login_window_seconds=int(get("WEB_LOGIN_WINDOW_SECONDS", str(DEFAULT_LOGIN_WINDOW_SECONDS))),
            votes_per_address=int(get("WEB_VOTES_PER_ADDRESS", str(DEFAULT_VOTES_PER_ADDRESS))),
            vote_window_seconds=int(get("WEB_VOTE_WINDOW_SECONDS", str(DEFAULT_VOTE_WINDOW_SECONDS))),
            allowed_origins=tuple(o.rstrip("/") for o in get("FAO_CORS_ORIGINS", "").replace(",", " ").split()),
        )
