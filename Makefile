# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RUN_PACKAGES := gdal-bin libsqlite3-mod-spatialite python3-venv
TEST_PACKAGES := $(RUN_PACKAGES) postgresql-15-postgis-3 chromium gettext
AUDIT_PACKAGES := $(TEST_PACKAGES) default-jre-headless nodejs npm
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
TEST_ENV := SECURE_SSL_REDIRECT=0 SECRET_KEY=tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz

.PHONY: help run test lint bench load audit deploy-test coverage messages system-run system-test system-audit install

help:
	@echo "make run   install what is missing, migrate, load the demo data, serve on http://127.0.0.1:8000"
	@echo "make test  install, then lint + migrations check + the suite on PostGIS and on SpatiaLite"
	@echo "make lint  ruff check, ruff format --check, the apps' import contract (import-linter), the English strings"
	@echo "make bench a national-scale directory on a throwaway PostGIS: every public page timed, as a table;"
	@echo "           then the FINESS and RPPS imports on 100 MB and 1 GB extractions (time, memory)"
	@echo "make load  the same data served by gunicorn (2 workers) under locust: req/s, p50, p99, errors"
	@echo "make deploy-test  deploy/ as shipped: nginx (TLS, self-signed) in front of gunicorn on a throwaway PostGIS"
	@echo "make coverage  the suite on SpatiaLite under coverage: lines run, by module"
	@echo "make audit every public page through the W3C Nu validator, axe-core (375 and 1280 px) and Lighthouse"

# apt-get only for the Debian packages that are missing, so a second run costs a dpkg query.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

system-run:
	$(call apt_install,$(RUN_PACKAGES))

system-test:
	$(call apt_install,$(TEST_PACKAGES))

# SpatiaLite is a SQLite extension: the venv needs a Python whose sqlite3 can load extensions
# (Debian's /usr/bin/python3 can; pyenv builds often cannot).
$(VENV)/.installed: pyproject.toml
	@python=$$(for p in /usr/bin/python3 python3.11 python3; do \
	  command -v $$p >/dev/null && $$p -c "import sqlite3, venv; sqlite3.connect(':memory:').enable_load_extension(True)" 2>/dev/null && { echo $$p; break; }; \
	done); \
	[ -n "$$python" ] || { echo "No Python 3.11+ whose sqlite3 can load extensions (install Debian's python3)."; exit 1; }; \
	[ -x $(PY) ] || $$python -m venv $(VENV); \
	$(PY) -m pip install -q --disable-pip-version-check '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: system-run install
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py load_demo --only-if-empty
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	.ci/check-translations

test: system-test install lint
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	@# Both databases at once, one core each; SpatiaLite's report is printed after PostGIS's. Each browser test
	@# runs once: those that check layout in the SpatiaLite half, the others on PostGIS (README, Tests).
	@# Django tests on SQLite run in memory; the file named here is never written.
	@mkdir -p var; \
	$(TEST_ENV) DATABASE_URL=spatialite:///$(CURDIR)/var/tests.sqlite3 $(PY) -m pytest -m "not e2e or layout" > var/spatialite-tests.log 2>&1 & \
	spatialite=$$!; \
	$(TEST_ENV) .ci/with-postgis $(PY) -m pytest -m "not embedded and not layout"; postgis_rc=$$?; \
	wait $$spatialite; spatialite_rc=$$?; \
	echo "--- the same suite on the embedded SpatiaLite database"; cat var/spatialite-tests.log; \
	exit $$(( postgis_rc || spatialite_rc ))

coverage: system-test install
	@mkdir -p var
	$(TEST_ENV) DATABASE_URL=spatialite:///$(CURDIR)/var/tests.sqlite3 $(PY) -m pytest -q --cov --cov-report=term:skip-covered

deploy-test: system-test install
	$(call apt_install,nginx curl openssl)
	.ci/with-postgis $(PY) deploy/check.py

bench: system-test install
	$(TEST_ENV) ALLOWED_HOSTS=127.0.0.1,testserver API_ANON_RATE=1000000/minute .ci/with-postgis bash -c \
	  '$(PY) manage.py collectstatic --no-input -v 0 && $(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py bench --cells 1000000 && $(PY) manage.py bench_restore && $(PY) manage.py bench_registries'

load: system-test install
	$(PY) -m pip install -q --disable-pip-version-check '.[load]'
	$(TEST_ENV) ALLOWED_HOSTS=127.0.0.1 .ci/with-postgis .ci/load

system-audit:
	$(call apt_install,$(AUDIT_PACKAGES))

audit: system-audit install
	$(PY) -m pip install -q --disable-pip-version-check '.[audit]'
	.ci/audit

# After changing an interface string: catalogues rebuilt, French filled in (its strings are their own
# translation), both compiled; new English strings are left empty for a person to translate.
MESSAGES_IGNORE := --ignore='tests/*' --ignore='.venv/*' --ignore='staticfiles/*' --ignore='build/*' --ignore='var/*'
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l en -l fr --no-location $(MESSAGES_IGNORE) -v 0
	@# msgmerge guesses a translation for a new string from a similar old one ("fuzzy"): never trusted here.
	for language in en fr; do msgattrib --clear-fuzzy --empty --no-obsolete -o locale/$$language/LC_MESSAGES/django.po locale/$$language/LC_MESSAGES/django.po; done
	msgen --force-po -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	for language in en fr; do msgfmt --check -o locale/$$language/LC_MESSAGES/django.mo locale/$$language/LC_MESSAGES/django.po; done
