#!/bin/sh
# check_exports.sh BUILD_DIR SOURCE_DIR CC - install BUILD_DIR into a
# fresh prefix, then compare libsm.so's exports with the functions the
# installed headers declare (check_exports.py).
set -eu
build=$1 src=$2 cc=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/smcc-exports.XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work" >/dev/null
lib=$(find "$work" -name 'libsm.so.*' -type f | head -n 1)
[ -n "$lib" ] || { echo "FAIL: no libsm.so installed" >&2; exit 1; }
python3 "$src/tests/package/check_exports.py" "$lib" "$work/include" "$cc"
