"""`make bench`: our model and a stock-Rasa baseline, trained, started and measured in one run (issue 7).

One module per job: training (train a config, time it), nlu (in-process parse latency and held-out
accuracy), stack (start the full assistant on free ports, time to ready, peak memory), load (REST
conversations at a given concurrency), machine (what the figures were measured on), report (the table,
docs/benchmarks.md and the JSON). scripts/bench.py wires them together.
"""
