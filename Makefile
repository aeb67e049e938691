# Two entry points: `make demo` (a German PDF) and `make test` (the whole suite).
# Both set up a fresh Debian 12 machine: system libraries, .venv, fonts.

VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
APT_PKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext fonts-noto-core
TEST_APT_PKGS := poppler-utils chromium

.PHONY: demo test system test-system venv test-venv lock fonts hyphenation commonmark lint typecheck unit clean

demo: venv fonts hyphenation
	@$(BIN)/pipeline render --lang de

test: venv test-venv test-system fonts hyphenation commonmark lint typecheck unit

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

# Exact versions, checked by hash: requirements.lock (what renders) and requirements-test.lock
# (that and the test tools). `make lock` writes both again from pyproject.toml.
# pip's output is shown only when it fails (and then the step fails).
PIP = out=$$($(BIN)/pip install -q $(1) 2>&1) || { echo "$$out"; exit 1; }
# An editable install leaves the package as source: compiled here, as a wheel's install would
# be, every command starts from bytecode, also where Python writes none (PYTHONDONTWRITEBYTECODE).
venv: system $(BIN)/python
	@$(call PIP,--require-hashes -r requirements.lock)
	@$(call PIP,--no-deps -e .)
	@$(BIN)/python -m compileall -q pipeline

test-venv: venv
	@$(call PIP,--require-hashes -r requirements-test.lock)

LOCK_OPTS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock:
	$(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install -q pip-tools
	.lock-venv/bin/pip-compile $(LOCK_OPTS) --output-file requirements.lock pyproject.toml
	.lock-venv/bin/pip-compile $(LOCK_OPTS) --extra test --output-file requirements-test.lock pyproject.toml
	rm -rf .lock-venv

# Instance the text and code faces into four static styles each, once per font version (cached),
# and write the fontconfig file that keeps the machine's fonts out.
fonts: venv
	@$(BIN)/python -c "from pipeline.typeset import fontconfig, fonts; fonts.fallback_faces(); fontconfig.isolate()"

# Finnish and Irish hyphenation: hyph-utf8's patterns, from Debian's texlive-lang-european
# (fetched with apt-get download, unpacked, never installed), made into Pyphen dictionaries once.
hyphenation: venv
	@$(BIN)/python -c "from pipeline.typeset import hyphenation as h; all(map(h.dictionary, h.PATTERNS)) or h.install()"

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

# The property tests replay the same examples every run (CI=1: hypothesis' "ci" profile), so a
# red build means a change broke something; run pytest directly to explore new examples.
unit:
	CI=1 $(BIN)/pytest

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
