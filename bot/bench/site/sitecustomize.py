"""Switches on the candidate speed-ups of bot/bench/speedups.py in a Rasa server started by `bench.py --speedups`.

Python imports `sitecustomize` at start-up from PYTHONPATH; the benchmark puts this folder first on the
Rasa server's PYTHONPATH only for that run, so the product itself never loads it.
"""
import os
import sys

if os.environ.get("FAO_BENCH_SPEEDUPS") == "1" and sys.argv[1:2] == ["run"] and "actions" not in sys.argv:
    from bot.bench import speedups

    speedups.cache_schema_validation()
    speedups.fortran_ordered_coefficients()
