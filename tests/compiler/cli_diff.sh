#!/bin/sh
# cli_diff.sh SMCC SRCDIR - the `smcc diff` command line: --help, usage
# errors (exit 2 with a message), unreadable inputs and inputs with
# errors (exit 2, so 1 only ever means "breaking"), a file that is
# called like the subcommand, an unwritable standard output. What diff
# reports is tests/diff's (compiler.diff).
smcc=$1 src=$2
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
. "$(dirname "$0")/expect.sh"
cp "$src/order.sm" "$t/order.sm"
cd "$t" || exit 2
printf 'machine m { state a; }\n' > bad.sm
printf 'machine m { initial state a; state b; }\n' > warn.sm

expect 0 "$smcc" diff --help
[ "$(head -1 out)" = "usage: smcc diff [options] OLD.sm NEW.sm" ] ||
    fail "diff --help: $(head -1 out)"
expect 0 "$smcc" --help
grep -q '^  diff OLD.sm NEW.sm' out || fail "smcc --help lacks diff"

usage() { # usage MESSAGE args...: exit 2 with that message first
    msg=$1; shift
    expect 2 "$smcc" diff "$@"
    [ "$(head -1 err)" = "smcc diff: error: $msg" ] ||
        fail "diff $*: $(head -1 err)"
}
usage "wants two files, OLD.sm and NEW.sm"
usage "wants two files, OLD.sm and NEW.sm" order.sm
usage "wants two files, OLD.sm and NEW.sm" order.sm order.sm order.sm
usage "unknown or incomplete option '--bogus'" --bogus order.sm order.sm
usage "unknown or incomplete option '--batch'" order.sm order.sm --batch
usage "unknown emit kind 'sql' (expected migration)" --emit sql order.sm order.sm
usage "--json and --emit migration exclude each other" --json --emit migration \
    order.sm order.sm
usage "--step needs --emit migration" --step 1 order.sm order.sm
usage "--step wants a number from 1 to 2, not '3'" --emit migration --step 3 \
    order.sm order.sm
usage "--batch wants a number from 1 to 9223372036854775807, not '0'" \
    --emit migration --batch 0 order.sm order.sm
usage "--batch wants a number from 1 to 9223372036854775807, not '5x'" \
    --emit migration --batch 5x order.sm order.sm

expect 2 "$smcc" diff missing.sm order.sm
[ "$(cat err)" = "smcc: error: cannot open 'missing.sm': No such file or directory" ] ||
    fail "missing: $(cat err)"
expect 2 "$smcc" diff order.sm bad.sm
grep -q "^bad.sm:1:9: error: machine 'm' has no initial state" err ||
    fail "bad.sm diagnostics: $(cat err)"
[ "$(tail -1 err)" = "smcc diff: error: 'bad.sm' has errors" ] ||
    fail "bad.sm: $(tail -1 err)"
[ -z "$(cat out)" ] || fail "a report despite errors: $(cat out)"

# Warnings are not a diff's business; the report is.
expect 0 "$smcc" diff warn.sm warn.sm
[ -z "$(cat err)" ] || fail "warnings printed: $(cat err)"
[ "$(cat out)" = "machine m (m_transitions): no changes
compatible" ] || fail "report: $(cat out)"

# A file called diff is ./diff; `smcc diff` is the subcommand.
cp order.sm diff
expect 0 "$smcc" --check ./diff
expect 0 "$smcc" diff ./diff order.sm

if [ -w /dev/full ]; then
    "$smcc" diff order.sm order.sm >/dev/full 2>err
    [ $? = 2 ] || fail "a full standard output is not exit 2"
    [ "$(cat err)" = "smcc diff: error: cannot write to standard output" ] ||
        fail "/dev/full: $(cat err)"
fi
echo PASS
