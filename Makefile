# One venv, built once from pyproject.toml; every target below uses it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-fast test-sweep bench derive clean

# compiled modules (and pytest's rewritten test modules) are cached between runs even where the
# shell asks Python not to write bytecode: a fast loop that recompiles 200 files each time is not fast
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# the gate against the embedded reference target, whatever VAPI_BASE_URL a shell left behind, for
# each list operation of today's API, each with its own verdict and reports (reports/campaign,
# reports/v2-campaign); exits with the first failing run's code once both have run
# (extra options: make run RUN_ARGS="--profile nightly")
run: $(STAMP)
	@status=0; \
	for op in campaign v2/campaign; do \
	  env -u VAPI_BASE_URL $(BIN)/vapi-contract run --operation "GET /$$op" --report-dir "reports/$$(echo $$op | tr / -)" $(RUN_ARGS) \
	    || { code=$$?; [ $$status = 0 ] && status=$$code; }; \
	done; exit $$status

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not sweep"

# what make test samples (tests/sampling.py: every data seed, every fault of each catalogue) and the
# catalogue-wide fingerprint sweeps: 192 tests, about 10 minutes on 2 cores, run with the benchmarks
test-sweep: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal -m sweep

# the fast loop: unit tests only (no suite run end to end, no browser, no slow property search); under a minute
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not e2e and not browser and not slow" -q

bench: $(STAMP)
	$(BIN)/python benchmarks/validation.py
	$(BIN)/python benchmarks/target.py
	$(BIN)/python benchmarks/specdiff.py

derive: $(STAMP)
	$(BIN)/vapi-contract derive --from ../shared/docs/vapi-openapi.2026-08-18.json

clean:
	rm -rf $(VENV) .ci-venv-noextras reports/*.json reports/*.html reports/*.xml reports/campaign reports/v2-campaign
