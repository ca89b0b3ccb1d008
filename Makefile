# Socialplan: `make run` plans the example brief offline; `make test` runs the test suite; `make eval` prints the archetype scoreboard.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/acme-analytics.yaml

.PHONY: run test test-fast eval check bench bench-web bench-retrieval clean venv

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@out="$$($(BIN)/socialplan plan $(EXAMPLE) --offline)" && echo "$$out" && \
	  echo "plan written to: $$(echo "$$out" | tail -n 1)"

# pytest-xdist: one worker per core and one more, as many tests wait on a CLI process, a server or a browser
# (2 cores: 3 workers took 284-333 s where 2 took 311-353 s); tests marked xdist_group stay on one worker, and
# the tests marked slow start first (tests/conftest.py).
WORKERS := $(shell $(PY) -c 'import os; print((os.cpu_count() or 1) + 1)')
PYTEST_PARALLEL ?= -n $(WORKERS) --dist loadgroup

test: $(STAMP)
	ORT_DISABLE_TELEMETRY=1 $(BIN)/python -m pytest $(PYTEST_PARALLEL)

test-fast: $(STAMP)
	ORT_DISABLE_TELEMETRY=1 $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow"

eval: $(STAMP)
	ORT_DISABLE_TELEMETRY=1 $(BIN)/python -m tests.eval.scoreboard

check: $(STAMP)
	$(BIN)/ruff check agent tests bench scripts
	$(BIN)/mypy

bench: $(STAMP)
	ORT_DISABLE_TELEMETRY=1 $(BIN)/python bench/throughput.py

bench-web: $(STAMP)
	ORT_DISABLE_TELEMETRY=1 $(BIN)/python bench/web_load.py

bench-retrieval: $(STAMP)
	$(BIN)/python bench/retrieval.py

clean:
	rm -rf $(VENV) outputs .pytest_cache .mypy_cache .ruff_cache
