# Targets a newcomer guesses. `make demo` and `make test` are the README's two
# commands; both build what they need first.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE ?= $(shell git show -s --format=%cI HEAD 2>/dev/null)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build test test-short lint tools demo-tools demo bench check clean release release-snapshot

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o apigw2tf ./cmd/apigw2tf

# Engines (tofu, terraform), the stand-in provider and the provider schema
# the stand-in is checked against (npm), into .tools/: what the tests need.
# Each step skips what is already there.
tools:
	tools/build.sh
	internal/standin/testdata/fetch-cdktf.sh

# What the demo needs, with Go alone: OpenTofu and the stand-in provider.
demo-tools:
	tools/build.sh tofu provider

# Everything, under the race detector, end-to-end tests included. The run
# ends with the list of skipped tests and why (tools/testreport); under
# CI=true a test that lacks a tool fails instead of skipping.
test: tools
	set -o pipefail; $(GO) test -race -count=1 -timeout 60m -json ./... | $(GO) run ./tools/testreport

# Unit tests only: no engines needed.
test-short:
	set -o pipefail; $(GO) test -short -count=1 -json ./... | $(GO) run ./tools/testreport

lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

demo: build demo-tools
	./apigw2tf demo

bench: build
	bench/run.sh

check: lint test

# Archives for linux, darwin and windows on amd64 and arm64, an SBOM per
# archive and checksums, into dist/ (docs/install.md). release needs a
# vX.Y.Z tag on HEAD; release-snapshot builds any commit.
release:
	$(GO) run ./tools/release -version $(VERSION) -commit $(COMMIT) -out dist

release-snapshot:
	rm -rf dist
	$(GO) run ./tools/release -snapshot -commit $(COMMIT) -out dist

clean:
	rm -rf apigw2tf apigw2tf-demo dist
