# Two entry points: `make demo` (a German PDF) and `make test` (the whole suite).
# Both set up a fresh Debian 12 machine: system libraries, .venv, fonts.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
APT_PKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext fonts-noto-core
TEST_APT_PKGS := poppler-utils chromium

.PHONY: demo test system test-system venv test-venv fonts commonmark lint typecheck unit clean

demo: venv fonts
	@$(BIN)/pipeline render --lang de

test: venv test-venv test-system fonts commonmark lint typecheck unit

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

# Instance the text and code faces into four static styles each, once per font version (cached),
# and write the fontconfig file that keeps the machine's fonts out.
fonts: venv
	@$(BIN)/python -c "from pipeline.typeset import fontconfig, fonts; fonts.fallback_faces(); fontconfig.isolate()"

# The CommonMark spec's examples ship in markdown-it-py's sdist: fetched once from PyPI, cached.
CACHE_DIR ?= $(or $(PIPELINE_CACHE_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/pipeline)
commonmark: test-venv
	@version=$$($(BIN)/python -c "from importlib.metadata import version; print(version('markdown-it-py'))"); \
	dest="$(CACHE_DIR)/commonmark"; \
	if [ ! -f "$$dest/markdown_it_py-$$version.tar.gz" ]; then \
	  mkdir -p "$$dest" && $(BIN)/pip download -q --no-deps --no-binary :all: -d "$$dest" "markdown-it-py==$$version"; \
	fi

lint:
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
