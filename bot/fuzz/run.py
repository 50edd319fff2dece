"""One fuzz run against a started Stack: hostile chat turns, then malformed requests, then health.

Memory is read before the chat turns, half-way and at the end, so growth in the second half
(after warm-up) can be told from the first.
"""
from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import aiohttp

from bot.channels.safety import UNAVAILABLE
from bot.fuzz import chat, malformed, messages
from bot.fuzz.memory import group_rss_bytes
from bot.fuzz.tally import DROPPED, Tally
from bot.launcher import Stack

MIB = 1024 * 1024
APOLOGIES = set(UNAVAILABLE.values())
OPERATOR = "fuzz-operator"


@dataclass
class MemoryRow:
    service: str
    start: int
    middle: int
    end: int
    after_requests: int

    @property
    def second_half_growth(self) -> int:
        return self.end - self.middle


@dataclass
class FuzzReport:
    tally: Tally
    memory: List[MemoryRow]
    dead: List[str] = field(default_factory=list)
    messages: int = 0
    probes: int = 0
    log_tracebacks: Dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"fuzz: {self.messages} chat messages (REST and socket.io), {self.probes} malformed requests",
                 self.tally.table(), "", "memory (RSS of each service's process group, MiB):",
                 f"{'service':16}{'start':>9}{'middle':>9}{'end':>9}{'1st half':>10}{'2nd half':>10}"
                 f"{'after malformed':>17}"]
        for row in self.memory:
            lines.append(f"{row.service:16}{row.start / MIB:9.1f}{row.middle / MIB:9.1f}{row.end / MIB:9.1f}"
                         f"{(row.middle - row.start) / MIB:+10.1f}{row.second_half_growth / MIB:+10.1f}"
                         f"{row.after_requests / MIB:17.1f}")
        lines.append("crashed or unhealthy: " + (", ".join(self.dead) or "none"))
        lines.append("tracebacks in the service logs: "
                     + ", ".join(f"{name} {count}" for name, count in self.log_tracebacks.items()))
        if self.tally.failures:
            lines.append(f"failures ({len(self.tally.failures)}, first 30):")
            lines += [f"  {failure}" for failure in self.tally.failures[:30]]
        return "\n".join(lines)


def _rss(stack: Stack) -> Dict[str, int]:
    return {s.name: group_rss_bytes(s.process.pid) for s in stack.services if s.process and s.process.poll() is None}


def dead_services(stack: Stack) -> List[str]:
    """Services whose process has exited or whose health URL does not answer 200."""
    dead = []
    for service in stack.services:
        try:
            with urllib.request.urlopen(service.health_url, timeout=10) as response:
                healthy = response.status == 200
        except (urllib.error.URLError, OSError):
            healthy = False
        if service.process is None or service.process.poll() is not None or not healthy:
            dead.append(service.name)
    return dead


def log_tracebacks(stack: Stack) -> Dict[str, int]:
    """How many stack traces each service wrote to its log (errors it caught and logged)."""
    counts = {}
    for service in stack.services:
        log = stack.settings.log_dir / f"{service.name.replace(' ', '_')}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        counts[service.name] = text.count("Traceback (most recent call last)")
    return counts


def targets(stack: Stack, operator_cookie: Optional[str] = None) -> malformed.Targets:
    s = stack.settings
    return malformed.Targets(s.url(s.rasa_port), s.url(s.action_port), s.url(s.backend_port), s.url(s.web_port),
                             stack.rasa_token, stack.env["BACKEND_SERVICE_TOKEN"], stack.env["ACTION_SERVER_TOKEN"],
                             operator_cookie)


async def sign_in_operator(stack: Stack) -> Optional[str]:
    """Adds an operator with the real command line tool and signs in; the session cookie, or None."""
    password = secrets.token_urlsafe(18)
    subprocess.run([sys.executable, "-m", "bot.web.operators", "add", OPERATOR], input=password + "\n",
                   text=True, env=stack.env, capture_output=True, check=False)
    s = stack.settings
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{s.url(s.web_port)}/operator/login", data={"name": OPERATOR, "password": password},
                             allow_redirects=False) as response:
            cookie = response.cookies.get("fao_operator")
    return f"fao_operator={cookie.value}" if cookie is not None else None


async def _conversation(conversation: messages.Conversation, session: Optional[chat.SocketSession],
                        t: malformed.Targets, http: aiohttp.ClientSession, tally: Tally) -> None:
    where = "rasa / socket.io channel" if session is not None else "rasa / REST channel"
    if session is not None:
        try:
            await session.start_session(conversation.sender)
        except Exception as error:  # a refused or lost connection is a finding, counted for each turn
            for turn in conversation.turns:
                tally.record(where, 0, ok=False, raw=repr(error), label=f"{turn.kind} (session)")
            return
    for turn in conversation.turns:
        if session is not None:
            outcome = await session.send(turn.text)
        else:
            outcome = await chat.send_rest(http, f"{t.rasa}/webhooks/rest/webhook", conversation.sender, turn.text)
        replied = bool(outcome.replies)
        ok = (outcome.status == 200 and replied) if turn.expect_reply else 400 <= outcome.status < 500
        # The channels' apology for a turn that failed inside (bot/channels/safety.py) is a finding too.
        ok = ok and not any(reply.get("text") in APOLOGIES for reply in outcome.replies)
        label = f"{turn.kind} {turn.text[:40]!r}"
        tally.record(where, outcome.status, ok=ok, raw=outcome.raw or outcome.error, label=label, replied=replied)


