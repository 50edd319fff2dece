"""Issue 13, finding 4 on the production profile: the backend keeps its attempt budgets in Redis, so
every replica counts against the same budgets and a restarted backend forgets nothing."""
from __future__ import annotations

import redis

from bot.cluster.cluster import Cluster
from tests.backend.conftest import add_application
from tests.production.conftest import Chat, new_sender


def test_attempt_budgets_live_in_redis_and_survive_a_backend_restart(cluster: Cluster, chat: Chat) -> None:
    s = cluster.settings
    reference = add_application(s.database_url, "4321")

    def attempt(code: str) -> str:
        """One lookup in a new conversation (each has only 3): the caller is this chat's address."""
        user = new_sender("budget")
        chat.text(user, f"查询{reference}")
        return chat.text(user, code)

    assert "对不上" in attempt("1111")
    store = redis.Redis(host=s.redis_host, port=s.redis_port, db=s.redis_db)
    keys = [key.decode() for key in store.scan_iter(f"{s.redis_key_prefix}-backend/failures-reference/*")]
    assert any(reference in key for key in keys), keys
    cluster.stop_service("backend")
    cluster.start_service("backend")
    for code in ("2222", "3333"):
        assert "对不上" in attempt(code)
    refused = attempt("4321")  # the 4th attempt from this address: refused, whichever backend counted
    assert "次数过多" in refused and "测试。" not in refused
