#!/usr/bin/env bash
# `make bench`: every benchmark suite, each of which records into
# docs/benchmarks.md's section of the same name. Usage: bench/run.sh [suite...]
# with suites discover, generate, audit, migrate, organization (default all). The numbers depend on
# the machine; docs/benchmarks.md says which one they came from.
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(discover generate audit migrate organization)
for s in "${suites[@]}"; do
	if [ ! -x "bench/$s/run.sh" ]; then
		echo "bench/run.sh: no suite $s (want discover, generate, audit, migrate or organization)" >&2
		exit 2
	fi
	echo "== bench $s"
	"bench/$s/run.sh"
done
