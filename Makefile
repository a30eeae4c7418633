# Two commands set everything up on a fresh machine (see README.md):
#   make serve   installs what serving needs, migrates, loads the demo meeting into an empty
#                archive (never over an edit), serves http://127.0.0.1:8000/ (or PORT=, HOST=)
#   make test    installs the test extras too (and Chromium and axe-core) and runs every test
# DATABASE_URL picks the database for both (SQLite in the project folder by default).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test lint format install messages gettext-deps translations browser-deps tex-deps redis-server superuser sample-data bench bench-smoke soak wrk clean \
	stack-deps prod prod-stop prod-status soak-server soak-stack

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed: run make with PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The test and benchmark extras (pytest, playwright, schemathesis; matplotlib for the
# benchmark's own tests) only for `make test`, not for serving.
$(INSTALLED_TEST): pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

install: $(INSTALLED) messages

# The French, Dutch and German catalogues (locale/*/LC_MESSAGES/django.po), and English's own
# (every message as written), compiled for Django.
# After changing a translatable string: `make translations`, translate what it marks, then commit.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
messages: $(MO_FILES)
EN_CATALOGUE := locale/en/LC_MESSAGES/django.po

locale/%.mo: locale/%.po | gettext-deps
	msgfmt --check-format --output-file=$@ $<

gettext-deps:
	@command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || { \
		echo "Installing GNU gettext for the translations (needs root)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

translations: $(INSTALLED) gettext-deps
	$(BIN)/python manage.py makemessages --all --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench
	@# English, the source language, prints each message as written (msgen copies every msgid):
	@# with a catalogue of its own, an English page finds its strings at once instead of
	@# searching every other catalogue for each of them.
	msgattrib --clear-fuzzy --empty --clear-previous --output-file=$(EN_CATALOGUE) $(EN_CATALOGUE)
	msgen --output-file=$(EN_CATALOGUE) $(EN_CATALOGUE)

serve: $(INSTALLED) messages
	$(BIN)/python manage.py migrate --no-input
	@# Into an empty archive only: an archive with any record is left as it is.
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

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


# The cache-outage tests and `make soak` start a redis-server of their own (never the shared one).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
		echo "Installing Debian's redis-server for the cache-outage tests (needs root)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

test: $(INSTALLED_TEST) messages browser-deps tex-deps redis-server stack-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED_TEST)
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

# The soak (README, "Load with a concurrent writer"): readers and an API writer for 30 s, failing
# on any error, stale page or lost write. `soak` runs it twice: against one gunicorn with Redis
# cut for 4 s midway (its own redis-server behind a loopback proxy) and a backup taken during the
# writes that must restore; then through the production stack (nginx, two app servers, a
# replica) with slowloris clients. `soak-server` and `soak-stack` run one half each.
SOAK_ARGS ?=

soak: soak-server soak-stack

soak-server: $(VENV)/.installed-bench wrk redis-server
	$(BIN)/python -m bench.soak --backup $(SOAK_ARGS)

soak-stack: $(VENV)/.installed-bench wrk stack-deps
	$(BIN)/python -m bench.stack_soak $(SOAK_ARGS)

# The production stack on this machine (README, "Production stack"): nginx, two gunicorn app
# servers, Redis, a PostgreSQL primary and its streaming replica, all on 127.0.0.1, from
# Debian's packages. Needs SECRET_KEY and STACK_DB_PASSWORD in the environment (or .env).
# The tests of the replica and of two app servers start the same programs (tests/deploy/).
STACK_PACKAGES := nginx redis-server postgresql
BROTLI_PACKAGES := libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static

stack-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && command -v redis-server >/dev/null 2>&1 \
		&& ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "Installing Debian's $(STACK_PACKAGES) for the production stack (needs root)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(STACK_PACKAGES) >/dev/null; }
	@[ -f /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] \
		|| ! apt-cache show libnginx-mod-http-brotli-filter >/dev/null 2>&1 \
		|| DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			$(BROTLI_PACKAGES) >/dev/null

prod: $(INSTALLED) stack-deps
	$(BIN)/python -m deploy.stack start

prod-stop: $(INSTALLED)
	$(BIN)/python -m deploy.stack stop

prod-status: $(INSTALLED)
	$(BIN)/python -m deploy.stack status

clean:
	rm -rf $(VENV) node_modules staticfiles artifacts .pytest_cache .ruff_cache
