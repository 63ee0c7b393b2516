# One entry point for every job: the same targets run on a laptop and in CI.
# `make serve` and `make test` set everything up on a fresh machine.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Silence MkDocs' banner about MkDocs 2.0 (see ../shared/guides/tooling-facts.md).
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help serve build preview test test-cost check check-external check-properdocs lint register bench bench-web release serve-versions lock clean snapshots host-check quality-report

help:
	@echo "make serve   build the site and show it on http://127.0.0.1:8000 (reloads on change)"
	@echo "make build   build the site into site/ and stop on any warning"
	@echo "make preview PR=7  build pull request 7's preview (for its own address) into build/preview/pr-7"
	@echo "make test    run every test"
	@echo "make test-cost  what each test costs in processor time (build/test-cost.txt)"
	@echo "make check   build, then check links, published addresses and readability"
	@echo "make snapshots  write again what a screen reader hears on each page (tests/screen-reader/)"
	@echo "make register  add new pages to published-urls.txt"
	@echo "make release VERSION=1.1   publish a version to the gh-pages branch"
	@echo "make approval-pack         the approving clinician's pack (HTML and PDF in approval-pack/)"
	@echo "make approve BY=\"Name, role\"  record the clinician's approval of this exact text"
	@echo "make serve-versions        show every published version on http://127.0.0.1:8001"
	@echo "make host-check  serve the published site with hosting/nginx.conf and check it (needs nginx)"
	@echo "make quality-report        the PIF TICK's ten criteria: what the repository shows, what is missing"
	@echo "make lock    update requirements.txt after editing the dependencies in pyproject.toml"

# A .venv linked or copied from another checkout would run that checkout's
# code: when .venv is not this checkout's own, the set-up runs again, says so
# and makes a new one.
ifneq ($(shell bash scripts/setup-venv.sh --is-ours "$(VENV)" && echo ours),ours)
.PHONY: $(STAMP)
endif
$(STAMP): requirements.txt requirements-reference.txt pyproject.toml scripts/setup-venv.sh
	@bash scripts/setup-venv.sh "$(PYTHON)" "$(VENV)"
	@touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict --clean --site-dir site

# A pull request's preview, as the preview workflow builds it: for its own
# address (pr-preview/pr-N/ under site_url), marked as a draft on every page,
# hidden from search engines. COMMIT defaults to this checkout's HEAD. The
# last line printed is the folder it is in.
preview: $(STAMP)
	@test -n "$(PR)" || { echo "Say which pull request: make preview PR=7"; exit 1; }
	@$(BIN)/python scripts/preview.py build --pr "$(PR)" $(if $(COMMIT),--commit "$(COMMIT)") $(if $(OUT),--out "$(OUT)")

# The Node.js tools (accessibility engines for the tests, Lighthouse for
# bench-web) from tools/node/package-lock.json. No browser download: they use
# the system Chromium.
NODE_TOOLS := tools/node/node_modules/.installed
$(NODE_TOOLS): tools/node/package-lock.json
	@command -v npm >/dev/null || { echo "Install Node.js 20 or newer first: apt-get install nodejs npm"; exit 1; }
	cd tools/node && PUPPETEER_SKIP_DOWNLOAD=1 CHROMEDRIVER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --ignore-scripts --silent
	@# The MDN HTTP Observatory's install script downloads the HSTS preload
	@# list (skipped above: nothing is fetched at test time); an empty list
	@# means no host is taken as preloaded, which the leaflet's host is not.
	echo '{}' > tools/node/node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json
	@touch $@

# One worker a core: both cores are busy the whole run (sampled every second)
# and a third worker only added its own Chromium. Measured on 2 cores, the
# whole suite, turn about in the same session (issue 29): 2 workers 284, 308
# and 328 s using 511, 566 and 601 CPU-s; 3 workers 274, 305, 378 and 323 s
# using 580, 580, 727 and 611 CPU-s. Again once the suite was faster: 2
# workers 205 and 227 s using 377 and 410 CPU-s (184% and 180% of the
# cores); 3 workers 214 and 221 s using 418 and 428 CPU-s (195%, 193%).
# One test at a time to each worker (--maxschedchunk 1): by default each
# starts with a block of 45 tests in a row, so the slow ones (first in the
# order, tests/conftest.py) all ran on one worker, one after the other.
# Before the tests, the check, the lint and the Node.js tools' install run two
# at a time, each one's output kept together (--output-sync): check and lint
# took 8.1-8.9 s one after the other and 5.7-6.0 s side by side (fresh
# clone, no mypy cache; issue 29), and on a new machine the Node.js tools
# install while the Python packages do.
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target check lint $(NODE_TOOLS)
	$(BIN)/python -m pytest -n 2 --maxschedchunk 1

# What each test costs in processor time, one test at a time (about 5
# minutes on 2 cores): build/test-cost.txt, by test file and by test, for
# deciding which checks the cores spend their time on (tests/cost_plugin.py).
test-cost: $(STAMP) $(NODE_TOOLS)
	PYTHONPATH=tests $(BIN)/python -m pytest -q -p cost_plugin

