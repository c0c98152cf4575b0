# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run test install messages lint e2e clean bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Front-end assets, pinned npm packages checked against their sha512 (scripts/fetch_assets.py),
# each folder with its VERSION stamp; fetched once. Tinos, the PDF font (Times New Roman
# metrics, full Vietnamese); axe-core, the accessibility checks of the browser tests;
# tom-select, the search-as-you-type picker. Offline (exit 75) make carries on and PDFs use
# a fallback serif.
ASSETS := static/vendor/fonts/tinos/VERSION static/vendor/axe-core/VERSION \
	static/vendor/tom-select/VERSION
$(ASSETS) &: scripts/fetch_assets.py
	$(PYTHON) scripts/fetch_assets.py || [ $$? -eq 75 ]

install: $(VENV)/.installed $(ASSETS)

# The Vietnamese catalogue is committed as .po and compiled here (Babel: no system gettext needed).
messages: install
	$(BIN)/pybabel compile --statistics -d locale -D django

run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@# The background worker builds reports too large for a browser request; it stops with
	@# the server (Ctrl-C).
	$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The suite in parallel: one pytest-xdist worker per core (TEST_WORKERS=0: in this process),
# each with its own test database (suffix _gw0, _gw1 ...).
TEST_WORKERS ?= auto
test: messages
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The README's pictures (docs/screenshots/): the browser test that plays the demo's 2024
# writes them as it goes (tests/e2e/test_year.py); needs Chromium and poppler-utils.
# The year-end report's first page is the whole demo's (the test plays one school's year).
SHOTS_DB := sqlite:////tmp/ptdv-screenshots.sqlite3
screenshots: messages
	PTDV_README_SCREENSHOTS=docs/screenshots PTDV_REQUIRE_BROWSER=1 \
		$(BIN)/python -m pytest tests/e2e/test_year.py -n 0 -q -p no:cacheprovider
	rm -f /tmp/ptdv-screenshots.sqlite3
	DATABASE_URL=$(SHOTS_DB) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(SHOTS_DB) $(MANAGE) load_demo >/dev/null
	DATABASE_URL=$(SHOTS_DB) $(MANAGE) build_report year_end --plan 145/KH-HU --year 2024 \
		--output /tmp/ptdv-screenshots.pdf
	PTDV_README_SCREENSHOTS=docs/screenshots DJANGO_SETTINGS_MODULE=config.settings.local \
		$(BIN)/python -c "import django; django.setup(); from pathlib import Path; \
		from tests.e2e.pages import readme_pdf_page as page; \
		page(Path('/tmp/ptdv-screenshots.pdf'), 'year-end-report')"

# Speed is measured here, not in the tests (numbers in docs/benchmarks.md).
bench: messages
	DATABASE_URL=sqlite:////tmp/ptdv-bench.sqlite3 $(BIN)/python bench/dashboard.py
	DATABASE_URL=sqlite:////tmp/ptdv-bench-reports.sqlite3 $(BIN)/python bench/reports.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles static/vendor
	find locale -name '*.mo' -delete
