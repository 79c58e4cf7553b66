#!/bin/sh
# cli.sh SMCC VERSION SRCDIR - the smcc command line: exit codes 0/1/2,
# -o, repeated --emit, -MD, --check, missing/unreadable input,
# unwritable -o, unknown options, --version and --help. Output safety
# (all or nothing, what may be replaced) is in outputs.sh.
smcc=$1 version=$2 src=$3
t=$(mktemp -d) || exit 2
trap 'chmod -R u+w "$t"; rm -rf "$t"' EXIT
. "$(dirname "$0")/expect.sh"
cp "$src/order.sm" "$t/order.sm"
cd "$t" || exit 2
printf 'machine m { state a; }\n' > bad.sm

expect 0 "$smcc" --version
[ "$(cat out)" = "smcc $version" ] || fail "--version printed '$(cat out)'"
expect 0 "$smcc" --help
grep -q '^usage: smcc \[options\] FILE.sm' out || fail "--help text"
expect 2 "$smcc"
grep -q 'no input files' err || fail "no input message"
expect 2 "$smcc" --bogus order.sm
expect 2 "$smcc" --emit cobol order.sm
grep -q "unknown emit kind 'cobol' (expected c, dot, sql, json, mermaid)" err ||
    fail "emit kind message: $(cat err)"
expect 2 "$smcc" missing.sm
[ "$(head -1 err)" = "smcc: error: cannot open 'missing.sm': No such file or directory" ] || fail "missing message: $(cat err)"

mkdir out1
expect 0 "$smcc" --check -o out1 order.sm
[ -z "$(ls out1)" ] || fail "--check wrote files"
expect 1 "$smcc" -o out1 bad.sm order.sm
[ -z "$(ls out1)" ] || fail "errors still wrote files"
grep -q "bad.sm:1:9: error: machine 'm' has no initial state" err || fail "bad.sm diag: $(cat err)"

expect 0 "$smcc" -o out1 order.sm
[ "$(ls out1 | tr '\n' ' ')" = "order_sm.c order_sm.h " ] || fail "default emit: $(ls out1)"
mkdir out2
expect 0 "$smcc" -o out2 --emit dot --emit sql --emit json -MD dep.d order.sm
[ "$(ls out2 | tr '\n' ' ')" = "order.dot order.json order.sql " ] || fail "emit: $(ls out2)"
[ "$(cat dep.d)" = "out2/order.dot out2/order.sql out2/order.json: order.sm" ] || fail "depfile: $(cat dep.d)"

mkdir "sp ace"
cp order.sm "sp ace/o.sm"
expect 0 "$smcc" -o "sp ace" -MD dep2.d "sp ace/o.sm"
[ "$(cat dep2.d)" = 'sp\ ace/o_sm.h sp\ ace/o_sm.c: sp\ ace/o.sm' ] || fail "escaped depfile: $(cat dep2.d)"

# Permissions bind only non-root users: as root (CI), run smcc as
# nobody, from a copy in the temp dir, which nobody may enter.
asuser="" usmcc=$smcc
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || fail "root without setpriv(1)"
    chmod 755 "$t" && cp "$smcc" "$t/smcc-copy" || exit 2
    asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
    usmcc=$t/smcc-copy
fi
mkdir ro && chmod a-w ro
expect 2 $asuser "$usmcc" -o ro order.sm
grep -q "smcc: error: cannot write 'ro/order_sm.h'" err || fail "ro msg: $(cat err)"
[ -z "$(ls ro)" ] || fail "ro dir has files"
cp order.sm unread.sm && chmod a-r unread.sm
expect 2 $asuser "$usmcc" --check unread.sm
grep -q "cannot open 'unread.sm': Permission denied" err || fail "unreadable: $(cat err)"
mkdir dir.sm
expect 2 "$smcc" --check dir.sm
grep -q "cannot read 'dir.sm': it is a directory, not a regular file" err ||
    fail "directory: $(cat err)"
expect 2 "$smcc" -o bad.sm order.sm
grep -q "smcc: error: cannot write 'bad.sm/order_sm.h'" err || fail "file as -o: $(cat err)"
echo PASS
