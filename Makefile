# The two commands of README.md, and the steps they are made of.
# CI sets CI=true: the build then treats warnings as errors (preset "ci").
PRESET ?= $(if $(filter true,$(CI)),ci,dev)
JOBS   ?= $(shell nproc)

FUZZ_SECONDS ?= 600

.PHONY: deps configure build run test test-unit test-integration fuzz-build fuzz asan-build asan release bench deb clean

deps:
	scripts/install-deps.sh

configure: deps
	cmake --preset $(PRESET) >/dev/null

build: configure
	cmake --build --preset $(PRESET) -j $(JOBS)

# The trap on 127.0.0.1:2525 for example.test, storing into ./var.
run: build
	mkdir -p var
	@echo "the console: http://127.0.0.1:8025/"
	build/spampot serve --config spampot.example.toml --listen 127.0.0.1:2525 --domain example.test \
	  --db sqlite:var/spampot.db --spool var/spool --sensor dev --web 127.0.0.1:8025

# The fuzz targets run for a bounded time first, then the whole suite under ASan and UBSan; the
# plain build's summary comes last.
test: build fuzz-build asan-build
	ctest --preset fuzz -j $(JOBS)
	ctest --preset asan -j $(JOBS)
	ctest --preset $(PRESET) -j $(JOBS)

test-unit: build
	ctest --preset $(PRESET) -L unit -j $(JOBS)

test-integration: build
	ctest --preset $(PRESET) -L integration -j $(JOBS)

# libFuzzer targets (clang, ASan, UBSan); `make fuzz FUZZ_SECONDS=3600` runs each that long.
fuzz-build: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)

fuzz: fuzz-build
	cmake -DSPAMPOT_FUZZ_SECONDS=$(FUZZ_SECONDS) build-fuzz >/dev/null
	ctest --preset fuzz -j $(JOBS)
	cmake -DSPAMPOT_FUZZ_SECONDS=20 build-fuzz >/dev/null

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan-build: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

asan: asan-build
	ctest --preset asan -j $(JOBS)

# spampot against smtp-sink and a Python aiosmtpd honeypot, loopback only: bench/results/LATEST.md.
bench: release
	bench/run.py

release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

# The Debian package, built by dpkg-buildpackage and checked by lintian: build-deb/spampot_*.deb.
deb: deps
	scripts/make-deb.sh

clean:
	rm -rf build build-asan build-release build-fuzz build-deb
