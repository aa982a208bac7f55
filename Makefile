# The developer's entry points. `make test` is the README's test command and what CI runs.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo

VENV ?= .venv
PY := $(VENV)/bin/python

FUZZ_SECONDS ?= 300

.PHONY: schema types types-check fuzz test setup lint rust-test wasm-check wasm-build wasm-test wasm-bench examples bench run python-wheel python-test

## Every test: formatting, lints, Rust unit/integration/property/doc tests, the wasm32
## build of the core, the Python and WebAssembly packages, and the examples run as a user would.
test: setup lint types-check rust-test wasm-check python-test wasm-test examples
	@echo "make test: all checks passed"

## The JSON Schema of every document and output, generated from the core's types
## (cit_core::schema); committed, and `make test` fails when it is stale (tests/schema.rs).
schema:
	$(CARGO) run --quiet -p cit-core --example schema > schema/cit.schema.json

## The bindings' type declarations of every type of schema/cit.schema.json, generated from it
## (run after `make schema`): TypeScript by json-schema-to-typescript (cit-wasm/scripts/types.mjs
## → cit-wasm/src/types.generated.d.ts), Python TypedDicts by datamodel-code-generator
## (cit-py/scripts/generate_types.py → cit-py/python/cit/_types_generated.py). Committed;
## `make test` fails when either differs from what the schema generates (types-check).
types:
	node cit-wasm/scripts/types.mjs
	$(PY) cit-py/scripts/generate_types.py

types-check:
	mkdir -p target/types
	node cit-wasm/scripts/types.mjs target/types/types.generated.d.ts
	$(PY) cit-py/scripts/generate_types.py target/types/_types_generated.py
	cmp cit-wasm/src/types.generated.d.ts target/types/types.generated.d.ts || { echo "cit-wasm/src/types.generated.d.ts is stale: run make types" >&2; exit 1; }
	cmp cit-py/python/cit/_types_generated.py target/types/_types_generated.py || { echo "cit-py/python/cit/_types_generated.py is stale: run make types" >&2; exit 1; }

## Installs what a fresh machine lacks (idempotent).
setup:
	@./.ci/setup

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --quiet

rust-test:
	python3 tests/vectors/generate.py --check
	python3 tests/vectors/generate_services.py --check
	python3 tests/vectors/generate_governance.py --check
	python3 tests/vectors/generate_simulation.py --check
	python3 tests/vectors/generate_pagopa.py --check
	python3 tests/bad-input/generate.py --check
	python3 examples/data/generate_anpr.py --check
	$(CARGO) test --workspace

## The Python package: build the abi3 wheel with maturin, install it in .venv (as a user
## would: no editable shortcut), run pytest against it and mypy --strict on the examples.
## The store's tests start their own PostgreSQL server (cit-py/tests/pg_server.py): here
## they must run, never be skipped.
python-wheel:
	rm -rf target/wheels
	$(VENV)/bin/maturin build --release --quiet -m cit-py/Cargo.toml -o target/wheels
	$(PY) -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/cit-*.whl

python-test: python-wheel
	cd cit-py/tests && CIT_REQUIRE_POSTGRES=1 ../../$(PY) -m pytest -q -p no:cacheprovider
	$(PY) -m mypy --strict --no-incremental examples/python
	cd target && ../$(PY) -m mypy.stubtest cit._cit && ../$(PY) -m mypy --strict --no-incremental -p cit

## cit-core must build for the browser: pure, no I/O, no threads.
wasm-check:
	$(CARGO) build -p cit-core --release --target wasm32-unknown-unknown

## The WebAssembly package (cit-wasm/package.json): cargo --profile wasm, wasm-bindgen, wasm-opt -O1 -s 1;
## the full build in cit-wasm/pkg, the quota-only build (cit-wasm/quota) in cit-wasm/pkg/quota.
wasm-build:
	npm --prefix cit-wasm run build

## The package's type declarations checked by tsc against a typed usage file
## (cit-wasm/test/types-usage.ts), node tests against the built package (with the Python
## package's outputs compared in shape: python-test installs it), then the calculator
## (examples/web) end to end in headless Chromium (playwright-core, Debian's chromium);
## screenshots in examples/web/screenshot*.png (git-ignored).
wasm-test: wasm-build
	cd cit-wasm && node_modules/.bin/tsc --noEmit --strict --module nodenext --target esnext test/types-usage.ts
	cd cit-wasm && CIT_PYTHON=../$(PY) node --test test/
	cd cit-wasm && node --test e2e/

## Node timing of the package: all 7.904 comuni (figures in the README).
wasm-bench: wasm-build
	node benches/wasm/quote_all.mjs

