"""Held-out intent accuracy per language, with the list of misses.

    python scripts/evaluate_heldout.py [--model PATH] [--min-accuracy 0.70] [--target 0.90]

Exits non-zero when any language is below --min-accuracy (make test holds the measured level there,
a ratchet) and prints, without failing, each language below --target (issue 3's gate, not met since
the held-out questions are answered through the whole decision of bot.nlu.understanding: see the
issue 11 note).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import structlog

from bot.evaluation import evaluate_model_on, load_heldout_files
from bot.settings import REPO_ROOT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "fao-assistant.tar.gz")
    parser.add_argument("--min-accuracy", type=float, default=0.0)
    parser.add_argument("--target", type=float, default=0.0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    files = load_heldout_files()
    names = sorted({name for by_file in files.values() for name in by_file})
    per_file = [{lang: by_file.get(name, []) for lang, by_file in files.items()} for name in names]
    everything = {lang: [pair for pairs in by_file.values() for pair in pairs] for lang, by_file in files.items()}
    reports, *file_reports = evaluate_model_on(args.model, [everything] + per_file)
    for name, report_of_file in zip(names, file_reports):
        figures = ", ".join(
            f"{lang} {r.accuracy:.1%} ({r.correct}/{r.total})" for lang, r in sorted(report_of_file.items()) if r.total
        )
        print(f"  {name}: {figures}")
    failed = False
    for language, report in sorted(reports.items()):
        print(f"[{language}] intent accuracy {report.accuracy:.1%} ({report.correct}/{report.total}), "
              f"macro F1 {report.macro_f1:.3f}")
        for text, gold, guess in report.misses:
            print(f"    miss: {text!r}: expected {gold}, got {guess}")
        if report.accuracy < args.min_accuracy:
            failed = True
            print(f"[{language}] below the measured level of {args.min_accuracy:.0%}")
        elif report.accuracy < args.target:
            print(f"[{language}] target of {args.target:.0%} not met (not a failure: see the issue 11 note)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
