#!/usr/bin/env bash
# Mutation testing of the core library (rnnviz/*.py; not ui/, plots/, words/) with mutmut, one worker (MUTMUT_CHILDREN=2 for two).
# Slow (README, "Mutation testing"), so not in CI. The configuration is [tool.mutmut] in pyproject.toml:
# the core's test files, with the browser tests deselected and every test that starts the app through
# AppTest skipped (RNNVIZ_CORE_TESTS_ONLY=1, tests/conftest.py). One torch thread: a worker forked from
# a process whose OpenMP pool has started can hang until its time limit (counted as a timeout).
# Usage: bench/mutation.sh [mutant-name globs, e.g. "rnnviz.packing.*"]
# then:  .venv/bin/mutmut results | show NAME | browse;  .venv/bin/python bench/mutation_report.py -v
set -euo pipefail
cd "$(dirname "$0")/.."
export RNNVIZ_CORE_TESTS_ONLY=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
start=$(date +%s)
if ! .venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-1}" "$@"; then
  echo "mutmut failed; if the stats run failed, its pytest output is hidden: run the tests in mutants/ with" >&2
  echo "  cd mutants && MUTANT_UNDER_TEST=stats RNNVIZ_CORE_TESTS_ONLY=1 ../.venv/bin/python -m pytest -x <the files>" >&2
  exit 1
fi
end=$(date +%s)
.venv/bin/python bench/mutation_report.py "$((end - start))"
