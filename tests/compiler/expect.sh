# expect.sh - sourced by cli.sh and outputs.sh (which set $t, their temp
# dir): fail with a message, and run a command expecting an exit code
# with its stdout and stderr kept in $t/out and $t/err.
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect CODE cmd...
    code=$1; shift
    "$@" >"$t/out" 2>"$t/err"; rc=$?
    [ "$rc" = "$code" ] || fail "$* exited $rc, expected $code: $(cat "$t/err")"
}
