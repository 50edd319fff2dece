# FAO Assistant. The README names two commands: `make run` and `make test`; each sets itself up.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
MODEL := models/fao-assistant.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(shell find data bot/nlu bot/knowledge knowledge -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) 2>/dev/null)
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: help run test train setup clean operator cluster fuzz bench content-report

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: $(MODEL) ## set up, train if needed, start the whole assistant (Ctrl-C stops it)
	scripts/setup_web.sh --no-browser
	$(PY) -m bot.launcher

test: $(MODEL) ## set up, train if needed, run the whole test suite
	scripts/setup_web.sh
	scripts/setup_cluster.sh
	scripts/test.sh

cluster: $(MODEL) ## production profile on this machine: 2 Rasa + 2 action servers behind nginx, PostgreSQL, Redis
	scripts/setup_cluster.sh
	$(PY) -m bot.cluster

fuzz: $(MODEL) ## hostile-input fuzz of every service: 2,000 messages + malformed requests (~3 min)
	$(PY) scripts/fuzz.py --messages 2000

bench: $(MODEL) ## train ours and the stock-Rasa baseline, measure both, write docs/benchmarks.md (~25 min)
	scripts/setup_web.sh --no-browser
	$(PY) scripts/bench.py

content-report: $(STAMP) ## list answers for the office to review: policy ending within 60 days or ended, sources over 3 years old, unverified
	$(PY) scripts/content_report.py

operator: $(STAMP) ## add a hotline operator account: make operator NAME=wang
	$(PY) -m bot.web.operators add $(NAME)

train: $(MODEL) ## train the model if its inputs changed

setup: $(STAMP) ## create .venv and install the pinned dependencies

$(STAMP): requirements.txt requirements.lock scripts/setup.sh scripts/find_python.sh
	scripts/setup.sh

$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	scripts/train.sh

clean: ## remove the trained model and run-time state (keeps .venv)
	rm -rf models var .rasa results
