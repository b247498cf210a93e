# Two commands: `make run` serves the catalog on the bundled seed, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# torch 2.13.0 has a CPU wheel on these machines; a bare `torch` could pull a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
# Empty: pip's configured index. The Dockerfile takes both as build arguments; tests/deploy keeps its torch
# spec and install steps the same as these.
TORCH_INDEX_URL ?=
IMAGE ?= method-catalog:latest
STAMP := $(VENV)/.installed

.PHONY: run test install lint format browser clean migration image

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(if $(TORCH_INDEX_URL),--index-url "$(TORCH_INDEX_URL)") "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/method-catalog migrate
	$(BIN)/method-catalog ingest
	$(BIN)/method-catalog serve --host $(HOST) --port $(PORT)

# Fast by default; with CI set (as .ci/run's environment has it) the slow browser, load and storm tests run too.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(if $(CI),,-m "not slow")

# The end-to-end tests alone: Playwright driving Debian's /usr/bin/chromium (never a downloaded browser).
browser: $(STAMP)
	$(BIN)/python -m pytest -m slow tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A new Alembic revision generated from the models: make migration m="what changed"
migration: $(STAMP)
	@test -n "$(m)" || { echo 'usage: make migration m="what changed"'; exit 2; }
	$(BIN)/alembic upgrade head
	$(BIN)/alembic revision --autogenerate -m "$(m)"

# The container image (Dockerfile); TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128 for a CUDA build.
image:
	docker build --tag $(IMAGE) --build-arg TORCH_SPEC="$(TORCH_SPEC)" \
		$(if $(TORCH_INDEX_URL),--build-arg TORCH_INDEX_URL="$(TORCH_INDEX_URL)") .

format: $(STAMP)
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache
