#!/usr/bin/env bash
# Runs the whole payhost test suite: the one command the README gives and
# CI runs. Starts the local PostgreSQL server when it is installed and no
# PAYHOST_TEST_POSTGRES_DSN is set, so the PostgreSQL tests run too.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PAYHOST_TEST_POSTGRES_DSN:-}" ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
	if ./scripts/postgres.sh; then
		export PAYHOST_TEST_POSTGRES_DSN="postgres:///payhost_test?host=/var/run/postgresql"
	fi
fi

go test -count=1 -timeout 20m "$@" ./...

# examples/custom-provider is a module of its own (a third-party provider
# written against the SDK alone): ./... does not reach it.
(cd examples/custom-provider && go vet ./... && go test -count=1 -timeout 10m "$@" ./...)
