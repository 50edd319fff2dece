"""`python -m bot.backend`: runs the backend service with settings from the environment.

Our logs go to stderr beside Sanic's. Nothing secret is printed: never the token, and the database
URL with its password masked.
"""
from __future__ import annotations

import logging

from bot.backend.app import create_app
from bot.backend.settings import BackendSettings


def main() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"))
    ours = logging.getLogger("bot")
    ours.addHandler(handler)
    ours.setLevel(logging.INFO)
    ours.propagate = False  # Sanic configures its own loggers; ours must not print twice through the root
    settings = BackendSettings()
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, access_log=True, motd=False, workers=1)


if __name__ == "__main__":
    main()
