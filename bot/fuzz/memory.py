"""Resident memory of a service: the sum over its process group, read from /proc (Linux only)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

PROC = Path("/proc")


def _group_members(group_id: int) -> Iterator[Path]:
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command name, which sits in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == group_id:
            yield entry


def group_rss_bytes(group_id: int) -> int:
    """RSS of every process in the group (the launcher starts each service as a group leader)."""
    total = 0
    for entry in _group_members(group_id):
        try:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total
