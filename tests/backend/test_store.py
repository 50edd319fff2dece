"""Schema, seeding and the lockout rule against a real SQLite file, with the clock under the test's control."""
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from bot.backend import db, lookups, seed

POLICY = lookups.LockPolicy(max_failures=5, lock_for=timedelta(minutes=15))
REF = "ABTC-2025-000318"
Codes = dict[str, str]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = db.connect(f"sqlite:///{tmp_path / 'nested' / 'backend.db'}")
    db.migrate(engine)
    seed.seed_demo(engine)
    yield engine
    engine.dispose()


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_migrations_run_once_and_are_recorded(engine: Engine) -> None:
    assert db.migrate(engine) == len(db.MIGRATIONS)
    with engine.connect() as conn:
        versions = conn.execute(select(db.schema_version.c.version)).scalars().all()
    assert versions == list(range(1, len(db.MIGRATIONS) + 1))


def test_database_from_newer_code_is_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(db.schema_version).values(version=99, applied_at=db.utcnow()))
    with pytest.raises(RuntimeError, match="newer"):
        db.migrate(engine)


def test_seed_writes_every_demo_record_with_its_history(engine: Engine, demo_codes: Codes) -> None:
    assert count(engine, db.applications) == len(demo_codes)
    with engine.connect() as conn:
        row = db.find_application(conn, "ABTC-2024-000107")
        steps = [step["status"] for step in db.history(conn, row["id"])]
    assert set(demo_codes) == {record.reference for record, _ in seed.DEMO}
    assert steps == ["submitted", "under_review", "approved"]
    assert row["updated_at"] == seed.DEMO[0][1][-1][1]


def test_seeding_again_neither_duplicates_nor_overwrites_nor_resurrects(engine: Engine, demo_codes: Codes) -> None:
    with engine.begin() as conn:
        conn.execute(update(db.applications).where(db.applications.c.reference == REF)
                     .values(status="approved", detail_en="changed by the office"))
        conn.execute(delete(db.applications).where(db.applications.c.reference == "INV-2025-000077"))
    assert seed.seed_demo(engine) == 0
    with engine.connect() as conn:
        row = db.find_application(conn, REF)
        assert db.find_application(conn, "INV-2025-000077") is None
    assert (row["status"], row["detail_en"]) == ("approved", "changed by the office")
    assert count(engine, db.applications) == len(demo_codes) - 1


def test_codes_are_not_stored_in_plain(engine: Engine, demo_codes: Codes) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(db.applications)).mappings().all()
    for row in rows:
        code = demo_codes[row["reference"]]
        plain = {k: v for k, v in row.items() if k not in ("verification_salt", "verification_hash")}
        assert code not in " ".join(str(v) for v in plain.values())
        assert row["verification_hash"] != code and row["verification_hash"].startswith("scrypt$")


def test_fifth_wrong_code_locks_for_fifteen_minutes_then_lock_expires(engine: Engine, demo_codes: Codes) -> None:
    now = db.utcnow()
    outcomes = [lookups.verified_lookup(engine, POLICY, REF, "0000", "c1", now) for _ in range(5)]
    assert outcomes[:4] == [lookups.WrongCode(n) for n in (4, 3, 2, 1)]
    assert outcomes[4] == lookups.Locked(now + timedelta(minutes=15))
    right = demo_codes[REF]
    almost = now + timedelta(minutes=14, seconds=59)
    assert isinstance(lookups.verified_lookup(engine, POLICY, REF, right, "c1", almost), lookups.Locked)
    after = now + timedelta(minutes=15)
    assert isinstance(lookups.verified_lookup(engine, POLICY, REF, right, "c1", after), lookups.Found)
    assert lookups.verified_lookup(engine, POLICY, REF, "0000", "c1", after) == lookups.WrongCode(4)


def test_right_code_resets_the_failure_count(engine: Engine, demo_codes: Codes) -> None:
    now = db.utcnow()
    for _ in range(4):
        lookups.verified_lookup(engine, POLICY, REF, "0000", "c1", now)
    assert isinstance(lookups.verified_lookup(engine, POLICY, REF, demo_codes[REF], "c1", now), lookups.Found)
    assert lookups.verified_lookup(engine, POLICY, REF, "0000", "c1", now) == lookups.WrongCode(4)


def test_failures_on_one_reference_do_not_count_against_another(engine: Engine) -> None:
    now = db.utcnow()
    for _ in range(4):
        lookups.verified_lookup(engine, POLICY, REF, "0000", "c1", now)
    assert lookups.verified_lookup(engine, POLICY, "ABTC-2025-000233", "0000", "c1", now) == lookups.WrongCode(4)


def test_every_lookup_is_audited_without_the_code(engine: Engine, demo_codes: Codes) -> None:
    now = db.utcnow()
    lookups.verified_lookup(engine, POLICY, REF, demo_codes[REF], "conv-1", now)
    lookups.verified_lookup(engine, POLICY, REF, "8462", "conv-1", now)
    lookups.verified_lookup(engine, POLICY, "ABTC-2025-999999", "9999", "conv-2", now)
    lookups.operator_lookup(engine, REF, "张三", now)
    with engine.connect() as conn:
        rows = conn.execute(select(db.audit_log).order_by(db.audit_log.c.id)).mappings().all()
    assert [(r["actor"], r["conversation_id"], r["reference"], r["outcome"]) for r in rows] == [
        ("action-server", "conv-1", REF, "ok"),
        ("action-server", "conv-1", REF, "wrong_code"),
        ("action-server", "conv-2", "ABTC-2025-999999", "unknown_reference"),
        ("operator:张三", None, REF, "ok"),
    ]
    assert not any(code in str(value) for code in ("1569", "8462") for r in rows for value in r.values())
