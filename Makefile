# crm-fruit: two commands for a fresh Debian machine (Python 3.11 + Node.js)
#   make run    install, create the demo database once, start trytond + cron
#   make test   install, then every test (scripts/test.sh)
# Also: make stop, make serve / serve-stop (Gunicorn on the loopback
# PostgreSQL, docs/deploy.md), make bench, make clean-db, make clean-pg.
# Stamp files keep a second `make run` down to a few seconds.
SHELL := /bin/bash
.DEFAULT_GOAL := run
PYTHON ?= python3
VENV := .venv
STAMPS := var/stamp
SAO := sao/node_modules/tryton-sao

.PHONY: venv sao chromium fonts pdf run stop serve serve-stop test bench lock clean-db clean-pg

venv: $(STAMPS)/venv
sao: $(STAMPS)/sao

# Install Debian packages only when the command is missing (we run as root on
# the team's machines; elsewhere prefix with sudo or install them yourself).
define apt_need
command -v $(1) >/dev/null 2>&1 || { \
	echo "installing Debian package $(2) (for $(1))"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); }
endef

$(STAMPS)/venv: pyproject.toml requirements.lock
	@mkdir -p $(STAMPS)
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -c requirements.lock -e '.[test]'
	touch $@

# Regenerate the pins after changing pyproject.toml dependencies.
lock:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[test]'
	$(VENV)/bin/pip freeze --exclude-editable > requirements.lock

$(STAMPS)/sao: sao/package.json sao/package-lock.json sao/custom.js
	@mkdir -p $(STAMPS)
	@$(call apt_need,npm,npm)
	cd sao && npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error
	# index.html loads node_modules/... relative to itself; npm hoisted them.
	ln -sfn .. $(SAO)/node_modules
	# index.html loads custom.js: our zh_CN completions of the web client.
	ln -sfn ../../custom.js $(SAO)/custom.js
	touch $@

chromium: fonts
	@$(call apt_need,chromium,chromium)

# Without a Chinese font the screenshots of the browser tests and the PDFs of
# the portal show boxes.
fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
		echo "installing Debian package fonts-wqy-zenhei (Chinese font)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei; }

# The portal's PDFs (WeasyPrint, through Tryton's reports) need Pango.
pdf: fonts
	@ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0 ' || { \
		echo "installing Debian package libpango-1.0-0 (for the PDFs)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }

run: venv sao pdf
	bash scripts/run.sh

stop:
	bash scripts/run.sh --stop

# The production WSGI server (Gunicorn workers) on the loopback PostgreSQL.
serve: venv sao pdf
	bash scripts/serve.sh

serve-stop:
	bash scripts/serve.sh --stop

test: venv sao chromium pdf
	bash scripts/test.sh

bench: venv
	bash bench/run.sh

# Drop the demo database (make run recreates it).
clean-db: stop
	rm -f var/db/$${CRM_DB:-crm}.sqlite var/stamp/db-$${CRM_DB:-crm}*

# Stop and remove this checkout's loopback PostgreSQL (scripts/pg.sh).
clean-pg:
	bash -c 'source scripts/pg.sh && pg_destroy'
