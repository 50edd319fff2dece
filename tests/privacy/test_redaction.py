"""Codes and passport numbers are masked in tracker events; the embedded SQLite store (`make run`) stores only masked rows."""
from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.redaction import MASK, mask_passports, redact_events
from bot.settings import REPO_ROOT
from bot.stores import RedactingSQLTrackerStore


def _user(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": "inform"},
                                                           "entities": [{"entity": "x", "value": text}]}}


def _asking_for_code() -> list:
    return [{"event": "active_loop", "name": "status_form"},
            {"event": "slot", "name": "requested_slot", "value": "verification_code"}]


def test_messages_while_the_code_is_asked_for_are_masked_whole() -> None:
    events = [_user("查询ABTC-2025-000318"), *_asking_for_code(), _user("最后四位是4821"),
              {"event": "slot", "name": "verification_code", "value": "4821"}]
    redacted = redact_events(events)
    assert redacted[0] == events[0]
    assert redacted[3]["text"] == redacted[3]["parse_data"]["text"] == MASK
    assert redacted[3]["parse_data"]["entities"] == []
    assert redacted[4]["value"] == MASK
    assert events[3]["text"] == "最后四位是4821"


def test_after_the_form_ends_messages_are_kept() -> None:
    events = [*_asking_for_code(), _user("4821"), {"event": "slot", "name": "requested_slot", "value": None},
              {"event": "active_loop", "name": None}, _user("APEC卡多少钱")]
    redacted = redact_events(events)
    assert redacted[2]["text"] == MASK and redacted[5]["text"] == "APEC卡多少钱"


def test_a_new_session_forgets_the_form_state() -> None:
    events = [*_asking_for_code(), {"event": "session_started"}, _user("1234")]
    assert redact_events(events)[-1]["text"] == "1234"


def test_passport_numbers_are_masked_in_any_message_but_references_are_not() -> None:
    assert mask_passports("我的护照号是E12345678") == f"我的护照号是{MASK}"
    assert mask_passports("passport EA1234567, thanks") == f"passport {MASK}, thanks"
    assert mask_passports("ＧＡ１２３４５６７") == MASK
    for kept in ("ABTC-2025-000318", "ABTC2025000318", "INV-2025-000051", "call 12345678"):
        assert mask_passports(kept) == kept


def test_the_embedded_sqlite_store_writes_only_masked_rows(tmp_path: Path) -> None:
    domain = Domain.load(str(REPO_ROOT / "domain.yml"))
    database = tmp_path / "tracker.db"
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    tracker = DialogueStateTracker.from_events("someone", [
        ActionExecuted("action_listen"),
        UserUttered("查询ABTC-2025-000318的进度", intent={"name": "check_status"}),
        ActiveLoop("status_form"),
        SlotSet("requested_slot", "verification_code"),
        BotUttered("请输入护照号码最后4位"),
        ActionExecuted("action_listen"),
        UserUttered("1569", intent={"name": "inform"}),
        SlotSet("verification_code", "1569"),
    ], domain.slots)
    asyncio.run(store.save(tracker))
    for event in (SlotSet("requested_slot", None), ActiveLoop(None), ActionExecuted("action_listen"),
                  UserUttered("护照E76543210", intent={"name": "inform"})):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    rows = [json.loads(data) for (data,) in sqlite3.connect(database).execute("SELECT data FROM events ORDER BY id")]
    assert len(rows) == len(tracker.events)
    texts = [row.get("text") for row in rows if row["event"] == "user"]
    assert texts == ["查询ABTC-2025-000318的进度", MASK, f"护照{MASK}"]
    assert not any("1569" in json.dumps(row) or "E76543210" in json.dumps(row) for row in rows)
    restored = asyncio.run(store.retrieve("someone"))
    assert restored is not None and restored.get_slot("verification_code") == MASK
