#!/usr/bin/env bash
# The whole test suite, RUNS times in a row (3 by default), with two CPU-burning processes beside
# it: the check that no test's outcome depends on the machine being idle.
#
#     bench/stress_suite.sh [RUNS] [pytest args...]
#
# It runs the suite as `make test` does (WORKERS pytest-xdist workers, 4 by default).
#
# Prints each run's result and wall time; exits non-zero if any run failed.  The burners are
# this script's own children and are stopped (by their process ids) when it ends.
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-3}
shift || true
make install >/dev/null
burners=()
for _ in 1 2; do
  python3 -c 'while True: pass' &
  burners+=($!)
done
trap 'kill "${burners[@]}" 2>/dev/null' EXIT
failed=0
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s)
  if .venv/bin/python -m pytest -q -rs -p no:cacheprovider -n "${WORKERS:-4}" --dist worksteal \
      --durations=20 "$@" >"/tmp/newsbot-stress-$run.log" 2>&1; then
    result=passed
  else
    result=FAILED
    failed=1
  fi
  echo "run $run: $result in $(( $(date +%s) - start )) s (log: /tmp/newsbot-stress-$run.log)"
  tail -1 "/tmp/newsbot-stress-$run.log"
done
exit "$failed"
