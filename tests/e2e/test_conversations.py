"""The conversation suite (tests/conversations/) over REST on the shared stack.

Issue 11's gate is 95% of the scripted conversations passing. It is NOT met yet (figures in
docs/benchmarks.md and the issue 11 note). Until it is, the test holds the level last measured
(FLOOR, a ratchet: raise it as the figure improves, never lower it to pass) and warns in every run
that the gate is missed, printing the failing turns.
"""
import warnings

from bot.evaluation_conversations import failures, load_conversations, pass_rate, play_all, summary

GATE = 0.95
FLOOR = 0.78  # measured 2026-12-02: 81.0% (after 70.2% at the start of the day)


def test_the_scripted_conversations_hold_their_measured_level_and_report_the_gate(rest):
    results = play_all(load_conversations(), rest.send)
    print(failures(results))
    rate = pass_rate(results)
    if rate < GATE:
        warnings.warn(f"issue 11 gate not met: {rate:.1%} of conversations pass, gate {GATE:.0%}")
    assert rate >= FLOOR, f"{rate:.1%} of conversations pass, below the measured {FLOOR:.0%} (failing turns above):\n{summary(results)}"
