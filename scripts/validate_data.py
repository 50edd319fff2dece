"""Runs `rasa data validate` and fails on any warning that is not explained in the allowlist.

Each line of tests/validate_allowlist.txt is a substring of an accepted warning, followed by
` # ` and the reason it is accepted.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWLIST = ROOT / "tests" / "validate_allowlist.txt"
WARNING_LINE = re.compile(r"UserWarning|\bWARNING\b|\bERROR\b")
IGNORED = ("DeprecationWarning", "MovedIn20Warning", "PyparsingDeprecationWarning")


def accepted_patterns() -> list[str]:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines() if ALLOWLIST.exists() else []
    return [line.split(" # ")[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def main() -> int:
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "rasa"), "data", "validate", "--domain", "domain.yml",
         "--data", "data", "--config", "config.yml"],
        cwd=ROOT, capture_output=True, text=True,
    )
    output = result.stdout + result.stderr
    patterns = accepted_patterns()
    unexplained = [
        line for line in output.splitlines()
        if WARNING_LINE.search(line)
        and not any(ignored in line for ignored in IGNORED)
        and not any(pattern in line for pattern in patterns)
    ]
    for line in unexplained:
        print("unexplained:", line)
    print(f"rasa data validate: exit {result.returncode}, {len(unexplained)} unexplained warnings")
    return 1 if result.returncode or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
