#!/usr/bin/env bash
# Builds the libFuzzer targets (-sanitize=fuzzer,address) and runs each for N seconds.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: policy-source case-reader check (default: all)
#
# Crashes, timeouts and out-of-memory inputs land in .build-fuzz/findings/TARGET/; copy each one
# into Tests/Fuzz/TARGET/ (the test suite replays that folder) and fix it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(policy-source case-reader check)

# The libraries, compiled with the fuzzer and address sanitizer instrumentation. SwiftPM's own
# link of executables renames `main`, which clashes with libFuzzer's, so the targets are
# linked here with swiftc and lld.
swift build -c release --scratch-path .build-fuzz --product PolicyRuntime -Xswiftc -sanitize=fuzzer,address >/dev/null 2>&1 || true
r=.build-fuzz/x86_64-unknown-linux-gnu/release
ls "$r"/PolicyRuntime.build/*.o >/dev/null   # the objects must be there even if the library link failed
mkdir -p .build-fuzz/bin

name() { case "$1" in policy-source) echo FuzzPolicySource ;; case-reader) echo FuzzCaseReader ;; check) echo FuzzCheck ;; esac; }

for t in "${targets[@]}"; do
  n=$(name "$t")
  swiftc -O -sanitize=fuzzer,address -DFUZZING -parse-as-library -I "$r/Modules" "Fuzz/$n/$n.swift" \
    "$r"/PolicyRuntime.build/*.o "$r"/PolicyLang.build/*.o -use-ld=lld -o ".build-fuzz/bin/$t"
  corpus=".build-fuzz/corpus/$t"
  mkdir -p "$corpus" ".build-fuzz/findings/$t"
  # Seeds: the shipped policies and diagnostics goldens, or the examples and golden cases.
  if [ "$t" = policy-source ]; then
    cp policies/*.fm Tests/Errors/policies/*.fm "$corpus/"
  else
    cp examples/*/*.json Tests/Errors/cases/*.json "$corpus/"
    find Tests/Golden -name '*.json' ! -name '*.expected.json' -exec cp {} "$corpus/" \;
  fi
  [ -d "Tests/Fuzz/$t" ] && cp "Tests/Fuzz/$t"/* "$corpus/" 2>/dev/null || true
  echo "== $t: $seconds s"
  # detect_leaks=0, for libFuzzer and for ASan's own check at exit: Swift keeps class
  # references inside multi-payload enums with tag bits that LeakSanitizer cannot follow, so it
  # reports reachable memory as leaked. Growth is bounded by -rss_limit_mb and
  # -malloc_limit_mb instead, which stop the run like a crash would.
  ASAN_OPTIONS=detect_leaks=0 FMPOLICY_FUZZ_POLICIES=policies ".build-fuzz/bin/$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -detect_leaks=0 \
    -artifact_prefix=".build-fuzz/findings/$t/" -print_final_stats=1 2>&1 | tee ".build-fuzz/$t.log" | grep -E "^#[0-9]+[[:space:]]*(DONE|INITED)|stat::|ERROR|SUMMARY" || true
done
