#!/bin/sh
# run_runtime.sh - build a runtime libFuzzer target with clang and fuzz
# it for SECONDS (default 600): `url` (the MySQL URL parser and every
# entry that takes a URL or options, with a planted password) or
# `metadata` (metadata validation). Seeded with tests/fuzz/corpus_TARGET;
# reproducers land in BUILD_DIR/fuzz-artifacts-TARGET/: minimise them
# (-minimize_crash=1) and commit them to corpus_TARGET/, which the test
# fuzz_replay_TARGET replays in every build.
# Usage: tests/fuzz/run_runtime.sh TARGET [SECONDS] [BUILD_DIR]
set -eu
target=${1:?usage: run_runtime.sh url|metadata [SECONDS] [BUILD_DIR]}
secs=${2:-600}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${3:-$src/build-p-fuzz-runtime}
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=Debug -DSMCC_FUZZ=ON -DSMCC_MYSQL=ON \
  -DSMCC_BENCH=OFF -DSMCC_EXAMPLES=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$build" -j2 --target "fuzz_$target"
work=$build/fuzz-corpus-$target
mkdir -p "$work" "$build/fuzz-artifacts-$target"
cd "$build"
exec "$build/tests/fuzz/fuzz_$target" -max_total_time="$secs" \
  -max_len=4096 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$build/fuzz-artifacts-$target/" "$work" \
  "$src/tests/fuzz/corpus_$target"
