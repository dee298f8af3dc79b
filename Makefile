# Thin wrapper over CMake. `make demo` and `make test` are the two commands of
# the quick start; both run the set-up script first.
JOBS ?= $(shell nproc)
# Tests at twice the cores: most of a test's time is spent waiting (for a
# server, a browser, PostgreSQL, a child process), not computing — at -j2 the
# suite used 0.6 of the 2 cores (528 CPU-s in 864 s); at -j4 707 s, all passing
# (both runs on a machine other builds kept at load 6-12).
TEST_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
BUILD ?= build/release
ASAN_BUILD ?= build/asan
CMAKE ?= cmake

.PHONY: all setup build build-asan demo test test-release test-asan bench fuzz clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)

build-asan: setup
	@$(CMAKE) -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTRUCE_SANITIZE=ON -DTRUCE_CTEST_PER_CASE=OFF >/dev/null
	@$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)

# From a terminal, `make demo` then serves the dashboard on the example at
# http://127.0.0.1:8080/ until Ctrl-C; from a script (stdin not a terminal)
# it stops after printing. DEMO_LISTEN=HOST:PORT serves elsewhere.
DEMO_LISTEN ?= 127.0.0.1:8080
demo: build
	@rm -f build/demo.db build/demo.db-wal build/demo.db-shm
	@if [ -t 0 ]; then serve="--listen $(DEMO_LISTEN)"; else serve=--no-serve; fi; \
	  echo "$(BUILD)/apps/truce demo --db build/demo.db $$serve"; \
	  $(BUILD)/apps/truce demo --db build/demo.db $$serve

# `make test` builds once, Debug with AddressSanitizer and UBSan, and runs every
# test there (unit, scenario, golden CLI); `make test-release` runs them on the
# Release build too.
test: test-asan

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

test-asan: build-asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(TEST_JOBS)

bench: build
	@bash bench/run_all.sh $(BUILD)

# `make fuzz` builds the libFuzzer targets (clang, build/fuzz) and runs each
# for FUZZ_SECONDS (default 60) under nice; FUZZ_TARGETS picks some
# ("acled http"). docs/reliability.md, "Fuzzing".
fuzz: setup
	@bash fuzz/run.sh $(or $(FUZZ_SECONDS),60) $(FUZZ_TARGETS)

clean:
	rm -rf build
