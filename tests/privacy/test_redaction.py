"""Personal data is masked in tracker events; the embedded SQLite store (`make run`) stores only masked rows."""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.logs import PersonalDataFilter, redact_warning
from bot.privacy.redaction import MASK, mask_message, mask_passports, mask_personal_data, redact_events
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


def test_everything_typed_while_the_form_is_open_is_masked_but_the_reference() -> None:
    events = [{"event": "active_loop", "name": "status_form"},
              {"event": "slot", "name": "requested_slot", "value": "reference"},
              _user("ABTC-2025-000318 我叫王小明"),
              {"event": "slot", "name": "reference", "value": "ABTC-2025-000318 我叫王小明"},
              {"event": "slot", "name": "reference", "value": "ABTC-2025-000318"},
              _user("my name is John Smith")]
    redacted = redact_events(events)
    assert redacted[2]["text"] == f"ABTC-2025-000318 {MASK}"
    assert redacted[3]["value"] == f"ABTC-2025-000318 {MASK}" and redacted[4]["value"] == "ABTC-2025-000318"
    assert redacted[5]["text"] == MASK and "John" not in str(redacted)


def test_a_code_typed_together_with_the_reference_is_masked() -> None:
    assert mask_message("查询ABTC-2025-000318 验证码4821") == f"查询ABTC-2025-000318 验证码{MASK}"
    assert mask_message("INV-2025-000051, code Q7ZX please") == f"INV-2025-000051, code {MASK} please"
    assert mask_message("APEC卡2025年多少钱") == "APEC卡2025年多少钱"


def test_phone_id_card_and_email_are_masked_and_hotlines_dates_references_kept() -> None:
    for secret in ("13812345678", "+86 138-1234-5678", "010-65123456", "110101199003071234", "11010119900307123X",
                   "wang.xm@example.com", "123456789", "E12345678"):
        assert secret not in mask_personal_data(f"我的是{secret}，谢谢"), secret
    for kept in ("12345", "12308", "110", "2026-12-31", "2026年12月31日", "ABTC-2025-000318", "CNY 720"):
        assert mask_personal_data(f"请问{kept}") == f"请问{kept}", kept


def test_rasas_warning_with_the_message_is_redacted_and_log_records_masked() -> None:
    warning = ("Failed to parse arguments in line '/greet{\"phone\": \"13812345678\"}'. Expected entities from "
               "['reference'] but found {'phone'}. Continuing without unknown entity types. ")
    assert "13812345678" not in redact_warning(warning) and "/intent" in redact_warning(warning)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user wrote %s", ("mail me: a.b@example.org",), None)
    assert PersonalDataFilter().filter(record) and "a.b@example.org" not in record.getMessage()


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
    for kept in ("ABTC-2025-000318", "ABTC2025000318", "INV-2025-000051", "call 12345"):
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
