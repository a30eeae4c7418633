# Two commands set everything up on a fresh machine (see README.md):
#   make serve   installs, migrates, loads the demo meeting and serves http://127.0.0.1:8000/
#   make test    installs (including Chromium and axe-core for the browser tests) and runs every test
# DATABASE_URL picks the database for both (SQLite in the project folder by default).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: serve test lint format install browser-deps tex-deps superuser sample-data bench bench-smoke soak wrk clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed: run make with PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

install: $(INSTALLED)

serve: $(INSTALLED)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py loaddata demo
	@# Fixtures load without edit history; give each record its first version once.
	$(BIN)/python manage.py populate_history --auto
	$(BIN)/python manage.py runserver 127.0.0.1:8000

superuser: $(INSTALLED)
	$(BIN)/python manage.py createsuperuser

# Chromium from Debian (Playwright's own browser download cannot work here) and axe-core from npm.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests (needs root)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

# biber and biblatex-apa check our BibTeX as LaTeX users run it (tests/papers/test_bibtex.py;
# without them those tests skip and say why). About 470 MB from Debian.
TEX_PACKAGES := biber texlive-bibtex-extra texlive-latex-recommended texlive-plain-generic lmodern poppler-utils
tex-deps:
	@command -v biber >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
		&& [ -f /usr/share/texlive/texmf-dist/tex/latex/biblatex-apa/apa.dbx ] || { \
		echo "Installing biber, biblatex-apa and pdftotext for the BibTeX tests (needs root)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(TEX_PACKAGES) >/dev/null; }

test: $(INSTALLED) browser-deps tex-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The load benchmark (README, "Performance and benchmark"): gunicorn + PostgreSQL on 127.0.0.1,
# wrk from Debian. `bench` is the full run at scale 1 with the scale plot (~15 min the first
# time, while it builds its databases); `bench-smoke` is the few-minute check CI runs.
BENCH_ARGS ?=

$(VENV)/.installed-bench: pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark (needs root)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: $(VENV)/.installed-bench wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-smoke: $(VENV)/.installed-bench wrk
	$(BIN)/python -m bench --smoke $(BENCH_ARGS)

# Readers and an API writer for 30 s; fails on any error, stale page or lost write (README).
SOAK_ARGS ?=

soak: $(VENV)/.installed-bench wrk
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles artifacts .pytest_cache .ruff_cache
