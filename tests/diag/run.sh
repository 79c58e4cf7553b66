#!/bin/sh
# run.sh SMCC DIR - for every DIR/X.sm, run `smcc --check [flags] X.sm`
# from DIR and diff its stderr with X.err. Flags come from a first line
# `# smcc-flags: ...`. With --diagnostics-format=json the output must
# also parse as one JSON array. SMCC_UPDATE_GOLDEN=1 rewrites the .err
# files.
smcc=$1
cd "$2" || exit 2
fail=0
for sm in *.sm; do
    base=${sm%.sm}
    flags=$(sed -n '1s/^# smcc-flags://p' "$sm")
    # shellcheck disable=SC2086
    "$smcc" --check $flags "$sm" 2>"/tmp/smcc_diag_$$.err"
    status=$?
    case $flags in *--diagnostics-format=json*)
        if ! python3 -c 'import json, sys; json.load(sys.stdin)' \
            <"/tmp/smcc_diag_$$.err"; then
            echo "FAIL: $sm: the output is not one JSON document"
            fail=1
        fi
    esac
    echo "exit $status" >>"/tmp/smcc_diag_$$.err"
    if [ "$SMCC_UPDATE_GOLDEN" = 1 ]; then
        cp "/tmp/smcc_diag_$$.err" "$base.err"
    elif ! diff -u "$base.err" "/tmp/smcc_diag_$$.err"; then
        echo "FAIL: $sm"
        fail=1
    fi
done
rm -f "/tmp/smcc_diag_$$.err"
exit $fail
