#!/usr/bin/env bash
# Benchmarks fmpolicy in a release build on the generated 100,000-case caseload
# (shared/bench/gen_cases.py -n 100000 --seed 1). Prints a Markdown table for docs/performance.md.
#
#   scripts/benchmark.sh [N]        N cases (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
work="${TMPDIR:-/tmp}/fmpolicy-bench"
mkdir -p "$work"
gen=../shared/bench/gen_cases.py
[ -f "$gen" ] || { echo "needs $gen (the shared/ folder beside the repository)" >&2; exit 2; }

# One static executable, as a release for a jobcenter's machines would be (docs/performance.md,
# "Start-up"): loading shared libraries took more than half of a single check as a fresh process.
# The linker warns that glibc's user, host and `dlopen` functions would need its shared
# libraries at run time; fmpolicy calls none of them.
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-static >/dev/null
bin=.build-static/release/fmpolicy
cases="$work/cases-$n.jsonl"
if [ ! -s "$cases" ]; then python3 "$gen" -n "$n" --seed 1 --staff "$work/staff.json" > "$cases"; fi
mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$cases")
cores=$(nproc)

# One measured run: wall seconds and peak resident memory (KiB), best of three.
measure() {
  local best_s="" best_kb=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || true
    read -r s kb < <(tail -n 1 "$work/time")   # time prints "Command exited …" first on exit 1
    if [ -z "$best_s" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$s" "$best_s"; then
      best_s=$s; best_kb=$kb
    fi
  done
  echo "$best_s $best_kb"
}

row() {  # label, seconds, KiB
  python3 - "$@" "$n" "$mb" <<'PY'
import sys
label, s, kb, n, mb = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
print(f"| {label} | {s:.2f} s | {n / s:,.0f} cases/s | {mb / s:,.0f} MB/s | {kb / 1024:.0f} MiB |")
PY
}

echo "| run | wall time | cases/s | MB/s | peak memory |"
echo "| --- | --- | --- | --- | --- |"
for jobs in 1 "$cores"; do
  read -r s kb < <(measure "$bin" check "$cases" --policy hannover --staff "$work/staff.json" --jobs "$jobs" --output "$work/out.jsonl")
  row "check, hannover, --jobs $jobs" "$s" "$kb"
done
if "$bin" report --help > /dev/null 2>&1; then
  for jobs in 1 "$cores"; do
    read -r s kb < <(measure "$bin" report "$cases" --policy hannover --staff "$work/staff.json" --format json --jobs "$jobs")
    row "report, hannover, --jobs $jobs" "$s" "$kb"
  done
fi

# A single case as a fresh process: median of 20 runs.
head -n 1 "$cases" > "$work/one.json"
python3 - "$bin" "$work/one.json" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(20):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "check", sys.argv[2], "--policy", "hannover", "--format", "json"], stdout=subprocess.DEVNULL)
    runs.append(time.perf_counter() - t)
print(f"\nsingle case as a fresh process (check --policy hannover): median {statistics.median(runs) * 1000:.1f} ms "
      f"over 20 runs (min {min(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms)")
PY
