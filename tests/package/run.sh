#!/bin/sh
# run.sh - the package test: install BUILD into a fresh prefix, then build
# and run four consumers (find_package, pkg-config + Make, subdirectory,
# FetchContent), checking their output, that the build tools regenerate
# when the .sm changes and recompile only what changed, and that
# SMCC_TESTS=OFF configures no tests, benchmarks or examples, and that
# smcc built without MySQL says so from its database commands; then a
# store written outside libsm, through the store contract suite.
# Usage: run.sh BUILD_DIR SOURCE_DIR CC "C_FLAGS"
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
ninja_clean() { # ninja_clean WHY: the find_package build has no work
  out=$(cmake --build "$b1")
  echo "$out" | grep -q "ninja: no work to do" || fail "find_package: $1: $out"
}
header_neutral() { # give door's machine storage: door_sm.c changes, not .h
  sed 's/^}$/    storage { table = "door_log"; }\n}/' "$1" >"$1.new" &&
    mv "$1.new" "$1"
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
ninja_clean "rebuilt with nothing touched"
# smcc leaves byte-identical outputs untouched and Ninja restats them:
# an edit that changes no output runs smcc and nothing else, one that
# changes only door_sm.c recompiles that alone, and either way the next
# build has nothing to do.
sleep 1
touch "$here/door.sm"
out=$(cmake --build "$b1")
echo "$out" | grep -q "smcc ../door.sm" ||
  fail "find_package: touching door.sm did not run smcc: $out"
echo "$out" | grep -Eq "Building|Linking" &&
  fail "find_package: an unchanged output rebuilt something: $out"
ninja_clean "not clean after an output-neutral edit"
sleep 1
header_neutral "$here/door.sm"
out=$(cmake --build "$b1")
echo "$out" | grep -q "Building C object CMakeFiles/door.dir/smcc_gen/door_sm.c.o" ||
  fail "find_package: a header-neutral edit did not recompile door_sm.c: $out"
echo "$out" | grep -q "main.c.o" &&
  fail "find_package: a header-neutral edit recompiled main.c: $out"
echo "$out" | grep -q "Linking C executable door" ||
  fail "find_package: a header-neutral edit did not relink: $out"
ninja_clean "not clean after a header-neutral edit"
check_run find_package "$b1/door"
sleep 1
touch "$prefix/bin/smcc"
out=$(cmake --build "$b1")
echo "$out" | grep -q "smcc ../door.sm" ||
  fail "find_package: a newer smcc did not regenerate: $out"
echo "ok: find_package consumer regenerates when door.sm or smcc changes and recompiles only what changed"

# 2. pkg-config + Make with the -MD depfile rule.
m=$here/make
cp "$src/tests/package/main.c" "$src/tests/package/door.sm" "$m/"
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
echo "$out" | grep -Eq -- "-c|-o door " &&
  fail "make: an unchanged output rebuilt something: $out"
# Make has no restat: it runs smcc again (which writes nothing) while
# door.sm is newer than the outputs, but compiles only what changed.
sleep 1
header_neutral "$m/door.sm"
out=$(make -C "$m")
echo "$out" | grep -q "door_sm.o door_sm.c" ||
  fail "make: a header-neutral edit did not recompile door_sm.c: $out"
echo "$out" | grep -q "main.o main.c" &&
  fail "make: a header-neutral edit recompiled main.c: $out"
check_run make "$m/door"
echo "ok: make consumer regenerates when door.sm changes and recompiles only what changed"

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
# That smcc has no MySQL: its database commands say so (exit 2), and
# the URL's password shows nowhere.
for c in "audit door.sm" "state door.sm 1" "history door.sm 1" \
  "in-state door.sm open"; do
  set -- $c
  cmd=$1
  shift
  rc=0
  out=$(cd "$here" &&
    "$b3/smcc/compiler/smcc" "$cmd" --url mysql://u:Pl4nted@h/db "$@" 2>&1) ||
    rc=$?
  [ $rc = 2 ] || fail "smcc $cmd without MySQL: exit $rc: $out"
  [ "$out" = "smcc $cmd: error: mysql: support not built" ] ||
    fail "smcc $cmd without MySQL: $out"
done
echo "ok: smcc built without MySQL: its database commands say so"

# 4. FetchContent from a tarball of the source tree (no build dirs).
tar -C "$src" --exclude='./build*' --exclude=./.git -czf "$work/smcc.tar.gz" .
b4=$work/fetch
quiet cmake -S "$here/fetch" -B "$b4" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$cflags" -DSMCC_TARBALL="$work/smcc.tar.gz" \
  -DSMCC_MYSQL=OFF
quiet cmake --build "$b4" --target door
check_run FetchContent "$b4/door"
echo "ok: FetchContent consumer"

# 5. The top level with SMCC_TESTS=OFF (as README's install step does)
# configures neither the benchmarks nor the examples, even when a
# previous configure had them on.
b5=$work/notests
quiet cmake -S "$src" -B "$b5" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DSMCC_MYSQL=OFF -DSMCC_TESTS=ON
[ -d "$b5/bench" ] && [ -d "$b5/examples" ] ||
  fail "SMCC_TESTS=ON did not configure bench/ and examples/"
rm -rf "$b5"/bench "$b5"/examples "$b5"/tests
quiet cmake -S "$src" -B "$b5" -DSMCC_TESTS=OFF
for d in bench examples tests; do
  [ ! -d "$b5/$d" ] || fail "SMCC_TESTS=OFF still configures $d/"
done
echo "ok: SMCC_TESTS=OFF builds no tests, benchmarks or examples"

# 6. A store from outside (a linked list) against the installed headers
# only, through the store contract suite, unchanged.
b6=$work/outside
quiet cmake -S "$here/outside" -B "$b6" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$cflags" -DCMAKE_PREFIX_PATH="$prefix" \
  -DSMCC_CONTRACT_DIR="$src/tests/contract"
quiet cmake --build "$b6"
"$b6/contract_list" >"$work/log" 2>&1 ||
  { cat "$work/log"; fail "outside store: the contract suite failed"; }
echo "ok: an outside store passes the contract suite:" \
  "$(grep -o 'PASSED.*' "$work/log")"
