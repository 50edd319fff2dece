"""Real servers on loopback for end-to-end tests: the same launcher `make run` uses."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from bot.launcher import Stack
from bot.settings import REPO_ROOT, StackSettings, free_port, loopback_settings

MODEL = REPO_ROOT / "models" / "fao-assistant.tar.gz"


def stack_settings(state_dir: Path) -> StackSettings:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    return loopback_settings(state_dir, MODEL)


class RestClient:
    """Talks to the Rasa REST channel like a website or app would."""

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}/webhooks/rest/webhook"

    def send(self, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        body: Dict[str, Any] = {"sender": sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def text(self, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> str:
        """All reply texts of one turn joined by newlines."""
        return "\n".join(m.get("text", "") for m in self.send(sender, text, metadata))


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    running = Stack(stack_settings(tmp_path_factory.mktemp("stack")))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def rest(stack: Stack) -> RestClient:
    return RestClient(stack.settings.url(stack.settings.rasa_port))