# Writes again what a screen reader hears on each page (tests/screen-reader/),
# after a change to it that is meant; commit the files it lists.
snapshots: $(STAMP)
	UPDATE_SNAPSHOTS=1 $(BIN)/python -m pytest -q -p no:randomly tests/test_screen_reader.py

# Builds strictly (explaining build errors in plain words), then checks.
check: $(STAMP)
	$(BIN)/python scripts/check.py --build

# The same build and check with ProperDocs, the maintained fork of MkDocs 1.x
# (pinned in requirements.txt), so the project can switch in a day.
check-properdocs: $(STAMP)
	LEAFLET_PDF=off $(BIN)/properdocs build --strict --clean --site-dir site-properdocs
	$(BIN)/python scripts/check.py --site site-properdocs

# Workflow and Markdown lint (also run by `make test`).
# Workflows, Markdown, and the Python: ruff everywhere, mypy strict on the
# leaflet package (settings in pyproject.toml).
lint: $(STAMP)
	$(BIN)/actionlint
	$(BIN)/ruff check scripts overrides tests
	$(BIN)/mypy
	$(BIN)/pymarkdown --config .pymarkdown.json scan docs

# Fetches external links (with a timeout, retries and a cache): for a scheduled job.
check-external: build
	$(BIN)/python scripts/check.py --external

# Adds the addresses of new pages to published-urls.txt (never removes one).
register: build
	$(BIN)/python scripts/check.py --update-register

# requirements.txt from the dependencies in pyproject.toml (every extra),
# pinned with hashes; versions already in it stay unless pyproject asks otherwise.
lock:
	$(PYTHON) -m venv /tmp/pip-tools-venv && /tmp/pip-tools-venv/bin/pip install -q pip-tools==7.6.2
	/tmp/pip-tools-venv/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --all-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	/tmp/pip-tools-venv/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements-reference.txt requirements-reference.in

clean:
	rm -rf site site-properdocs .pytest_cache

# Times the build, the check and lychee on synthetic 10, 100 and 1,000-page sites.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --json bench.json

# Page weight and Lighthouse scores of the site as `make release` publishes it
# (into a throwaway repository), served by nginx (apt-get install
# nginx-light) on 127.0.0.1; Lighthouse 12.2.3 comes from the npm lock file.
bench-web: $(STAMP) $(NODE_TOOLS)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { echo "Install nginx first: apt-get install nginx-light"; exit 1; }
	$(BIN)/python scripts/bench_web.py

# hosting/nginx.conf checked as a hospital would run it: two versions
# published into a throwaway repository, served by nginx over HTTPS (a
# throwaway certificate authority), every response checked, and the MDN HTTP
# Observatory's grades (as root: it reaches ports 80 and 443 only). Also part
# of `make test` when nginx is installed. The last line gives the grades.
host-check: $(STAMP) $(NODE_TOOLS)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { echo "Install nginx first: apt-get install nginx-light"; exit 1; }
	@rm -f build/observatory.txt
	$(BIN)/python -m pytest -p no:randomly -rs tests/test_hosting.py
	@cat build/observatory.txt 2>/dev/null || echo "MDN HTTP Observatory not run: see the skipped tests above"

# Publishes version VERSION to the local gh-pages branch (never pushes).
# FORCE=1 replaces a version that is published already.
release: $(STAMP)
	@test -n "$(VERSION)" || { echo "Say which version: make release VERSION=1.1"; exit 1; }
	$(BIN)/python scripts/release.py $(VERSION) $(if $(FORCE),--force)

# The pack for the clinician who approves this version, in approval-pack/ (not
# in git): every source sentence beside the site's, new clinical sentences to
# approve, word changes since the published version, readability, the
# questions the source leaves open, and a sign-off block. Needs Chromium.
# Records a clinician's approval of this version's text, bound to that text:
# approved_by, approved_on and the fingerprint in docs/changelog.yml, and the
# text itself in approvals/VERSION.txt. Any later change to what patients
# read makes the version a draft again until it is approved again.
.PHONY: approve
approve: $(STAMP)
	@test -n "$(BY)" || { echo 'Say who approved the text: make approve BY="Dr A Jones, Consultant radiologist"'; exit 1; }
	$(BIN)/python scripts/approve.py --by "$(BY)" $(if $(VERSION),--version "$(VERSION)")

.PHONY: approval-pack
approval-pack: $(STAMP)
	$(BIN)/python scripts/approval_pack.py

# The quality report (quality-report/, not in git): the ten criteria of the
# PIF TICK, each with what the repository shows and what is missing, as an
# HTML page and as Markdown for a pull request's summary. Builds first, for
# the readability figures.
quality-report: build
	$(BIN)/python scripts/quality_report.py

# Serves every published version from the gh-pages branch on http://127.0.0.1:8001
serve-versions: $(STAMP)
	$(BIN)/mike serve --dev-addr 127.0.0.1:8001