## The README's examples, run as a user would; each must succeed and print its result.
examples:
	$(CARGO) run --release --example quote_territory -- --province BS > target/quote_territory_bs.txt
	grep -x "Conteggi: residenti ANPR al 10/01/2024; la tariffa li chiede al 31/12/2013" target/quote_territory_bs.txt > /dev/null
	grep "^STIMA: quote calcolate con conteggi non alla data della tariffa (R-CAP)" target/quote_territory_bs.txt > /dev/null
	grep "Entrate annue (stima): .*€ 272.049,04" target/quote_territory_bs.txt > /dev/null
	$(CARGO) run --release --example quote_territory -- --province BS --data istat2011 | grep "Entrate annue (stima): .*€ 265.758,64" > /dev/null
	if $(CARGO) run --release --example quote_territory -- --province BS --strict-counts > /dev/null 2> target/quote_territory_strict.txt; then exit 1; fi
	grep "counts are as of 2024-01-10, but tariff .bs-2015. takes them as of 2013-12-31 (R-CAP)" target/quote_territory_strict.txt > /dev/null
	$(CARGO) run --release --example quote_territory -- --province AV --csv | grep -c "^064.*,residenti ANPR al 10/01/2024,2024-01-10,2013-12-31,true$$" | grep -x 118 > /dev/null
	$(CARGO) run --release --example quote_territory -- --province AV --data istat2011 --csv | grep -c "^064" | grep -x 118 > /dev/null
	$(CARGO) run --release --example quote_territory -- --province TP --csv | grep "^081025,Misiliscemi,TP,8473,847,.*,residenti ANPR al 10/01/2024,2024-01-10,2013-12-31,true$$" > /dev/null
	$(CARGO) run --release --example quote_territory -- --province ALL --csv | grep -c "^[0-9]" | grep -x 7900 > /dev/null
	$(CARGO) run --release --example quote_one -- examples/tariffs/bs-2015.json 2016 \
	  '{"id": "017029", "name": "Brescia", "kind": "comune", "abitanti": 189902, "imprese": 21500}' \
	  | grep '"total":"39988.24"' > /dev/null
	$(CARGO) run --release --example tavolo | grep "la quota 2027 di Brescia .*€ 25.000,00" > /dev/null
	$(PY) examples/python/simulate_adesioni.py --png target/simulate_adesioni.png > target/simulate_adesioni.txt
	grep -x "Conteggi: residenti ANPR al 10/01/2024; la tariffa li chiede al 31/12/2017" target/simulate_adesioni.txt > /dev/null
	grep -x "Probabilità che le entrate coprano € 75.000,00: 2,66% (stima)" target/simulate_adesioni.txt > /dev/null
	$(PY) examples/python/simulate_adesioni.py --data istat2011 --png target/simulate_adesioni_2011.png | grep "coprano € 75.000,00: 15,46% (stima)" > /dev/null
	$(CARGO) run --release --example simulate | grep "costo annuo di € 75.000,00: 17,08%" > /dev/null
	$(CARGO) run --release --example annual_cycle -- --journal target/annual_cycle_journal.json | grep "^Totale .*€ 2.585,81 .*€ 2.310,41 .*€ 337,77" > /dev/null
	cmp target/annual_cycle_journal.json tests/vectors/annual_cycle_journal.json
	$(CARGO) run --release --example pagopa -- --out target/pagopa | grep -x "Riconciliazione: 3 pagamenti registrati, 1 revoca, 1 IUV sconosciuto" > /dev/null
	$(PY) examples/python/dask_sweep.py > target/dask_sweep.txt
	grep -x "Conteggi: residenti ANPR al 10/01/2024 (comuni-anpr-2024.csv); le tariffe li chiedono: bs-2015 al 31/12/2013, av-2018 al 31/12/2017, cit-graduated-2026 al 31/12/2026" target/dask_sweep.txt > /dev/null
	grep "^Italia  *7.900  *€ 12.517.850,04  *€ 14.911.546,00  *€ 11.648.555,37$$" target/dask_sweep.txt > /dev/null
	grep "^bs-2015  *1  *4.238,8  *€ 9.637.155,72 .* 79,65%$$" target/dask_sweep.txt > /dev/null
	grep -x "Verifica: 23.700 quote e 9 simulazioni del cluster identiche al calcolo in un solo processo" target/dask_sweep.txt > /dev/null
	$(PY) examples/python/books.py --fresh target/books.db | grep "Giornale verificato: 25 eventi, catena integra" > /dev/null
	$(PY) examples/python/pagopa.py --out target/pagopa-py | grep -x "Riconciliazione: 3 pagamenti registrati, 1 revoca, 1 IUV sconosciuto" > /dev/null

## Fuzzing (not part of `make test`): each cargo-fuzz target for FUZZ_SECONDS, new inputs
## in target/fuzz-corpus (the seed corpus in cit-core/fuzz/corpus stays as committed).
## Needs `cargo install --locked cargo-fuzz`; RUSTC_BOOTSTRAP lets stable Rust take the
## sanitizer flags cargo-fuzz passes.
fuzz:
	for t in tariff_json quote registry_replay flow; do \
	  mkdir -p target/fuzz-corpus/$$t; \
	  (cd cit-core && RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz $$t ../target/fuzz-corpus/$$t fuzz/corpus/$$t -- -max_total_time=$(FUZZ_SECONDS)) || exit 1; \
	done

## The main job.
run:
	$(CARGO) run --release --example quote_territory -- --province BS

## Benchmarks (criterion); figures in the README's Performance section. The registry bench
## replays journals of about 2.000, 20.000 and 200.000 events (CIT_BENCH_EVENTS=2000,20000
## picks the sizes); memory per event: `cargo run --release --example registry_journal --
## --events 200000`; Python against Rust: `$(PY) benches/python/bench_registry.py`.
bench:
	$(CARGO) bench --bench quote
	$(CARGO) bench --bench simulate
	$(CARGO) bench --bench registry
	$(CARGO) bench --bench pagopa
