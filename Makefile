# Two entry points: `make demo` (a German PDF) and `make test` (the whole suite).
# Both set up a fresh Debian 12 machine: system libraries, .venv, fonts.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
APT_PKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
TEST_APT_PKGS := poppler-utils chromium

.PHONY: demo test system test-system venv test-venv fonts lint typecheck unit clean

demo: venv fonts
	@$(BIN)/pipeline render --lang de

test: venv test-venv test-system fonts lint typecheck unit

# System libraries WeasyPrint needs, and gettext (msgcat writes every catalog).
system:
	@missing=$$(for p in $(APT_PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

test-system: system
	@missing=$$(for p in $(TEST_APT_PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: system $(BIN)/python
	@$(BIN)/pip install -q -e . 2>&1 | grep -v -e '^WARNING: Location' || true

test-venv: venv
	@$(BIN)/pip install -q -e '.[test]' 2>&1 | grep -v -e '^WARNING: Location' || true

# Instance the variable font into four static styles once per font version (cached).
fonts: venv
	@$(BIN)/python -c "from pipeline import fonts; fonts.faces()"

lint:
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
