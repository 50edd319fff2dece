"""What must survive stopping and starting the service, on SQLite and on PostgreSQL."""
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from bot.backend import db
from tests.backend.conftest import Databases, Server, start_server

KINDS = ["sqlite", "postgresql"]


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
    assert servers[1].lookup("INV-2025-000077", demo_codes["INV-2025-000077"])[0] == 403  # deleted stays deleted
