"""Budgets over the `limits` library: refusal past a window, keys and budgets apart, reserve vs check-then-spend."""
from bot.backend.budgets import Budget, Budgets


def budgets() -> Budgets:
    return Budgets.from_url("memory://")


def test_a_budget_refuses_past_its_window_and_keys_are_apart() -> None:
    store, budget = budgets(), Budget.parse("b", "3 per 10 seconds", "test")
    assert [store.reserve(budget, "a") for _ in range(3)] == [None, None, None]
    wait = store.reserve(budget, "a")
    assert wait is not None and 1 <= wait <= 10
    assert store.reserve(budget, "b") is None
    assert store.reserve(Budget.parse("other", "3 per 10 seconds", "test"), "a") is None


def test_every_window_of_a_budget_counts() -> None:
    store, budget = budgets(), Budget.parse("b", "5 per minute; 2 per day", "test")
    store.spend([(budget, "a"), (budget, "a")])
    wait = store.wait(budget, "a")
    assert wait is not None and wait > 3600  # the daily window, not the minute, decides


def test_checking_spends_nothing_and_a_missing_key_is_never_limited() -> None:
    store, budget = budgets(), Budget.parse("b", "1 per minute", "test")
    assert [store.wait(budget, "a") for _ in range(5)] == [None] * 5
    store.spend([(budget, "a"), (budget, None)])
    assert store.wait(budget, "a") is not None
    assert store.first_wait([(budget, None), (budget, "z")]) is None
    assert store.reserve(budget, None) is None
