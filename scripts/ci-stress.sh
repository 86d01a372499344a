#!/usr/bin/env bash
# The suite as CI runs it, many times over: each run clones this repository's committed HEAD
# into a fresh temporary folder and runs `bash .ci/run` there (npm ci, then npm test). Every
# second run has a CPU-heavy process beside it (a busy loop on one core), as when another job
# shares the runner. One line per run goes to the log: pass/fail, exit code, seconds, load.
# Not part of `npm test`: ten runs take well over an hour on a 2-core machine.
#
#   scripts/ci-stress.sh [-n RUNS] [-b even|all|none] [-l LOG] [-k] [-c COMMAND]
#     -n RUNS     how many runs (default 10)
#     -b WHICH    the runs with the busy loop beside them: even (2, 4, 6 …; default), all, none
#     -l LOG      the summary log (default ci-stress-<UTC time>.log in the current folder); each
#                 run's full output goes beside it as <LOG>.run<i>.out
#     -k          keep each run's clone (default: removed after the run, they hold node_modules)
#     -c COMMAND  run this in each clone instead of `bash .ci/run` (to try the script itself)
set -uo pipefail

runs=10
log="$PWD/ci-stress-$(date -u +%Y%m%dT%H%M%SZ).log"
keep=0
command='bash .ci/run'
beside_runs=even
while getopts 'n:b:l:kc:' opt; do
  case "$opt" in
    n) runs="$OPTARG" ;;
    l) log="$(realpath -m "$OPTARG")" ;;
    k) keep=1 ;;
    b) beside_runs="$OPTARG" ;;
    c) command="$OPTARG" ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
case "$beside_runs" in even | all | none) ;; *) echo "ci-stress: -b 应为 even、all 或 none (which runs get the busy loop), got \"$beside_runs\"" >&2; exit 2 ;; esac
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "ci-stress: -n 应为正整数 (the number of runs), got \"$runs\"" >&2
  exit 2
fi

repo="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
commit="$(git -C "$repo" rev-parse HEAD)"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "ci-stress: 注意：未提交的修改不在克隆中 (uncommitted changes are not in the clones; testing $commit)" >&2
fi

hog=''
stop_hog() {
  if [ -n "$hog" ]; then
    kill "$hog" 2>/dev/null
    wait "$hog" 2>/dev/null
    hog=''
  fi
}
trap 'stop_hog' EXIT
trap 'stop_hog; exit 130' INT TERM

printf '# ci-stress %s: %s runs of `%s` on %s (%s cores), commit %s\n' "$(date -u +%FT%TZ)" "$runs" "$command" "$(hostname)" "$(nproc)" "$commit" >>"$log"
printf '# run\tstarted (UTC)\tbeside\tresult\texit\tseconds\tload avg at end\n' >>"$log"
passed=0
for ((i = 1; i <= runs; i++)); do
  work="$(mktemp -d "${TMPDIR:-/tmp}/ncms-ci-stress-XXXXXX")"
  out="$log.run$i.out"
  beside=none
  if [ "$beside_runs" = all ] || { [ "$beside_runs" = even ] && ((i % 2 == 0)); }; then
    # One core kept busy for the whole run (the machine's other work comes on top).
    bash -c 'while :; do :; done' &
    hog=$!
    beside='busy-loop'
  fi
  started="$(date -u +%FT%TZ)"
  t0=$SECONDS
  {
    git clone --quiet --no-hardlinks "$repo" "$work/repo" && git -C "$work/repo" checkout --quiet "$commit" && (cd "$work/repo" && bash -c "$command")
  } >"$out" 2>&1
  code=$?
  seconds=$((SECONDS - t0))
  stop_hog
  result=$([ "$code" = 0 ] && echo pass || echo FAIL)
  [ "$code" = 0 ] && passed=$((passed + 1))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$started" "$beside" "$result" "$code" "$seconds" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$log"
  echo "ci-stress: run $i/$runs $result in ${seconds}s ($beside) — $out" >&2
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "ci-stress: kept $work" >&2; fi
done
printf '# %s of %s runs passed\n' "$passed" "$runs" >>"$log"
echo "ci-stress: $passed of $runs runs passed; summary in $log" >&2
[ "$passed" = "$runs" ]
