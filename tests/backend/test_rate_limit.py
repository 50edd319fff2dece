"""The per-address budget is a sliding window: it refuses beyond the limit and recovers as time passes."""
from bot.backend.api.guards import SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_is_per_address_and_window_slides() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(limit=3, window=10, clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("a") == 10
    assert limiter.hit("b") is None
    clock.now += 4
    assert limiter.hit("a") == 6
    clock.now += 6
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("a") is not None


def test_refused_requests_do_not_extend_the_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(limit=1, window=10, clock=clock)
    limiter.hit("a")
    for _ in range(5):
        clock.now += 1
        limiter.hit("a")
    clock.now += 5
    assert limiter.hit("a") is None
