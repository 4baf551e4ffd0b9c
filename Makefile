# HOLR — local commands. GNU make; needs Python 3.11+ as `python3`.
#
#   make run          set up .venv, migrate, load the demo content, serve on http://127.0.0.1:8000/
#   make test         set up .venv with the test tools, make sure Chromium, nginx, Varnish and the Nu HTML checker are there, run the whole suite
#   make lint         ruff check and ruff format --check (CI runs it first)
#   make format       rewrite the tree as ruff format wants it
#   make bench        the benchmark table (bench/run.py; ARGS=--quick for a 30-second run)
#   make bench-editing  readers' hit ratio and req/s while editors save (bench/editing.py; PostgreSQL + Redis)
#   make messages     refresh locale/*/LC_MESSAGES/django.po from the code and compile the .mo (needs gettext)
#   make screenshots  regenerate docs/home.png, docs/article.png, docs/article-mobile.png, docs/article-figures.png
#   make loadtest     64 readers against gunicorn, quiet, then while 3 editors draft, edit and publish (needs wrk)
#   make clean        remove caches and collected static files (keeps .venv and db.sqlite3)
#
# Pass extra pytest arguments with PYTEST_ARGS, e.g. `make test PYTEST_ARGS="-m browser -x"`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev
PYTEST_ARGS ?=

.PHONY: run test lint format messages screenshots chromium nginx varnish vnu wrk clean bench bench-editing loadtest

run: $(RUNTIME_STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	DJANGO_DEBUG=1 $(PY) manage.py rebuild_search_index
	DJANGO_DEBUG=1 $(PY) manage.py create_local_admin
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(DEV_STAMP) chromium nginx varnish vnu
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Translations (docs/translation.md): the languages to refresh, e.g. `make messages LOCALES="fr de"`.
# The compiled .mo files are committed, so running the site or the tests needs no gettext.
LOCALES ?= fr
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'docs/*' \
	--ignore 'staticfiles/*' --ignore 'media/*'
messages: $(RUNTIME_STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { echo "Needed: GNU gettext (sudo apt-get install -y gettext)" >&2; exit 1; }
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --no-obsolete $(MESSAGES_IGNORE) $(foreach locale,$(LOCALES),--locale $(locale))
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages $(MESSAGES_IGNORE) $(foreach locale,$(LOCALES),--locale $(locale))

screenshots: $(DEV_STAMP) chromium
	$(PY) docs/screenshots.py

# Extra options with LOADTEST_ARGS, e.g. LOADTEST_ARGS="--duration 30 --database-url postgres://…".
LOADTEST_ARGS ?=
loadtest: $(DEV_STAMP) wrk
	$(PY) bench/load.py $(LOADTEST_ARGS)

# The virtualenv, and one stamp per requirements file: pip runs again only when
# a requirements file is newer than its stamp (or the venv is new).
$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

# Debian packages the tests and benchmarks drive: Chromium and its driver (browser tests,
# screenshots), nginx (tests/test_deploy.py runs deploy/nginx/holr.conf), Varnish with
# vmod xkey (tests/test_cdn_purge.py runs deploy/varnish.vcl), wrk (bench, loadtest). Installed when we are root or have passwordless sudo; otherwise the one
# command to run is printed.
APT_INSTALL = \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(1); \
	elif sudo -n true 2>/dev/null; then \
		sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $(1); \
	else \
		echo "Needed: Debian packages $(1). Install them with:" >&2; \
		echo "" >&2; \
		echo "    sudo apt-get install -y $(1)" >&2; \
		echo "" >&2; \
		exit 1; \
	fi

chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
		echo "Installing Chromium and chromedriver (apt packages chromium, chromium-driver)..."; \
		$(call APT_INSTALL,chromium chromium-driver); }

# Only the binary is needed: the test runs its own nginx on loopback. (Installing the
# package may start Debian's default site where a service manager runs; the test does not need it.)
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		echo "Installing nginx (apt package nginx)..."; $(call APT_INSTALL,nginx); }

# Varnish and vmod xkey: about 1 MB to download, 3 MB installed (varnishd compiles VCL with
# gcc, which Debian's varnish package depends on). The test runs its own varnishd on loopback.
varnish:
	@{ command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ]; } \
		&& ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || { \
		echo "Installing Varnish and vmod xkey (apt packages varnish, varnish-modules)..."; \
		$(call APT_INSTALL,varnish varnish-modules); }

# The Nu HTML checker (tests/test_html_validity.py): vnu.jar from npm, pinned in package.json and
# package-lock.json, run by Debian's Java. --ignore-scripts: vnu-jar's install script would fetch a Java.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Java (apt package default-jre-headless)..."; \
		$(call APT_INSTALL,default-jre-headless); }

$(VNU_JAR): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Installing npm (apt package npm)..."; $(call APT_INSTALL,npm); }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

wrk:
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (apt package wrk)..."; $(call APT_INSTALL,wrk); }

clean:
	rm -rf .pytest_cache staticfiles
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# The benchmark (bench/run.py): gunicorn + wrk against whatever DATABASE_URL names.
# `make bench ARGS=--quick` for a 30-second run; fill a database first with
# `manage.py populate --articles 100000` (see README "Benchmarks").
ARGS ?=
bench: $(DEV_STAMP) wrk
	$(PY) bench/run.py $(ARGS)

# The editing scenario (bench/editing.py, issue 12): phases of readers while editors work,
# on the PostgreSQL and Redis that DATABASE_URL and REDIS_URL name; an empty database is
# filled with `populate` first. Options with ARGS, e.g. `make bench-editing ARGS="--phase 30"`.
bench-editing: $(DEV_STAMP) wrk
	$(PY) bench/editing.py $(ARGS)
