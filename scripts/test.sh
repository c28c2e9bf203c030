#!/usr/bin/env bash
# Installs what is missing, builds (Release) and runs the whole test suite
# with ctest: unit tests, MPI tests at 1, 2 and 3 ranks, app regression tests.
# Extra arguments go to ctest (e.g. -R thermo, -L mpi).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
echo "== running tests"
cd "$build_dir"
ctest --output-on-failure --parallel "$jobs" -LE fuzz "$@"
