"""The backend service: a Sanic app built by `create_app(settings)`, so tests build one on a temp database.

The database engine is opened in `before_server_start` (never at import), the schema migrated and the
demo records seeded there; routes come from one blueprint per resource.
"""
from __future__ import annotations

import logging
from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse

from bot.backend import db, seed
from bot.backend.api import applications, health, operator
from bot.backend.api.body import answer
from bot.backend.api.errors import ApiError
from bot.backend.budgets import Budget, Budgets
from bot.backend.lookups import LookupPolicy
from bot.backend.settings import BackendSettings

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
_SANIC_ERRORS = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def _to_api_error(exception: Exception) -> ApiError:
    if isinstance(exception, ApiError):
        return exception
    status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
    if status in _SANIC_ERRORS:
        return ApiError(_SANIC_ERRORS[status])
    if 400 <= status < 500:
        return ApiError("bad_request")
    log.error("unhandled %s", type(exception).__name__, exc_info=exception)
    return ApiError("internal_error")


async def _error_response(request: Request, exception: Exception) -> HTTPResponse:
    error = _to_api_error(exception)
    return answer(error.body(), status=error.status, headers=error.headers)


async def _open(app: Sanic, _loop: Any) -> None:
    settings: BackendSettings = app.ctx.settings
    app.ctx.engine = db.connect(settings.database_url)
    app.ctx.budgets = Budgets.from_url(settings.limits_storage_url)
    version = db.migrate(app.ctx.engine)
    added = seed.seed_demo(app.ctx.engine) if settings.seed_demo else 0
    log.info("database %s at schema version %d; %d demo records added; limits kept in %s",
             db.safe_url(app.ctx.engine), version, added, settings.limits_storage_url.split(":", 1)[0])
    if not settings.service_token:
        log.warning("BACKEND_SERVICE_TOKEN is not set: every API call except health will get 401")


async def _close(app: Sanic, _loop: Any) -> None:
    app.ctx.engine.dispose()


def create_app(settings: BackendSettings, name: str = "fao-backend") -> Sanic:
    """A backend app for `settings`; `name` must be unique in the process (Sanic keeps a registry)."""
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.lookup_policy = LookupPolicy.from_settings(settings)
    window = f"{settings.rate_window_seconds:g} seconds"
    app.ctx.request_budget = Budget.parse("requests", f"{settings.rate_limit} per {window}", settings.limits_prefix)
    app.ctx.unauthenticated_budget = Budget.parse(
        "requests-unauthenticated", f"{settings.unauthenticated_rate_limit} per {window}", settings.limits_prefix)
    for blueprint in (health.bp, applications.bp, operator.bp):
        app.blueprint(blueprint)
    app.error_handler.add(Exception, _error_response)
    app.register_listener(_open, "before_server_start")
    app.register_listener(_close, "after_server_stop")
    return app
