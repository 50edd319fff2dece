"""The production profile on one machine: 2 Rasa servers and 2 action servers behind nginx, the backend
and the web app, on PostgreSQL (tracker store, backend database) and Redis (lock store).

Built from the launcher's reusable pieces (ServiceGroup, the Rasa and action server commands), so
`make run`, `make cluster` and the tests start services the same way.
"""
from __future__ import annotations

import sys
from typing import Dict, List

from bot.cluster.databases import ensure_database
from bot.cluster.nginx import HEALTH_PATH, nginx_command
from bot.cluster.settings import ClusterSettings
from bot.launcher import (
    Service,
    ServiceGroup,
    action_server,
    rasa_health_url,
    rasa_server_command,
    warm_up,
)
from bot.settings import REPO_ROOT

PRODUCTION_ENDPOINTS = REPO_ROOT / "endpoints.production.yml"


def cluster_environment(s: ClusterSettings, base: Dict[str, str]) -> Dict[str, str]:
    """The variables every service of the cluster gets (README, "Production profile")."""
    pg = s.postgres
    env = dict(base)
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        FAO_STATE_DIR=str(s.state_dir),
        ACTION_ENDPOINT_URL=f"{s.internal_url}/actions/webhook",
        TRACKER_PG_HOST=pg.host,
        TRACKER_PG_PORT=str(pg.port),
        TRACKER_PG_USER=pg.user,
        TRACKER_PG_PASSWORD=pg.password,
        TRACKER_PG_DB=s.tracker_db,
        TRACKER_DB_URL=s.tracker_url,
        REDIS_HOST=s.redis_host,
        REDIS_PORT=str(s.redis_port),
        REDIS_DB=str(s.redis_db),
        REDIS_PASSWORD=s.redis_password,
        REDIS_KEY_PREFIX=s.redis_key_prefix,
        DATABASE_URL=s.database_url,
        BACKEND_HOST=s.host,
        BACKEND_PORT=str(s.backend_port),
        BACKEND_URL=s.url(s.backend_port),
        BACKEND_SERVICE_TOKEN=s.service_token,
        ACTION_SERVER_TOKEN=s.action_token,
        WEB_HOST=s.host,
        WEB_PORT=str(s.web_port),
        RASA_URL=s.internal_url,
        RASA_PUBLIC_URL=s.public_url,
        RASA_API_TOKEN=s.rasa_token,
        FAO_CORS_ORIGINS=" ".join(s.cors_origins),
        FAO_CLIENT_KEY_SECRET=s.client_key_secret,
        TF_CPP_MIN_LOG_LEVEL="2",
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore::DeprecationWarning",
    )
    env.update(s.extra_env)
    return env


class Cluster(ServiceGroup):
    """Every service of the production profile on loopback; `rasa server 1/2`, `action server 1/2`, ..."""

    def __init__(self, settings: ClusterSettings, base_env: Dict[str, str]) -> None:
        self.settings = settings
        super().__init__(self._services(), cluster_environment(settings, base_env), settings.log_dir)

    def _services(self) -> List[Service]:
        s = self.settings
        services = [action_server(f"action server {i}", s.host, port) for i, port in enumerate(s.action_ports, 1)]
        services += [
            Service("backend", [sys.executable, "-m", "bot.backend"], f"{s.url(s.backend_port)}/api/v1/health"),
            # Behind nginx: sign-in throttling and vote limits count the client's address, not nginx's.
            Service("web", [sys.executable, "-m", "bot.web"], f"{s.url(s.web_port)}/health",
                    env={"SANIC_PROXIES_COUNT": "1"}),
            Service("nginx", nginx_command(s), f"{s.public_url}{HEALTH_PATH}"),
        ]
        services += [
            Service(
                f"rasa server {i}",
                rasa_server_command(s.model_path, s.host, port, PRODUCTION_ENDPOINTS, s.cors_origins),
                rasa_health_url(s.url(port), s.rasa_token),
                # nginx is the one proxy in front: take the client address from its X-Forwarded-For.
                env={"SANIC_PROXIES_COUNT": "1"},
            )
            for i, port in enumerate(s.rasa_ports, 1)
        ]
        return services

    def start(self) -> None:
        ensure_database(self.settings.postgres, self.settings.tracker_db)
        if not self.settings.database_url.startswith("sqlite"):
            ensure_database(self.settings.postgres, self.settings.backend_db)
        super().start()

    def after_ready(self) -> None:
        for port in self.settings.rasa_ports:
            warm_up(self.settings.url(port), self.settings.rasa_token)

    def rasa_url(self, number: int) -> str:
        """Direct URL of Rasa server `number` (1 or 2), bypassing nginx."""
        return self.settings.url(self.settings.rasa_ports[number - 1])

    def urls(self) -> Dict[str, str]:
        s = self.settings
        urls = {
            "website + widget": f"{s.public_url}/",
            "REST channel": f"{s.public_url}/webhooks/rest/webhook",
            "socket.io channel": f"{s.public_url}/socket.io",
            "operator console": f"{s.public_url}/operator",
            "Rasa API (token)": s.internal_url,
        }
        urls.update({f"rasa server {i}": s.url(p) for i, p in enumerate(s.rasa_ports, 1)})
        urls.update({f"action server {i}": s.url(p) for i, p in enumerate(s.action_ports, 1)})
        urls["backend API"] = f"{s.url(s.backend_port)}/api/v1/"
        return urls
