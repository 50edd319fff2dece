"""The web app's tables: feedback votes and operator sessions."""
from datetime import timedelta
from pathlib import Path

import pytest

from bot.web.db import DOWN, UP, OperatorExists, WebDatabase


@pytest.fixture
def database(tmp_path: Path) -> WebDatabase:
    database = WebDatabase(f"sqlite:///{tmp_path / 'web.db'}")
    database.create_schema()
    yield database
    database.dispose()


def test_creating_the_schema_twice_is_harmless(database: WebDatabase) -> None:
    database.create_schema()
    database.ping()


def test_voting_again_on_one_answer_replaces_the_vote(database: WebDatabase) -> None:
    database.save_feedback("conv1", "m1", "utter_faq/apec_fee", "费用…", UP, "zh")
    database.save_feedback("conv1", "m1", "utter_faq/apec_fee", "费用…", DOWN, "zh")
    [only] = database.most_down_voted()
    assert (only.answer_id, only.down, only.up) == ("utter_faq/apec_fee", 1, 0)


def test_the_report_lists_answers_with_the_most_thumbs_down_first(database: WebDatabase) -> None:
    for conversation in ("a", "b", "c"):
        database.save_feedback(conversation, "m", "utter_faq/apec_time", "time", DOWN, "en")
    database.save_feedback("a", "m2", "utter_faq/apec_fee", "fee", DOWN, "en")
    database.save_feedback("b", "m2", "utter_faq/apec_fee", "fee", UP, "en")
    database.save_feedback("c", "m2", "utter_greet", "hello", UP, "en")
    report = database.most_down_voted()
    assert [(row.answer_id, row.down, row.up) for row in report] == [
        ("utter_faq/apec_time", 3, 0), ("utter_faq/apec_fee", 1, 1)]


def test_an_operator_name_is_unique(database: WebDatabase) -> None:
    database.add_operator("li", "hash")
    with pytest.raises(OperatorExists):
        database.add_operator("li", "hash")


def test_a_session_token_names_its_operator_until_it_expires_or_is_closed(database: WebDatabase) -> None:
    database.add_operator("li", "hash")
    token = database.open_session("li", timedelta(hours=1))
    assert database.session_operator(token) == "li"
    assert database.session_operator(token + "x") is None
    database.close_session(token)
    assert database.session_operator(token) is None
    expired = database.open_session("li", timedelta(seconds=-1))
    assert database.session_operator(expired) is None


def test_changing_the_password_ends_the_operators_sessions(database: WebDatabase) -> None:
    database.add_operator("li", "hash")
    token = database.open_session("li", timedelta(hours=1))
    assert database.set_password("li", "new hash")
    assert database.session_operator(token) is None
