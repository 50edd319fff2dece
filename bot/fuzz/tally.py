"""Counts of what each service and channel answered, the failures found, and the printed summary."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List

# A Python stack trace or exception text leaking into an answer.
_TRACE = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|"
    r"\b(?:Attribute|Key|Type|Value|Index|Name|Runtime|Assertion|Lookup|UnicodeDecode|JSONDecode|ZeroDivision|"
    r"Operational|Programming|Integrity|Database)Error\b|"
    r"object has no attribute|object is not subscriptable|indices must be integers|"
    r"sqlalchemy\.|psycopg2\.|asyncio\.exceptions"
)
_SYSTEM_FILE = re.compile(r"root:x:0:0:")
# The status recorded when a server closed the connection while an over-limit body was being sent: a
# legitimate refusal (the server need not read 3 MB to say no), told apart from a transport error.
DROPPED = -1


def leaks(text: str) -> str:
    """What in `text` looks like a stack trace or a leaked system file, or ''."""
    match = _TRACE.search(text) or _SYSTEM_FILE.search(text)
    return match.group(0) if match else ""


@dataclass
class Counts:
    sent: int = 0
    answered: int = 0   # 2xx (chat: 200 with at least one reply)
    redirected: int = 0
    refused: int = 0    # 4xx (socket.io: an error acknowledgement)
    server_errors: int = 0
    silent: int = 0     # chat: 200 with no reply at all
    transport_errors: int = 0
    dropped: int = 0    # connection closed on an over-limit body (a refusal without a status)
    unexpected: int = 0  # not the expected outcome (also: the "service problem" apology as a reply)
    traces: int = 0


@dataclass
class Tally:
    counts: Dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    failures: List[str] = field(default_factory=list)

    def record(self, where: str, status: int, *, ok: bool, raw: str, label: str, replied: bool = True) -> None:
        counts = self.counts[where]
        counts.sent += 1
        if status == DROPPED:
            counts.dropped += 1
        elif status == 0:
            counts.transport_errors += 1
        elif status >= 500:
            counts.server_errors += 1
        elif status >= 400:
            counts.refused += 1
        elif status >= 300:
            counts.redirected += 1
        elif replied:
            counts.answered += 1
        else:
            counts.silent += 1
        leaked = leaks(raw)
        if leaked:
            counts.traces += 1
            self.failures.append(f"{where}: {label}: answer contains {leaked!r}")
        if not ok:
            counts.unexpected += 1
            self.failures.append(f"{where}: {label}: HTTP {status} {raw[:160]!r}")

    def total(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.counts.values())

    def table(self) -> str:
        columns = ["sent", "answered", "redirected", "refused", "dropped", "server_errors", "silent",
                   "transport_errors", "unexpected", "traces"]
        headers = ["sent", "2xx", "3xx", "4xx", "dropped", "5xx", "silent", "no-conn", "unexpected", "traces"]
        lines = [f"{'service / channel':34}" + "".join(f"{h:>9}" for h in headers)]
        for where in sorted(self.counts):
            counts = self.counts[where]
            lines.append(f"{where:34}" + "".join(f"{getattr(counts, c):>9}" for c in columns))
        lines.append(f"{'TOTAL':34}" + "".join(f"{self.total(c):>9}" for c in columns))
        return "\n".join(lines)
