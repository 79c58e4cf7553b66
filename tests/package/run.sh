#!/bin/sh
# run.sh - the package test: install BUILD into a fresh prefix, then build
# and run four consumers (find_package, pkg-config + Make, subdirectory,
# FetchContent),
# checking their output and that the build tools rebuild exactly when the
# .sm changes. Usage: run.sh BUILD_DIR SOURCE_DIR CC "C_FLAGS"
set -eu
build=$1 src=$2 cc=$3 cflags=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/smcc-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Consumers are built from a copy, so touching door.sm leaves the
# source tree alone.
cp -R "$src/tests/package" "$work/src"
here=$work/src
prefix=$work/prefix
version=$(sed -n 's/^#define SM_VERSION_STRING "\(.*\)"$/\1/p' \
  "$build/runtime/include/sm/version.h")
expect="closed -> open (libsm $version)"
fail() { echo "FAIL: $*" >&2; exit 1; }
quiet() { # run a command, showing its output only when it fails
  "$@" >"$work/log" 2>&1 || { cat "$work/log"; fail "$*"; }
}
check_run() { # check_run NAME EXE: the program prints the expected line
  out=$("$2") || fail "$1: program failed"
  [ "$out" = "$expect" ] || fail "$1: got '$out', want '$expect'"
  echo "ok: $1 prints '$out'"
}

quiet cmake --install "$build" --prefix "$prefix"
for f in bin/smcc include/sm/sm.h include/sm/version.h lib/libsm.a \
  lib/libsm.so.0 lib/cmake/smcc/smccConfig.cmake \
  lib/cmake/smcc/SmccGenerate.cmake lib/pkgconfig/sm.pc \
  share/man/man1/smcc.1 share/man/man5/sm.5; do
  [ -e "$prefix/$f" ] || fail "install lacks $f"
done
echo "ok: installed into a fresh prefix"
"$prefix/bin/smcc" --version | grep -q "$version" ||
  fail "smcc --version does not say $version"
echo "ok: smcc --version says $version"

# 1. find_package(smcc) + smcc_generate, Ninja.
b1=$work/cmake
quiet cmake -S "$here/cmake" -B "$b1" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$cflags" -DCMAKE_PREFIX_PATH="$prefix"
quiet cmake --build "$b1"
check_run find_package "$b1/door"
[ -f "$b1/smcc_gen/door.dot" ] || fail "find_package: EMIT dot wrote nothing"
[ -f "$b1/smcc_gen/door.mermaid.md" ] ||
  fail "find_package: EMIT mermaid wrote nothing"
out=$(cmake --build "$b1")
echo "$out" | grep -q "ninja: no work to do" ||
  fail "find_package: rebuilt with nothing touched: $out"
sleep 1
touch "$here/door.sm"
out=$(cmake --build "$b1")
echo "$out" | grep -q "smcc ../door.sm" ||
  fail "find_package: touching door.sm did not run smcc: $out"
echo "$out" | grep -q "Linking C executable door" ||
  fail "find_package: touching door.sm did not relink: $out"
sleep 1
touch "$prefix/bin/smcc"
out=$(cmake --build "$b1")
echo "$out" | grep -q "smcc ../door.sm" ||
  fail "find_package: a newer smcc did not regenerate: $out"
echo "ok: find_package consumer rebuilds exactly when door.sm or smcc changes"

# 2. pkg-config + Make with the -MD depfile rule.
m=$here/make
cp "$here/main.c" "$here/door.sm" "$here/make/"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig" SMCC="$prefix/bin/smcc"
export CC="$cc" CFLAGS="$cflags" LDFLAGS="$cflags"
quiet make -C "$m"
check_run make "$m/door"
out=$(make -C "$m")
echo "$out" | grep -Eq "Nothing to be done|is up to date" ||
  fail "make: rebuilt with nothing touched: $out"
sleep 1
touch "$m/door.sm"
out=$(make -C "$m")
echo "$out" | grep -q "bin/smcc -MD door_sm.d door.sm" ||
  fail "make: touching door.sm did not run smcc: $out"
[ -s "$m/door_sm.d" ] || fail "make: smcc -MD wrote no depfile"
echo "ok: make consumer rebuilds exactly when door.sm changes"

# 3. add_subdirectory of the source tree; builds only what door needs.
b3=$work/subdir
quiet cmake -S "$here/subdir" -B "$b3" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$cflags" -DSMCC_SOURCE_DIR="$src" -DSMCC_MYSQL=OFF
quiet cmake --build "$b3" --target door
check_run add_subdirectory "$b3/door"
out=$(cmake --build "$b3" --target door)
echo "$out" | grep -q "ninja: no work to do" ||
  fail "add_subdirectory: rebuilt with nothing touched: $out"
echo "ok: add_subdirectory consumer"

# 4. FetchContent from a tarball of the source tree (no build dirs).
tar -C "$src" --exclude='./build*' --exclude=./.git -czf "$work/smcc.tar.gz" .
b4=$work/fetch
quiet cmake -S "$here/fetch" -B "$b4" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$cflags" -DSMCC_TARBALL="$work/smcc.tar.gz" \
  -DSMCC_MYSQL=OFF
quiet cmake --build "$b4" --target door
check_run FetchContent "$b4/door"
echo "ok: FetchContent consumer"
