"""rasa-sdk's plugin package: `rasa_sdk.plugin` imports it by this name when the action server starts.

Its one hook hardens the action server's Sanic app (bot/action_server.py).
"""
from __future__ import annotations

import pluggy
from sanic import Sanic

from bot.action_server import harden

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class _ActionServerHardening:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        harden(app)


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(_ActionServerHardening())
