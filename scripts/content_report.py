"""`make content-report`: the answers the office should review now.

Lists every knowledge entry whose time-limited policy ends within 60 days or has ended (after its end
date the assistant no longer states it as current), whose newest source is older than three years
(or undated), or that is not verified (the assistant adds "please confirm"). The office reads the list,
checks the entries against their sources and updates `knowledge/<topic>.yml`.

    python scripts/content_report.py [--today YYYY-MM-DD] [--knowledge DIR]
"""
from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge import KNOWLEDGE_FOLDER, Entry, load_knowledge_from  # noqa: E402

SOON_DAYS = 60
OLD_YEARS = 3

# Reasons in the order the report shows them, with their headings (zh / en side by side).
REASONS = {
    "ended": "政策已到期 / policy has ended",
    "ends_soon": f"政策{SOON_DAYS}天内到期 / policy ends within {SOON_DAYS} days",
    "old_sources": f"来源超过{OLD_YEARS}年或无日期 / sources older than {OLD_YEARS} years or undated",
    "unverified": "未核实 / not verified",
}


@dataclass(frozen=True)
class Finding:
    """One reason to review one entry."""

    entry_id: str
    file: str
    reason: str
    detail: str


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def newest_source(entry: Entry) -> Optional[datetime.date]:
    """The publication date of the entry's most recent dated source."""
    dates = [source.published for source in entry.sources if source.published]
    return max(dates) if dates else None


def review(entries: Iterable[Entry], today: datetime.date) -> List[Finding]:
    """Every finding for `entries` on `today`, in entry order, reasons in REASONS order per entry."""
    old_before = years_before(today, OLD_YEARS)
    findings: List[Finding] = []
    for entry in entries:
        if entry.ends is not None:
            days_left = (entry.ends - today).days
            if days_left < 0:
                findings.append(Finding(entry.id, entry.file, "ended", f"ended {entry.ends.isoformat()}"))
            elif days_left <= SOON_DAYS:
                detail = f"ends {entry.ends.isoformat()} (in {days_left} days)"
                findings.append(Finding(entry.id, entry.file, "ends_soon", detail))
        newest = newest_source(entry)
        if newest is None:
            findings.append(Finding(entry.id, entry.file, "old_sources", "no dated source"))
        elif newest < old_before:
            findings.append(Finding(entry.id, entry.file, "old_sources", f"newest source {newest.isoformat()}"))
        if not entry.verified:
            findings.append(Finding(entry.id, entry.file, "unverified", f"checked {entry.checked.isoformat()}"))
    return findings


def format_report(findings: Sequence[Finding], today: datetime.date, total: int) -> str:
    """The report as plain text, one section per reason."""
    lines = [f"Content review {today.isoformat()}: {total} entries, {len({f.entry_id for f in findings})} to review"]
    for reason, heading in REASONS.items():
        rows = [f for f in findings if f.reason == reason]
        lines.append("")
        lines.append(f"{heading}: {len(rows)}")
        width = max((len(f.entry_id) for f in rows), default=0)
        lines.extend(f"  {f.entry_id.ljust(width)}  {f.detail}  [{f.file}]" for f in rows)
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today())
    parser.add_argument("--knowledge", type=Path, default=KNOWLEDGE_FOLDER)
    args = parser.parse_args(argv)
    entries = load_knowledge_from(args.knowledge).entries
    print(format_report(review(entries, args.today), args.today, len(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
