"""Schema, seeding and the verified-lookup rule against a real SQLite file, budgets in memory."""
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from bot.backend import db, lookups, seed
from bot.backend.budgets import Budgets
from bot.backend.settings import BackendSettings

POLICY = lookups.LookupPolicy.from_settings(BackendSettings(attempts_per_reference="1000 per second"))
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


def look(engine: Engine, budgets: Budgets, reference: str, code: str, client: str = "k1",
         conversation: str = "c1") -> lookups.Outcome:
    return lookups.verified_lookup(engine, budgets, POLICY, reference, code,
                                   lookups.Caller(conversation, client), db.utcnow())


@pytest.fixture
def budgets() -> Budgets:
    return Budgets.from_url("memory://")


def test_third_miss_of_a_caller_pauses_that_caller_only(engine: Engine, budgets: Budgets, demo_codes: Codes) -> None:
    outcomes = [look(engine, budgets, REF, "0000") for _ in range(4)]
    assert outcomes[:3] == [lookups.NoMatch()] * 3
    assert isinstance(outcomes[3], lookups.TooManyFailures) and 0 < outcomes[3].retry_after <= 600
    assert isinstance(look(engine, budgets, REF, demo_codes[REF]), lookups.TooManyFailures)
    assert isinstance(look(engine, budgets, REF, demo_codes[REF], client="k2", conversation="c2"), lookups.Found)


def test_failures_on_one_reference_do_not_count_against_another(engine: Engine, budgets: Budgets) -> None:
    for _ in range(3):
        look(engine, budgets, REF, "0000")
    assert look(engine, budgets, "ABTC-2025-000233", "0000") == lookups.NoMatch()


def test_without_a_client_key_the_conversation_is_the_caller(engine: Engine, budgets: Budgets) -> None:
    caller = lookups.Caller("c9", None)
    assert caller.key_for(REF) == f"{REF}|conversation:c9"
    assert lookups.Caller("c9", "k9").key_for(REF) == f"{REF}|client:k9"


def test_every_lookup_is_audited_without_the_code(engine: Engine, demo_codes: Codes) -> None:
    budgets = Budgets.from_url("memory://")
    look(engine, budgets, REF, demo_codes[REF], conversation="conv-1")
    look(engine, budgets, REF, "8462", conversation="conv-1")
    look(engine, budgets, "ABTC-2025-999999", "9999", conversation="conv-2")
    lookups.operator_lookup(engine, budgets, POLICY, REF, "张三", db.utcnow())
    with engine.connect() as conn:
        rows = conn.execute(select(db.audit_log).order_by(db.audit_log.c.id)).mappings().all()
    assert [(r["actor"], r["conversation_id"], r["reference"], r["outcome"]) for r in rows] == [
        ("action-server", "conv-1", REF, "ok"),
        ("action-server", "conv-1", REF, "wrong_code"),
        ("action-server", "conv-2", "ABTC-2025-999999", "unknown_reference"),
        ("operator:张三", None, REF, "ok"),
    ]
    assert not any(code in str(value) for code in ("1569", "8462") for r in rows for value in r.values())


def test_an_older_database_loses_its_lock_tables_and_keeps_its_records(tmp_path: Path) -> None:
    engine = db.connect(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        db.schema_version.create(conn)
        db.MIGRATIONS[0](conn)
        conn.exec_driver_sql("CREATE TABLE failed_attempts (id INTEGER PRIMARY KEY, reference TEXT)")
        conn.exec_driver_sql("CREATE TABLE reference_locks (reference TEXT PRIMARY KEY)")
        conn.execute(insert(db.schema_version).values(version=1, applied_at=db.utcnow()))
    seed.seed_demo(engine)
    db.migrate(engine)
    with engine.connect() as conn:
        tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
    assert {"failed_attempts", "reference_locks"}.isdisjoint(tables)
    assert count(engine, db.applications) == len(seed.DEMO)
    engine.dispose()
