# Two promises on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: venv demo test lint browser-deps clean bench

# --compile-bytecode: the .pyc files are written once here; a process (a test worker, a cold web worker, the
# chart renderer) otherwise compiles every module it imports from source each time it starts whenever
# PYTHONDONTWRITEBYTECODE is set (as on these machines): seconds of CPU per process for SciPy, WeasyPrint, Altair...
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/concord demo

# Browser tests drive Debian's Chromium; install it when it is missing (as root, like CI).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: run 'sudo apt-get install chromium'"; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

test: $(STAMP) browser-deps lint
	$(BIN)/pytest -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python bench/ingest.py --rows 1000000
	$(BIN)/python bench/scorecard.py --rows 1000000
	$(BIN)/python bench/staffing.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
