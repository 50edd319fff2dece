"""The CSV import: a valid file lands in the running service's database; one bad row means nothing is written."""
import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.backend import db
from bot.backend.import_csv import main
from bot.backend.reference import normalize_reference
from tests.backend.conftest import REPO, Server

HEADER = ["reference", "kind", "applicant_name_zh", "applicant_name_en", "company_zh", "company_en", "invitees",
          "status", "detail_zh", "detail_en", "verification_code", "updated_at"]


def row(reference: str, **changes: str) -> dict[str, str]:
    values = {
        "reference": reference, "kind": "", "applicant_name_zh": "周杰", "applicant_name_en": "Zhou Jie",
        "company_zh": "北京测试有限公司", "company_en": "Beijing Test Co., Ltd.", "invitees": "",
        "status": "under_review", "detail_zh": "区外办审核中。", "detail_en": "Under review at the district office.",
        "verification_code": "7Q2M", "updated_at": "2025-04-01T09:30",
    }
    if (normalize_reference(reference) or "").startswith("INV"):
        values.update(applicant_name_zh="", applicant_name_en="", invitees="2")
    values.update(changes)
    return values


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.backend.import_csv", str(path), "--database-url", database_url],
                          cwd=REPO, capture_output=True, text=True, timeout=60)


def count_applications(database_url: str) -> int:
    engine = db.connect(database_url)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(db.applications)).scalar()
    engine.dispose()
    return total


def test_valid_file_is_imported_and_served(backend: Server, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "good.csv", [
        row("abtc 2025 000901"), row("ＩＮＶ－２０２５－０００９０２", verification_code="8841", status="issued")])
    before = count_applications(backend.database_url)
    result = run_import(path, backend.database_url)
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout and "7Q2M" not in result.stdout + result.stderr
    assert count_applications(backend.database_url) == before + 2
    status, body, _ = backend.lookup("ABTC-2025-000901", "7q2m")
    assert (status, body["kind"], body["updated_at"]) == (200, "apec_card", "2025-04-01T01:30:00+00:00")
    assert backend.lookup("INV-2025-000902", "8841")[1]["status"] == "issued"


def test_reimport_updates_a_record_and_extends_its_history(backend: Server, tmp_path: Path) -> None:
    assert run_import(write_csv(tmp_path / "a.csv", [row("ABTC-2025-000911")]), backend.database_url).returncode == 0
    changed = row("ABTC-2025-000911", status="approved", updated_at="2025-05-06")
    result = run_import(write_csv(tmp_path / "b.csv", [changed]), backend.database_url)
    assert "1 updated" in result.stdout
    body = backend.lookup("ABTC-2025-000911", "7Q2M")[1]
    assert [step["status"] for step in body["history"]] == ["under_review", "approved"]


def test_file_with_one_bad_row_writes_nothing(backend: Server, tmp_path: Path) -> None:
    rows = [row("ABTC-2025-000921"), row("ABTC-2025-000922", status="lost", verification_code="12345"),
            row("INV-2025-000923")]
    before = count_applications(backend.database_url)
    result = run_import(write_csv(tmp_path / "bad.csv", rows), backend.database_url)
    assert result.returncode == 1
    assert "row 3, status: unknown status 'lost'" in result.stderr
    assert "row 3, verification_code: must be 4 letters or digits" in result.stderr
    assert "12345" not in result.stderr and "nothing was imported" in result.stderr
    assert count_applications(backend.database_url) == before
    assert backend.lookup("ABTC-2025-000921", "7Q2M")[0] == 403  # no such application


@pytest.mark.parametrize("changes, expected", [
    ({"reference": "ABTC-25-1"}, "row 2, reference: not a reference number"),
    ({"kind": "invitation"}, "row 2, kind: must be apec_card"),
    ({"applicant_name_en": ""}, "row 2, applicant_name_en: required for an APEC card"),
    ({"invitees": "3"}, "row 2, invitees: only for invitations"),
    ({"company_zh": ""}, "row 2, company_zh: required"),
    ({"detail_en": "x" * 2001}, "row 2, detail_en: too long"),
    ({"updated_at": "yesterday"}, "row 2, updated_at: not an ISO date"),
    ({"verification_code": ""}, "row 2, verification_code: must be 4 letters or digits"),
])
def test_each_kind_of_bad_cell_is_reported_with_row_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, str], expected: str,
) -> None:
    path = write_csv(tmp_path / "one.csv", [{**row("ABTC-2025-000931"), **changes}])
    assert main([str(path), "--database-url", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_invitation_needs_its_number_of_invitees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "inv.csv", [row("INV-2025-000932", invitees="0")])
    assert main([str(path), "--database-url", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    assert "row 2, invitees: required for an invitation" in capsys.readouterr().err


@pytest.mark.parametrize("header, rows, expected", [
    (["reference", "status"], [], "row 1, company_zh: missing column"),
    (HEADER + ["passport"], [], "row 1, passport: unknown column"),
    (HEADER, [], "no applications in the file"),
    (HEADER, [row("ABTC-2025-000941"), row("abtc2025000941")], "row 3, reference: duplicate of row 2"),
])
def test_file_level_problems_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: list[str], rows: list[Any], expected: str,
) -> None:
    path = write_csv(tmp_path / "file.csv", rows, header=header)
    assert main([str(path), "--database-url", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    assert expected in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
