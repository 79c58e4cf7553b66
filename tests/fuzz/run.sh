#!/bin/sh
# run.sh - build the libFuzzer target with clang and fuzz the compile
# pipeline for SECONDS (default 600), seeded with every .sm the project
# has and a few 64 KB hostile inputs, with the language's keywords as a
# dictionary (sm.dict). An input that takes over 5 s or 1 GB of RSS is
# a finding (-timeout, -rss_limit_mb), like a crash: compile time and
# memory must stay bounded on any input up to -max_len (64 KB). Crash
# reproducers land in BUILD_DIR/fuzz-artifacts/; minimise them
# (-minimize_crash=1) and move them into tests/fuzz/corpus/.
# Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
set -eu
secs=${1:-600}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$src/build-p-fuzz}
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=Debug -DSMCC_FUZZ=ON -DSMCC_MYSQL=OFF \
  -DSMCC_BENCH=OFF -DSMCC_EXAMPLES=OFF \
  -DCMAKE_C_FLAGS="-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$build" -j2 --target fuzz_compile
work=$build/fuzz-corpus
mkdir -p "$work" "$build/fuzz-artifacts"
# Seeds of the shapes that once took minutes and gigabytes: a line of
# stray bytes, unclosed and duplicate machines, duplicate states.
python3 - "$work" <<'PY'
import sys
n = 65536
for name, unit in [("dollars", "$"), ("unclosed", "machine m {\n"),
                   ("dups", "machine m { initial final state a; }\n"),
                   ("states", ", a")]:
    text = ("machine m { state a" if name == "states" else "") + unit * n
    open("%s/hostile_%s" % (sys.argv[1], name), "w").write(text[:n])
PY
seeds=$(find "$src/tests/golden" "$src/tests/diag" "$src/examples" \
  "$src/tests/fuzz/corpus" -name '*.sm' 2>/dev/null | xargs -r dirname |
  sort -u)
cd "$build"
exec "$build/tests/fuzz/fuzz_compile" -max_total_time="$secs" \
  -max_len=65536 -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
  -dict="$src/tests/fuzz/sm.dict" \
  -artifact_prefix="$build/fuzz-artifacts/" "$work" $seeds
