"""What the cluster needs, read from the environment (README, "Production profile").

Ports are free ones unless set; secrets (API token, service token, client-key secret) come from the
environment or are generated for this run; nothing secret is written in the repo.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from bot.settings import REPO_ROOT, free_port, with_own_site


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _port(name: str) -> int:
    return int(os.environ.get(name) or free_port())


@dataclass(frozen=True)
class PostgresServer:
    """One PostgreSQL server; databases are named per use."""

    host: str = field(default_factory=lambda: _env("TRACKER_PG_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("TRACKER_PG_PORT", "5432")))
    user: str = field(default_factory=lambda: _env("TRACKER_PG_USER", "postgres"))
    password: str = field(default_factory=lambda: os.environ.get("TRACKER_PG_PASSWORD", ""))

    def url(self, database: str) -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}"


@dataclass(frozen=True)
class ClusterSettings:
    """Ports, databases, Redis and secrets of one cluster; tests build one with unique names."""

    host: str = field(default_factory=lambda: _env("FAO_BIND_HOST", "127.0.0.1"))
    public_port: int = field(default_factory=lambda: _port("FAO_CLUSTER_PORT"))
    internal_port: int = field(default_factory=lambda: _port("FAO_CLUSTER_INTERNAL_PORT"))
    rasa_ports: List[int] = field(default_factory=lambda: [free_port(), free_port()])
    action_ports: List[int] = field(default_factory=lambda: [free_port(), free_port()])
    backend_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    state_dir: Path = field(default_factory=lambda: Path(_env("FAO_STATE_DIR", str(REPO_ROOT / "var" / "cluster"))))
    model_path: Path = field(
        default_factory=lambda: Path(_env("FAO_MODEL", str(REPO_ROOT / "models" / "fao-assistant.tar.gz")))
    )
    postgres: PostgresServer = field(default_factory=PostgresServer)
    tracker_db: str = field(default_factory=lambda: _env("TRACKER_PG_DB", "fao_tracker"))
    backend_db: str = field(default_factory=lambda: _env("FAO_BACKEND_DB", "fao_backend"))
    redis_host: str = field(default_factory=lambda: _env("REDIS_HOST", "127.0.0.1"))
    redis_port: int = field(default_factory=lambda: int(_env("REDIS_PORT", "6379")))
    redis_db: int = field(default_factory=lambda: int(_env("REDIS_DB", "1")))
    redis_password: str = field(default_factory=lambda: os.environ.get("REDIS_PASSWORD", ""))
    redis_key_prefix: str = field(default_factory=lambda: _env("REDIS_KEY_PREFIX", "fao"))
    rasa_token: str = field(default_factory=lambda: _env("RASA_API_TOKEN", secrets.token_hex(24)))
    service_token: str = field(default_factory=lambda: _env("BACKEND_SERVICE_TOKEN", secrets.token_hex(24)))
    action_token: str = field(default_factory=lambda: _env("ACTION_SERVER_TOKEN", secrets.token_hex(24)))
    client_key_secret: str = field(default_factory=lambda: _env("FAO_CLIENT_KEY_SECRET", secrets.token_hex(16)))
    backend_database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL", ""))
    configured_origins: List[str] = field(
        default_factory=lambda: os.environ.get("FAO_CORS_ORIGINS", "").replace(",", " ").split()
    )
    extra_env: Dict[str, str] = field(default_factory=dict)

    def url(self, port: int) -> str:
        return f"http://{self.host}:{port}"

    @property
    def public_url(self) -> str:
        return self.url(self.public_port)

    @property
    def internal_url(self) -> str:
        return self.url(self.internal_port)

    @property
    def cors_origins(self) -> List[str]:
        """The cluster's public origin (where the website and widget are served) plus FAO_CORS_ORIGINS."""
        own_site = [self.public_url, f"http://localhost:{self.public_port}"]
        return with_own_site(own_site, " ".join(self.configured_origins))

    @property
    def database_url(self) -> str:
        """DATABASE_URL, else database `backend_db` on the tracker store's PostgreSQL server."""
        return self.backend_database_url or self.postgres.url(self.backend_db)

    @property
    def tracker_url(self) -> str:
        return self.postgres.url(self.tracker_db)

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"
