"""The external yardstick's test half over the real REST channel must meet the gates of issue 11.

Right answers >= 90% of in-scope questions in each language, out-of-scope questions answered with a
sourced answer or a lookup prompt <= 5%, wrong answers <= 3% of in-scope questions. The test half is
only scored: a failure reports the figures, never the individual questions (study the dev half with
`scripts/evaluate_external.py --half dev --show-misses` instead).
"""
from __future__ import annotations

import uuid

from bot.evaluation_external import Gates, format_summary, gate_failures, load_half, run, summarize
from tests.e2e.conftest import RestClient


def test_external_test_half_meets_the_gates(rest: RestClient) -> None:
    outcomes = run(load_half("test"), rest.send, f"external-test-{uuid.uuid4().hex[:8]}")
    summary = summarize(outcomes)
    failures = gate_failures(summary, Gates(min_right=0.90, max_oos_answered=0.05, max_wrong=0.03))
    assert not failures, "\n".join(failures) + "\n" + format_summary(summary)
