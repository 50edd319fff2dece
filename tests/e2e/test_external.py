"""The external yardstick's test half over the real REST channel.

Issue 11's gates are right answers >= 90% of in-scope questions in each language, out-of-scope
questions answered with a sourced answer or a lookup prompt <= 5%, and wrong answers <= 3% of
in-scope questions. They are NOT met yet (the measured figures and what is missing are in
docs/benchmarks.md and the issue 11 note). Until they are, this test holds the level last measured
on this half (FLOOR, a ratchet: raise it whenever the figures improve, never lower it to pass) and
reports every target it misses as a warning in each run, so the gap stays visible.

The test half is only scored: a failure reports the figures, never the individual questions (study
the dev half with `scripts/evaluate_external.py --half dev --show-misses` instead).
"""
from __future__ import annotations

import uuid
import warnings

from bot.evaluation_external import Gates, format_summary, gate_failures, load_half, run, summarize
from tests.e2e.conftest import RestClient

TARGET = Gates(min_right=0.90, max_oos_answered=0.05, max_wrong=0.03)
# Measured 2026-12-02 on this half by make test: right en 53.8%, zh 52.7%; out of scope answered
# 8.9%; wrong 19.1%. The floor leaves about 2–3 points for small data changes.
FLOOR = Gates(min_right=0.50, max_oos_answered=0.12, max_wrong=0.21)


def test_external_test_half_holds_its_measured_level_and_reports_the_gates(rest: RestClient) -> None:
    outcomes = run(load_half("test"), rest.send, f"external-test-{uuid.uuid4().hex[:8]}")
    summary = summarize(outcomes)
    for miss in gate_failures(summary, TARGET):
        warnings.warn(f"issue 11 gate not met on the external test half: {miss}")
    regressions = gate_failures(summary, FLOOR)
    assert not regressions, "below the measured level:\n" + "\n".join(regressions) + "\n" + format_summary(summary)
