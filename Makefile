# The two commands of the README:
#   make demo      run the demo on the embedded default (SQLite, demo ledger, outbox)
#   make test-all  the whole test suite, installing what it needs
export PATH := $(PATH):/usr/local/go/bin

.PHONY: demo test test-all bench build
# A static binary (no cgo: the SQLite and PostgreSQL drivers are pure Go)
# starts in half the time, which counts for one process per document.
build:
	CGO_ENABLED=0 go build -o bin/dunner ./cmd/dunner

demo: build
	./bin/dunner demo

test:
	go test ./...

test-all:
	./scripts/test-all.sh

bench:
	./scripts/bench-ledger.sh