async def _chat(batch: Sequence[messages.Conversation], first_index: int, t: malformed.Targets,
                tally: Tally, concurrency: int) -> None:
    """Odd-numbered conversations go over socket.io (one connection per worker), the others over REST."""
    queue: asyncio.Queue = asyncio.Queue()
    for offset, conversation in enumerate(batch):
        queue.put_nowait((first_index + offset, conversation))

    async def worker(http: aiohttp.ClientSession) -> None:
        session = chat.SocketSession(t.rasa)
        try:
            await session.open()
        except Exception as error:
            tally.failures.append(f"rasa / socket.io channel: cannot connect: {error!r}")
            session = None
        try:
            while not queue.empty():
                index, conversation = queue.get_nowait()
                on_socket = index % 2 == 1
                if on_socket and session is None:
                    for turn in conversation.turns:
                        tally.record("rasa / socket.io channel", 0, ok=False, raw="", label=turn.kind)
                    continue
                await _conversation(conversation, session if on_socket else None, t, http, tally)
        finally:
            if session is not None:
                await session.close()

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))


async def _probes(probes: Sequence[malformed.Probe], tally: Tally, concurrency: int) -> None:
    queue: asyncio.Queue = asyncio.Queue()
    for probe in probes:
        queue.put_nowait(probe)

    async def worker(http: aiohttp.ClientSession) -> None:
        while not queue.empty():
            probe = queue.get_nowait()
            try:
                # A server may refuse a huge body before reading it: ask first (Expect: 100-continue).
                async with http.request(probe.method, probe.url, data=probe.body, headers=probe.headers,
                                        expect100=len(probe.body) > 65536, allow_redirects=False,
                                        timeout=aiohttp.ClientTimeout(total=60)) as response:
                    status, raw = response.status, await response.text(errors="replace")
            except aiohttp.ClientConnectorError as error:  # nobody listens: always a transport error
                status, raw = 0, type(error).__name__
            except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, OSError) as error:
                # A server may close the connection on an over-limit body before answering it.
                status, raw = (DROPPED if probe.oversized else 0), type(error).__name__
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                status, raw = 0, type(error).__name__
            tally.record(probe.service, status, ok=status in probe.expected or status == DROPPED, raw=raw,
                         label=f"{probe.label} ({probe.method})")

    async with aiohttp.ClientSession(skip_auto_headers=["Content-Type"]) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))


async def _socket_packets(t: malformed.Targets, tally: Tally) -> None:
    """Each bad packet on its own socket.io session (long-polling, as the fuzz's chat client speaks it).

    The server must answer the transport request (200) or refuse it (4xx); the packet may close the
    session. No traceback may reach the log (checked with the other services' logs).
    """
    base = f"{t.rasa}/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        for label, packet in malformed.BAD_PACKETS.items():
            try:
                async with http.get(base) as response:
                    handshake = await response.text()
                sid = json.loads(handshake[handshake.index("{"):])["sid"]
                async with http.post(f"{base}&sid={sid}", data="40") as response:
                    await response.read()
                async with http.post(f"{base}&sid={sid}", data=packet) as response:
                    status, raw = response.status, await response.text(errors="replace")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError) as error:
                status, raw = 0, type(error).__name__
            tally.record("rasa / socket.io packets", status, ok=status == 200 or 400 <= status < 500, raw=raw,
                         label=label)


async def fuzz(stack: Stack, message_count: int, seed: int = 6, concurrency: int = 4) -> FuzzReport:
    """Runs the whole fuzz against a started stack and reports; it never stops the stack."""
    tally = Tally()
    conversations = messages.conversations(message_count, seed)
    half = len(conversations) // 2
    t = targets(stack)
    start = _rss(stack)
    await _chat(conversations[:half], 0, t, tally, concurrency)
    middle = _rss(stack)
    await _chat(conversations[half:], half, t, tally, concurrency)
    end = _rss(stack)
    probes = malformed.probes(targets(stack, await sign_in_operator(stack)))
    await _probes(probes, tally, concurrency)
    await _socket_packets(t, tally)
    final = _rss(stack)
    memory = [MemoryRow(name, start[name], middle.get(name, 0), end.get(name, 0), final.get(name, 0))
              for name in start]
    return FuzzReport(tally, memory, dead_services(stack), message_count, len(probes), log_tracebacks(stack))


def memory_problems(report: FuzzReport, slack_bytes: int = 64 * MIB, slack_fraction: float = 0.10) -> List[str]:
    """Services whose RSS grew in the second half by more than max(slack, fraction of the middle RSS)."""
    return [f"{row.service} grew {row.second_half_growth / MIB:.1f} MiB in the second half"
            for row in report.memory
            if row.second_half_growth > max(slack_bytes, slack_fraction * row.middle)]
