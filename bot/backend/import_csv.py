"""`python -m bot.backend.import_csv FILE.csv`: loads applications from a spreadsheet export.

Every row is checked before anything is written; any bad row means nothing is written (exit 1) and
each problem is reported as `row N, field: reason`, rows counted as in a spreadsheet (header = row 1).
Valid files are written in one transaction: new references are added, existing ones overwritten (a
changed status is appended to the history). Verification codes are hashed and never echoed.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional, Sequence, Union

from bot.backend import db
from bot.backend.reference import EXAMPLES, kind_of, normalize_reference
from bot.backend.settings import BackendSettings
from bot.backend.statuses import STATUSES
from bot.backend.verification import normalize_code

REQUIRED = ("reference", "company_zh", "company_en", "status", "detail_zh", "detail_en", "verification_code")
OPTIONAL = ("kind", "applicant_name_zh", "applicant_name_en", "invitees", "updated_at")
BEIJING = timezone(timedelta(hours=8))
MAX_NAME, MAX_DETAIL = 200, 2000


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"


def _parse_time(value: str) -> datetime:
    """ISO date or date-time; without a zone it is Beijing time, as the office writes it."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def parse_row(number: int, row: dict[str, str]) -> Union[db.ApplicationRecord, list[RowError]]:
    """One CSV row as a record, or every problem found in it."""
    cell = {name: (row.get(name) or "").strip() for name in REQUIRED + OPTIONAL}
    errors: list[RowError] = []

    def bad(field: str, reason: str) -> None:
        errors.append(RowError(number, field, reason))

    reference = normalize_reference(cell["reference"])
    kind = kind_of(reference) if reference else cell["kind"]
    if reference is None:
        bad("reference", f"not a reference number like {' or '.join(EXAMPLES)}")
    elif cell["kind"] and cell["kind"] != kind:
        bad("kind", f"must be {kind} for a {reference.split('-')[0]} reference")
    for name in ("company_zh", "company_en", "detail_zh", "detail_en"):
        if not cell[name]:
            bad(name, "required")
        elif len(cell[name]) > (MAX_DETAIL if name.startswith("detail") else MAX_NAME):
            bad(name, "too long")
    for name in ("applicant_name_zh", "applicant_name_en"):
        if kind == "apec_card" and not cell[name]:
            bad(name, "required for an APEC card")
        elif len(cell[name]) > MAX_NAME:
            bad(name, "too long")
    invitees: Optional[int] = None
    if kind == "invitation":
        invitees = int(cell["invitees"]) if cell["invitees"].isdigit() else None
        if not invitees:
            bad("invitees", "required for an invitation: a whole number of at least 1")
    elif cell["invitees"]:
        bad("invitees", "only for invitations")
    if cell["status"] not in STATUSES:
        bad("status", f"unknown status {cell['status']!r}; known: {', '.join(STATUSES)}")
    code = normalize_code(cell["verification_code"])
    if code is None:
        bad("verification_code", "must be 4 letters or digits")
    updated_at: Optional[datetime] = None
    if cell["updated_at"]:
        try:
            updated_at = _parse_time(cell["updated_at"])
        except ValueError:
            bad("updated_at", "not an ISO date or date-time like 2025-03-12 or 2025-03-12T09:30")
    if errors or reference is None or code is None:
        return errors
    return db.ApplicationRecord(
        reference, kind, cell["company_zh"], cell["company_en"], cell["status"], cell["detail_zh"],
        cell["detail_en"], code, cell["applicant_name_zh"] or None, cell["applicant_name_en"] or None,
        invitees, updated_at,
    )


def read_file(path: Path) -> tuple[list[db.ApplicationRecord], list[RowError]]:
    """All records of the file and all problems (header problems are reported as row 1)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        problems = [RowError(1, name, "missing column") for name in REQUIRED if name not in header]
        problems += [RowError(1, name, "unknown column") for name in header if name not in REQUIRED + OPTIONAL]
        if problems:
            return [], problems
        records: list[db.ApplicationRecord] = []
        first_row: dict[str, int] = {}
        for number, row in enumerate(reader, start=2):
            if None in row:
                problems.append(RowError(number, "(row)", "more cells than columns"))
                continue
            parsed = parse_row(number, row)
            if isinstance(parsed, list):
                problems += parsed
            elif parsed.reference in first_row:
                problems.append(RowError(number, "reference", f"duplicate of row {first_row[parsed.reference]}"))
            else:
                first_row[parsed.reference] = number
                records.append(parsed)
    if not records and not problems:
        problems.append(RowError(2, "(file)", "no applications in the file"))
    return records, problems


def write(database_url: str, records: Sequence[db.ApplicationRecord]) -> tuple[int, int]:
    """Adds or overwrites the records in one transaction; returns (added, updated)."""
    engine = db.connect(database_url)
    try:
        db.migrate(engine)
        now = db.utcnow()
        added = updated = 0
        with engine.begin() as conn:
            for record in records:
                current = db.find_application(conn, record.reference, for_update=True)
                if current is None:
                    db.insert_application(conn, record, now=now)
                    added += 1
                else:
                    db.update_application(conn, current, record, now=now)
                    updated += 1
        return added, updated
    finally:
        engine.dispose()


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.backend.import_csv", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="UTF-8 CSV with a header row")
    parser.add_argument("--database-url", help="defaults to DATABASE_URL, as the backend service uses")
    args = parser.parse_args(argv)
    try:
        records, problems = read_file(args.file)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        print(f"cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s); nothing was imported", file=sys.stderr)
        return 1
    added, updated = write(args.database_url or BackendSettings().database_url, records)
    print(f"imported {len(records)} applications: {added} new, {updated} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
