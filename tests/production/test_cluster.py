"""Scale-out and faults on the real cluster: turns spread over two Rasa servers, a server killed, the whole
stack restarted, action servers / backend / backend database down and back; the tracker store keeps every event."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.cluster.cluster import Cluster
from tests.production.conftest import (
    Chat, count_events, direct, eventually, new_sender, random_source, tracker_events,
)

REFERENCE, CODE, DETAIL_ZH = "ABTC-2025-000318", "1569", "北京市人民政府外事办公室审核"
INVITATION, INVITATION_CODE, INVITATION_DETAIL = "INV-2025-000064", "5147", "Preliminary review at the district office"
ASK_CODE_ZH = "最后4位"
UNAVAILABLE_LOOKUP_ZH = "暂时无法使用"
UNAVAILABLE_TURN = ("服务暂时出现问题", "having a problem")


def upstreams_used(cluster: Cluster, since: int) -> set:
    lines = (cluster.settings.log_dir / "nginx_access.log").read_text().splitlines()[since:]
    return {line.rsplit(" ", 1)[-1] for line in lines if "/webhooks/rest/webhook" in line}


def access_log_length(cluster: Cluster) -> int:
    path = cluster.settings.log_dir / "nginx_access.log"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_a_lookup_form_alternating_between_the_two_servers_directly(cluster: Cluster) -> None:
    source = random_source()
    one, two = direct(cluster, 1, source), direct(cluster, 2, source)
    user = new_sender()
    assert "reference" in one.text(user, "I want to check the status of my application")
    assert "last 4" in two.text(user, INVITATION.lower())
    assert INVITATION_DETAIL in one.text(user, INVITATION_CODE)
    assert "720" in two.text(user, "how much does an APEC card cost?")
    assert count_events(cluster, user, "user") == 4


def test_turns_through_nginx_are_spread_over_both_servers_and_the_form_completes(cluster: Cluster, chat: Chat) -> None:
    before = access_log_length(cluster)
    user = new_sender()
    replies = [chat.text(user, "查一下ABTC-2025-000318的进度"),
               chat.text(user, "对了，APEC卡办一张要多少钱？"),
               chat.text(user, CODE)]
    assert ASK_CODE_ZH in replies[0] and "720" in replies[1] and DETAIL_ZH in replies[2]
    assert len(upstreams_used(cluster, before)) == 2
    assert count_events(cluster, user, "user") == 3


def test_a_killed_server_mid_conversation_the_other_serves_the_next_turn_with_the_form_intact(
        cluster: Cluster, chat: Chat) -> None:
    user = new_sender()
    assert ASK_CODE_ZH in direct(cluster, 1, chat.source).text(user, f"帮我查一下{REFERENCE}的进度")
    cluster.kill_service("rasa server 1")
    try:
        answer = chat.text(user, CODE)
        assert DETAIL_ZH in answer and CODE not in answer
        assert "720" in chat.text(user, "APEC卡多少钱")
    finally:
        cluster.start_service("rasa server 1")
    assert count_events(cluster, user, "user") == 3


def test_the_whole_stack_restarted_the_conversation_continues(cluster: Cluster, chat: Chat) -> None:
    user = new_sender()
    assert "last 4" in chat.text(user, f"status of {INVITATION} please")
    cluster.stop()
    cluster.start()
    answer = chat.text(user, INVITATION_CODE)
    assert INVITATION_DETAIL in answer
    assert count_events(cluster, user, "user") == 2


def test_action_servers_down_the_user_is_told_and_service_returns(cluster: Cluster, chat: Chat) -> None:
    user = new_sender()
    cluster.stop_service("action server 1")
    cluster.stop_service("action server 2")
    try:
        down = chat.text(user, "APEC卡多少钱")
        assert any(phrase in down for phrase in UNAVAILABLE_TURN)
        assert "having a problem" in chat.text(user, "how much does an APEC card cost?")
    finally:
        cluster.start_service("action server 1")
        cluster.start_service("action server 2")
    eventually(lambda: "720" in chat.text(user, "APEC卡多少钱"))


def test_backend_down_the_user_is_told_and_lookups_return(cluster: Cluster, chat: Chat) -> None:
    cluster.stop_service("backend")
    try:
        user = new_sender()
        chat.text(user, f"查询{REFERENCE}的进度")
        down = chat.text(user, CODE)
        assert UNAVAILABLE_LOOKUP_ZH in down and CODE not in down
    finally:
        cluster.start_service("backend")
    user = new_sender()
    chat.text(user, f"查询{REFERENCE}的进度")
    assert DETAIL_ZH in chat.text(user, CODE)


def test_backend_database_unavailable_the_user_is_told_and_lookups_return(
        cluster: Cluster, chat: Chat, database_switch) -> None:
    database_switch(cluster.settings.backend_db, False)
    try:
        health, _, _ = Chat(cluster.settings.url(cluster.settings.backend_port), chat.source).request(
            "GET", "/api/v1/health")
        assert health == 503
        user = new_sender()
        chat.text(user, f"查询{REFERENCE}的进度")
        assert UNAVAILABLE_LOOKUP_ZH in chat.text(user, CODE)
    finally:
        database_switch(cluster.settings.backend_db, True)

    def lookup_works() -> bool:
        fresh, user = Chat(cluster.settings.public_url, random_source()), new_sender()
        fresh.text(user, f"查询{REFERENCE}的进度")
        return DETAIL_ZH in fresh.text(user, CODE)

    eventually(lookup_works, timeout=30)


def test_tracker_database_unavailable_the_user_is_told_and_the_form_continues_after(
        cluster: Cluster, chat: Chat, database_switch) -> None:
    user = new_sender()
    assert ASK_CODE_ZH in chat.text(user, f"帮我查一下{REFERENCE}的进度")
    database_switch(cluster.settings.tracker_db, False)
    try:
        down = chat.text(user, CODE)
        assert UNAVAILABLE_TURN[0] in down and DETAIL_ZH not in down
    finally:
        database_switch(cluster.settings.tracker_db, True)

    def served() -> str:
        reply = chat.text(user, CODE)
        return "" if UNAVAILABLE_TURN[0] in reply else reply

    assert DETAIL_ZH in eventually(served, timeout=30)
    assert count_events(cluster, user, "user") == 2


def test_every_turn_and_reply_is_in_the_tracker_store(cluster: Cluster, chat: Chat) -> None:
    user = new_sender()
    sent = ["你好", "APEC卡多少钱", f"查询{REFERENCE}的进度", CODE, "how long is the card valid?"]
    received = sum(len(chat.send(user, message)) for message in sent)
    assert count_events(cluster, user, "user") == len(sent)
    assert count_events(cluster, user, "bot") == received


def test_simultaneous_turns_of_one_conversation_on_both_servers_are_serialized_by_the_redis_lock(
        cluster: Cluster) -> None:
    source = random_source()
    servers = (direct(cluster, 1, source), direct(cluster, 2, source))
    user = new_sender()
    questions = ["APEC卡多少钱", "how long is the card valid?", "APEC卡办理需要多久", "what documents do I need?"] * 3
    with ThreadPoolExecutor(max_workers=2) as pool:
        for first, second in zip(questions[::2], questions[1::2]):
            replies = list(pool.map(lambda pair: pair[0].send(user, pair[1]), zip(servers, (first, second))))
            assert all(replies)
    assert count_events(cluster, user, "user") == len(questions)
    kinds = [kind for kind, _ in tracker_events(cluster, user)]
    turns = "".join("U" if kind == "user" else "B" if kind == "bot" else "" for kind in kinds)
    assert "UU" not in turns, turns
