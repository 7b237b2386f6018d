# Quick start: `make run` and `make test`. Both set everything up first.
PY      := .venv/bin/python
STAMP   := .venv/.installed

.PHONY: setup run test lint bench fuzz wheelhouse offline-install clean image image-lock image-test image-verify

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh

run: setup
	bash scripts/run.sh

lint: setup
	$(PY) -m ruff check ceremony ui testkit tests bench
	$(PY) -m ruff format --check ceremony ui testkit tests bench
	$(PY) -m mypy

test: setup
	bash scripts/start-cups.sh
	$(PY) -m ruff check ceremony ui testkit tests bench
	$(PY) -m ruff format --check ceremony ui testkit tests bench
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

fuzz: setup
	CEREMONY_FUZZ_EXAMPLES=100000 $(PY) -m pytest -q tests/test_fuzz.py tests/test_fuzz_vault_responses.py -p no:cacheprovider
	mkdir -p build/fuzz && $(PY) -m tests.atheris_fuzz -runs=100000 -artifact_prefix=build/fuzz/

wheelhouse: setup
	bash scripts/wheelhouse.sh

# The ceremony live image (docs/ceremony-image.md). Heavy: not part of `make test`.
image: setup
	bash image/build.sh

image-lock: setup
	UPDATE_LOCK=1 bash image/build.sh

image-verify: setup
	bash image/verify.sh

image-test:
	$(PY) image/test_image.py build/ceremony-live.iso

clean:
	rm -rf .venv build wheelhouse .mypy_cache .pytest_cache .ruff_cache
