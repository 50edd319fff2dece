"""The web app alone (``python -m bot.web`` on a free port) and a host page whose socket.io is a fake.

The widget uses ``window.io`` when the page already has it, so a page that defines a scripted fake
lets a test send exactly the bot messages, disconnects and reconnects it needs, in real Chromium,
without Rasa. The fake records what the widget emitted (``fakeSocket.emitted``).
"""
from __future__ import annotations

import contextlib
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from bot.settings import REPO_ROOT, free_port

NPM = REPO_ROOT / "tests" / "web" / "thirdparty" / "node_modules"
AXE = NPM / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA (axe's tags), the conformance level the office's site must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

FAKE_SOCKET_IO = """
window.fakeOnline = %(online)s;
window.io = function () {
  var handlers = {};
  var sock = {
    emitted: [], connects: 0,
    on: function (event, fn) { (handlers[event] = handlers[event] || []).push(fn); return sock; },
    fire: function (event, data) { (handlers[event] || []).forEach(function (fn) { fn(data); }); },
    emit: function (event, data) {
      sock.emitted.push([event, data]);
      if (event === "session_request") {
        setTimeout(function () { sock.fire("session_confirm", (data && data.session_id) || "harness-session"); }, 5);
      }
    },
    disconnect: function () { sock.fire("disconnect", "io client disconnect"); },
    connect: function () {
      sock.connects += 1;
      setTimeout(function () { sock.fire(window.fakeOnline ? "connect" : "connect_error", new Error("down")); }, 5);
    },
  };
  window.fakeSocket = sock;
  setTimeout(function () { sock.fire(window.fakeOnline ? "connect" : "connect_error", new Error("down")); }, 5);
  return sock;
};
"""


def host_page(web_url: str, language: str = "zh", online: bool = True) -> str:
    """A district-office page with the widget's one tag, on another origin than the web app."""
    lang = "en" if language == "en" else "zh-CN"
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Office</title>
<script>{FAKE_SOCKET_IO % {"online": "true" if online else "false"}}</script></head>
<body><main><h1>Office</h1><p><a href="#x">Link before the widget</a></p></main>
<script src="{web_url}/widget/fao-widget.js" async data-socket-url="http://rasa.test"></script></body></html>"""


@contextlib.contextmanager
def web_app(state_dir: Path, allowed_origins: str = "") -> Iterator[str]:
    """``python -m bot.web`` with its own SQLite files; Rasa and the backend are not running.

    ``allowed_origins`` are the office's sites (FAO_CORS_ORIGINS) whose widget may post votes.
    """
    port = free_port()
    env = {**os.environ, "FAO_CORS_ORIGINS": allowed_origins, "WEB_PORT": str(port), "WEB_HOST": "127.0.0.1",
           "FAO_STATE_DIR": str(state_dir),
           "DATABASE_URL": f"sqlite:///{state_dir / 'web.db'}", "TRACKER_DB": str(state_dir / "tracker.db"),
           "RASA_URL": f"http://127.0.0.1:{free_port()}", "BACKEND_URL": f"http://127.0.0.1:{free_port()}",
           "PYTHONPATH": str(REPO_ROOT)}
    with open(state_dir / "web.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=REPO_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the web app did not start; see {state_dir / 'web.log'}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


class OfficeSite:
    """A second origin on loopback (its own port): the office's own site that embeds a widget.

    ``/harness?lang=zh&online=1`` is the host page with the fake socket.io; ``pages`` holds any other
    page by path (third-party widget pages); ``/npm/<file>`` serves tests/web/thirdparty/node_modules.
    """

    def __init__(self, web_url: str) -> None:
        self.web_url = web_url
        self.pages: Dict[str, str] = {}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path, _, query = self.path.partition("?")
                args = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
                if path == "/harness":
                    body = host_page(site.web_url, args.get("lang", "zh"), args.get("online", "1") == "1")
                    return self._send(200, "text/html; charset=utf-8", body.encode())
                if path in site.pages:
                    return self._send(200, "text/html; charset=utf-8", site.pages[path].encode())
                if path.startswith("/npm/"):
                    file = (NPM / path[len("/npm/"):]).resolve()
                    if file.is_file() and NPM in file.parents:
                        return self._send(200, "text/javascript; charset=utf-8", file.read_bytes())
                self._send(404, "text/plain", b"not found")

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "OfficeSite":
        self.thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def open_host_page(context: Any, site: OfficeSite, language: str = "zh", online: bool = True) -> Any:
    """A new page showing the office's page with our widget and a fake socket.io."""
    page = context.new_page()
    page.goto(f"{site.url}/harness?lang={language}&online={1 if online else 0}")
    page.locator(".launcher").wait_for()
    return page


def bot_says(page: Any, text: str, buttons: Optional[List[Dict[str, str]]] = None) -> None:
    """The fake Rasa sends one bot message."""
    page.evaluate("([text, buttons]) => fakeSocket.fire('bot_uttered', {text, buttons})", [text, buttons or []])


def emitted(page: Any, event: str = "user_uttered") -> List[Any]:
    return [data for name, data in page.evaluate("fakeSocket.emitted") if name == event]


def axe_violations(page: Any) -> List[Dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page (the widget's shadow root included)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def describe(violations: List[Dict[str, Any]]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)
