"""What must survive stopping and starting the service, on SQLite and on PostgreSQL."""
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from bot.backend import db
from tests.backend.conftest import Databases, Server, add_application, start_server

KINDS = ["sqlite", "postgresql"]


@pytest.mark.parametrize("kind", KINDS)
def test_lock_survives_a_restart(kind: str, databases: Databases, servers: list[Server], tmp_path: Path) -> None:
    url = databases.new(kind)
    servers.append(start_server(url, tmp_path))
    reference = add_application(url, "4321")
    assert [servers[0].lookup(reference, "1234")[0] for _ in range(5)] == [403, 403, 403, 403, 423]
    servers[0].stop()
    servers.append(start_server(url, tmp_path))
    status, body, _ = servers[1].lookup(reference, "4321")
    assert (status, body["error"]) == (423, "locked")


@pytest.mark.parametrize("kind", KINDS)
def test_failed_attempts_survive_a_restart(
    kind: str, databases: Databases, servers: list[Server], tmp_path: Path,
) -> None:
    url = databases.new(kind)
    servers.append(start_server(url, tmp_path))
    reference = add_application(url, "4321")
    for _ in range(3):
        servers[0].lookup(reference, "1234")
    servers[0].stop()
    servers.append(start_server(url, tmp_path))
    assert servers[1].lookup(reference, "1234")[1]["attempts_left"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_restart_neither_duplicates_nor_restores_demo_records(
    kind: str, databases: Databases, servers: list[Server], tmp_path: Path, demo_codes: dict[str, str],
) -> None:
    url = databases.new(kind)
    servers.append(start_server(url, tmp_path))
    engine = db.connect(url)
    with engine.begin() as conn:
        conn.execute(update(db.applications).where(db.applications.c.reference == "ABTC-2025-000318")
                     .values(status="approved", detail_en="Approved after review."))
        conn.execute(delete(db.applications).where(db.applications.c.reference == "INV-2025-000077"))
    servers[0].stop()
    servers.append(start_server(url, tmp_path))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(db.applications)).scalar()
    engine.dispose()
    assert total == len(demo_codes) - 1
    status, body, _ = servers[1].lookup("ABTC-2025-000318", demo_codes["ABTC-2025-000318"])
    assert (status, body["status"], body["detail_en"]) == (200, "approved", "Approved after review.")
    assert servers[1].lookup("INV-2025-000077", demo_codes["INV-2025-000077"])[0] == 404
