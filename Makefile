# framelens — run `make help` for the targets.
GO      ?= go
BIN     := bin/framelens
OUT     ?= out
VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
# Benchmarks: -benchtime and which packages; see docs/PERFORMANCE.md.
BENCHTIME ?= 1x

.PHONY: help build run test test-short test-beam build-beam vet docs bench bench-un bench-peers notebook-check wheel python-check clean fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## build bin/framelens
	$(GO) build -o $(BIN) ./cmd/framelens

# make run CORPUS=speeches.jsonl GROUP=party COMPARE="Democratic:Republican Whig:rest" SEED=42 OUT=out/sotu
# (COMPARE is a space-separated list: group names in it cannot hold spaces).
CORPUS  ?=
GROUP   ?=
COMPARE ?=
SEED    ?=
RUN_FLAGS = $(if $(CORPUS),--corpus $(CORPUS)) $(if $(GROUP),--group-column $(GROUP)) \
	$(foreach c,$(COMPARE),--compare $(c)) $(if $(SEED),--seed $(SEED))

run: build ## analyse a corpus into $(OUT): the built-in sample, or CORPUS= GROUP= COMPARE= SEED=
	./$(BIN) run --out $(OUT) $(RUN_FLAGS)

# The race detector on the packages that run goroutines (pools, ordered maps,
# writers, one long document's chunks), and on the concurrency tests of the
# tokenizer, the key-phrase extractor and the pipeline (several workers,
# shards, a long document's steps side by side): about 2 CPU-minutes.
# (The whole tokenizer and key-phrase suites under -race: 6 CPU-minutes more.)
RACE_PKGS ?= ./output/... ./stages/compare ./stages/entities ./stages/frames ./stages/internal/par ./stages/topics ./stages/vectorize
RACE_RUN  ?= TestConcurrent|TestRunIsByteIdenticalAcrossRunsAndWorkers|TestShardsAndMergeEqualSingleRun|TestBlocksOutOfOrderEqualRun|TestLongSection|TestStepsTogetherAsInTurn

test: ## all Go tests (unit, evaluation gates on ../shared, end to end), then the race detector on the concurrent packages
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) test -count=1 -race $(RACE_PKGS)
	$(GO) test -count=1 -race -run '$(RACE_RUN)' ./stages/tokenize ./stages/keyphrases ./pipeline

# The Apache Beam runner (beam/, a Go module of its own so that the core
# module's go.sum and binary stay free of Beam): its tests run the pipeline
# on the in-process prism runner — no Docker, no Java, no network once the
# modules are downloaded — and compare its tables with framelens run's.
BEAM_TIMEOUT ?= 30m
test-beam: ## the Beam runner's tests on prism, in process (beam/; docs/distributed.md)
	cd beam && $(GO) vet ./... && $(GO) test -count=1 -timeout $(BEAM_TIMEOUT) ./...

build-beam: ## build bin/framelens-beam (docs/distributed.md)
	cd beam && $(GO) build -o ../bin/framelens-beam ./cmd/framelens-beam

# The quick loop while editing: -short skips the end-to-end pipeline tests
# that run the whole pipeline many times, and the evaluation gates that
# tokenise whole data sets. `make test` runs everything.
test-short: ## the Go tests without the slow end-to-end and evaluation ones (go test -short)
	$(GO) test -short ./...

vet:
	$(GO) vet ./...

docs: build ## regenerate docs/tables.md (from output/tables.go) and the key tables of docs/config.md (from pipeline/configdoc.go)
	./$(BIN) schema --markdown > docs/tables.md
	./$(BIN) config --markdown --update docs/config.md

# Speed targets are measured on the whole UN corpus (FRAMELENS_BENCH_DOCS=0); set
# FRAMELENS_BENCH_DOCS=1000 for a quick look.
FRAMELENS_BENCH_DOCS ?= 0
export FRAMELENS_BENCH_DOCS

bench: ## benchmarks: every stage, and whole runs of the UN corpus on 1 and 2 workers (~15 min; see docs/PERFORMANCE.md)
	$(GO) test -p 1 -run '^$$' -bench . -benchtime $(BENCHTIME) -benchmem ./...

bench-un: ## only the batch-run benchmark on the whole UN corpus (1 and 2 workers, ~8 min)
	$(GO) test -run '^$$' -bench RunUNGDC -benchtime 1x ./pipeline

bench-peers: ## TF-IDF and topic models side by side with scikit-learn and gensim (Python venv)
	bash bench/peers/run.sh

$(PYTHON): requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $(PYTHON)

notebook-check: run $(PYTHON) ## run the example notebook (with the Python package) and the Python table checks
	$(PYTHON) -m pytest -q examples/tests
	FRAMELENS_PREBUILT=$(abspath $(BIN)) $(PYTHON) -m pip install --quiet ./python
	$(PYTHON) examples/run_notebook.py examples/notebooks/compare_framing.ipynb

# Fuzzing: every Fuzz target of FUZZPKGS, one after the other, FUZZTIME each
# (list in docs/errors.md). Inputs that fail are kept under the
# package's testdata/fuzz/ and replayed by `make test`.
FUZZTIME ?= 60s
FUZZPROCS ?= 1
FUZZPKGS ?= ./corpus ./stages/clean ./stages/frames ./stages/tokenize ./pipeline

fuzz: ## run each fuzz target for FUZZTIME (default 60s; FUZZPROCS workers)
	@set -e; for pkg in $(FUZZPKGS); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -parallel $(FUZZPROCS) $$pkg; \
	  done; \
	done

wheel: ## a wheel of the Python package carrying a static binary for this platform, in dist/ (needs Go)
	rm -rf python/build
	python3 -m pip wheel --no-deps --wheel-dir dist ./python

# The package's tests run in a venv made afresh each time, so that they see
# only what `pip install ./python` installs (pins: requirements-dev.txt).
# The binary is bin/framelens (FRAMELENS_PREBUILT): `pip install ./python`
# without it compiles its own, which is what users do.
PYCHECK ?= .venv-pycheck
python-check: build ## install the Python package into a fresh venv and run its tests (python/tests)
	rm -rf $(PYCHECK)
	python3 -m venv $(PYCHECK)
	$(PYCHECK)/bin/python -m pip install --quiet --upgrade pip
	FRAMELENS_PREBUILT=$(abspath $(BIN)) $(PYCHECK)/bin/python -m pip install --quiet "./python[test]" -c requirements-dev.txt
	$(PYCHECK)/bin/python -m pytest -q python/tests

clean:
	rm -rf bin $(OUT) dist python/build python/framelens/bin $(PYCHECK)
