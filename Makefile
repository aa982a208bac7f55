# The developer's entry points. `make test` is the README's test command and what CI runs.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo

.PHONY: test setup lint rust-test wasm-check examples bench run

## Every test: formatting, lints, Rust unit/integration/property/doc tests, the wasm32
## build of the core, and the examples run as a user would.
test: setup lint rust-test wasm-check examples
	@echo "make test: all checks passed"

## Installs what a fresh machine lacks (idempotent).
setup:
	@./.ci/setup

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test:
	$(CARGO) test --workspace

## cit-core must build for the browser: pure, no I/O, no threads.
wasm-check:
	$(CARGO) build -p cit-core --release --target wasm32-unknown-unknown

## The README's examples, run as a user would; each must succeed and print its result.
examples:
	$(CARGO) run --release --example quote_territory -- --province BS | grep -q "Entrate annue: .*€ 265.758,64"
	$(CARGO) run --release --example quote_territory -- --province AV --csv | grep -c "^064" | grep -qx 118
	$(CARGO) run --release --example quote_one -- examples/tariffs/bs-2015.json 2016 \
	  '{"id": "017029", "name": "Brescia", "kind": "comune", "abitanti": 189902, "imprese": 21500}' \
	  | grep -q '"total":"39988.24"'
	$(CARGO) run --release --example annual_cycle | grep -q "^Totale .*€ 2.585,81 .*€ 2.310,41 .*€ 337,77"

## The main job.
run:
	$(CARGO) run --release --example quote_territory -- --province BS

## Benchmarks (criterion); figures in the README's Performance section.
bench:
	$(CARGO) bench --bench quote
