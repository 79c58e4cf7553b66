#!/bin/sh
# run.sh - build the libFuzzer target with clang and fuzz the compile
# pipeline for SECONDS (default 600), seeded with every .sm the project
# has, with the language's keywords as a dictionary (sm.dict). Crash
# reproducers land in BUILD_DIR/fuzz-artifacts/; minimise
# them (-minimize_crash=1) and move them into tests/fuzz/corpus/.
# Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
set -eu
secs=${1:-600}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$src/build-p-fuzz}
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=Debug -DSMCC_FUZZ=ON -DSMCC_MYSQL=OFF \
  -DSMCC_BENCH=OFF -DSMCC_EXAMPLES=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$build" -j2 --target fuzz_compile
work=$build/fuzz-corpus
mkdir -p "$work" "$build/fuzz-artifacts"
seeds=$(find "$src/tests/golden" "$src/tests/diag" "$src/examples" \
  "$src/tests/fuzz/corpus" -name '*.sm' 2>/dev/null | xargs -r dirname |
  sort -u)
cd "$build"
exec "$build/tests/fuzz/fuzz_compile" -max_total_time="$secs" \
  -max_len=4096 -print_final_stats=1 -dict="$src/tests/fuzz/sm.dict" \
  -artifact_prefix="$build/fuzz-artifacts/" "$work" $seeds
