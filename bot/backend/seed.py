"""The demo applications of issue 4, written once per database on first start.

A row in seed_runs marks the set as applied, so later starts never re-create a record that was
edited or deleted since; a reference that already exists (say, from a CSV import) is left alone.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.engine import Engine

from bot.backend import db

SEED_NAME = "demo-2025"

ORIENT_ZH, ORIENT_EN = "北京东方远景科技有限公司", "Beijing Dongfang Yuanjing Technology Co., Ltd."
HUAXIN_ZH, HUAXIN_EN = "北京华信贸易有限公司", "Beijing Huaxin Trading Co., Ltd."
DONGCHENG_ZH, DONGCHENG_EN = "北京东城文旅发展有限公司", "Beijing Dongcheng Culture and Tourism Development Co., Ltd."


def _at(day: str) -> datetime:
    """Office hours in Beijing (09:30 +08:00) on `day`, as UTC."""
    return datetime.fromisoformat(f"{day}T01:30:00").replace(tzinfo=timezone.utc)


def _steps(*pairs: tuple[str, str]) -> tuple[tuple[str, datetime], ...]:
    return tuple((status, _at(day)) for status, day in pairs)


DEMO: tuple[tuple[db.ApplicationRecord, tuple[tuple[str, datetime], ...]], ...] = (
    (db.ApplicationRecord(
        "ABTC-2024-000107", "apec_card", ORIENT_ZH, ORIENT_EN, "approved",
        "已获外交部批准，卡片正在制作中；制作完成后外事办将通知您领取。",
        "Approved by the Ministry of Foreign Affairs; the card is being produced and the office will "
        "notify you when it is ready for pick-up.",
        "4821", "王伟", "Wang Wei"),
     _steps(("submitted", "2024-12-02"), ("under_review", "2024-12-09"), ("approved", "2025-02-14"))),
    (db.ApplicationRecord(
        "ABTC-2025-000233", "apec_card", HUAXIN_ZH, HUAXIN_EN, "returned",
        "材料退回补充：缺少公安机关出具的无犯罪记录证明。",
        "Returned for more documents: the police no-criminal-record certificate is missing.",
        "7302", "李娜", "Li Na"),
     _steps(("submitted", "2025-02-10"), ("under_review", "2025-02-17"), ("returned", "2025-03-03"))),
    (db.ApplicationRecord(
        "ABTC-2025-000318", "apec_card", DONGCHENG_ZH, DONGCHENG_EN, "under_review",
        "正在北京市人民政府外事办公室审核。",
        "Under review at the Beijing Municipal Foreign Affairs Office.",
        "1569", "陈明", "Chen Ming"),
     _steps(("submitted", "2025-03-05"), ("under_review", "2025-03-12"))),
    (db.ApplicationRecord(
        "ABTC-2025-000402", "apec_card", HUAXIN_ZH, HUAXIN_EN, "pre_clearance",
        "已批准，正在等待各经济体预审（16个中已完成11个）。",
        "Approved; waiting for pre-clearance by the economies (11 of 16 done).",
        "2046", "赵静", "Zhao Jing"),
     _steps(("submitted", "2025-01-20"), ("under_review", "2025-01-27"), ("pre_clearance", "2025-03-10"))),
    (db.ApplicationRecord(
        "INV-2025-000051", "invitation", ORIENT_ZH, ORIENT_EN, "issued",
        "邀请核实函已出具，请到外事办窗口领取。",
        "The verification letter has been issued; collect it at the office window.",
        "3390", invitees=3),
     _steps(("submitted", "2025-03-03"), ("under_review", "2025-03-04"), ("issued", "2025-03-14"))),
    (db.ApplicationRecord(
        "INV-2025-000064", "invitation", HUAXIN_ZH, HUAXIN_EN, "under_review",
        "区外办正在进行初审。",
        "Preliminary review at the district office.",
        "5147", invitees=1),
     _steps(("submitted", "2025-03-17"), ("under_review", "2025-03-18"))),
    (db.ApplicationRecord(
        "INV-2025-000077", "invitation", DONGCHENG_ZH, DONGCHENG_EN, "not_approved",
        "未予批准：申报的访问目的与所附材料不一致。",
        "Not approved: the stated purpose of the visit does not match the documents.",
        "8803", invitees=2),
     _steps(("submitted", "2025-02-24"), ("under_review", "2025-02-25"), ("not_approved", "2025-03-07"))),
)


def seed_demo(engine: Engine) -> int:
    """Writes the demo records unless this database already had them once; returns how many were added."""
    now = db.utcnow()
    added = 0
    with engine.begin() as conn:
        if db.seed_applied(conn, SEED_NAME):
            return 0
        for record, steps in DEMO:
            if db.find_application(conn, record.reference) is None:
                db.insert_application(conn, record, steps, now=now)
                added += 1
        db.mark_seed_applied(conn, SEED_NAME, now)
    return added
