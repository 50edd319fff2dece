"""The conversation suite (tests/conversations/) over REST on the shared stack, with the gate of issue 11."""
from bot.evaluation_conversations import failures, load_conversations, pass_rate, play_all, summary

GATE = 0.95


def test_at_least_95_percent_of_the_scripted_conversations_pass(rest):
    results = play_all(load_conversations(), rest.send)
    print(failures(results))
    rate = pass_rate(results)
    assert rate >= GATE, f"{rate:.1%} of conversations pass, gate {GATE:.0%} (failing turns above):\n{summary(results)}"
