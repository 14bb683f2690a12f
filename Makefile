# TermScore for Word. Two commands matter:  make run   (the product)   and   make test   (everything).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 3000
URL     ?= https://localhost:$(PORT)
STAMP   := $(VENV)/.installed

.PHONY: run test setup system-deps node-deps pytest nodetest bench eval train manifest cert clean lint load fuzz

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	bash deploy/install-system-deps.sh

node_modules/.installed: package.json
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch node_modules/.installed

node-deps: node_modules/.installed

cert: deploy/certs/localhost.pem

deploy/certs/localhost.pem:
	mkdir -p deploy/certs
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
	  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	  -keyout deploy/certs/localhost-key.pem -out deploy/certs/localhost.pem 2>/dev/null

manifest: $(STAMP)
	$(BIN)/python manifest/build.py $(URL)

## run: set up, create a dev certificate and the manifest, review the sample, serve API + pane over HTTPS
## (through gunicorn with deploy/gunicorn.conf.py, the deployment's settings; only bind and TLS differ)
run: $(STAMP) cert
	$(BIN)/python manifest/build.py $(URL)
	$(BIN)/python -m addin_server review
	$(BIN)/python -m addin_server serve --port $(PORT) --cert deploy/certs/localhost.pem --key deploy/certs/localhost-key.pem

## test: set up everything (Python, system and npm packages) and run every test
test: $(STAMP) system-deps node-deps pytest nodetest

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

nodetest: node-deps
	PYTHON=$(abspath $(BIN)/python) node --test tests/pane/

## bench: server-side review speed on 1,500 and 15,000 paragraphs, and .docx review + redline
bench: $(STAMP)
	$(BIN)/python bench/bench_review.py
	@if [ -f bench/bench_docx.py ]; then $(BIN)/python bench/bench_docx.py; fi

## eval: accuracy on the real contracts in ../shared/corpus
eval: $(STAMP)
	$(BIN)/python -m addin_server.evaluation

## train: refit the clause model on ../shared/corpus (after any change to the clause patterns in addin_server/playbook/clauses/)
train: $(STAMP)
	$(BIN)/python -m addin_server.evaluation.train

load: $(STAMP)
	$(BIN)/python bench/load.py

## fuzz: the fuzzers (OpenAPI, JSON mutations, .docx mutations) and the reproducers of what they found
fuzz: $(STAMP)
	$(BIN)/python -m pytest -q tests/deploy/test_fuzz.py tests/deploy/test_json_fuzz.py tests/docx/test_docx_fuzz.py \
	  tests/engine/test_diff.py tests/engine/test_scaling.py tests/engine/test_budget.py tests/api/test_api.py \
	  tests/docx/test_docx_hardening.py tests/deploy/test_chunked_body.py tests/deploy/test_slow_clients.py \
	  tests/deploy/test_no_contract_on_disk.py

lint: $(STAMP)
	$(BIN)/python -m ruff check addin_server tests || true

clean:
	rm -rf $(VENV) node_modules artifacts .pytest_cache
