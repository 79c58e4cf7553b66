#!/bin/sh
# run.sh SMCC DIR - for every DIR/X.sm, run `smcc --check [flags] X.sm`
# from DIR and diff its stderr with X.err. Flags come from a first line
# `# smcc-flags: ...`. SMCC_UPDATE_GOLDEN=1 rewrites the .err files.
smcc=$1
cd "$2" || exit 2
fail=0
for sm in *.sm; do
    base=${sm%.sm}
    flags=$(sed -n '1s/^# smcc-flags://p' "$sm")
    # shellcheck disable=SC2086
    "$smcc" --check $flags "$sm" 2>"/tmp/smcc_diag_$$.err"
    echo "exit $?" >>"/tmp/smcc_diag_$$.err"
    if [ "$SMCC_UPDATE_GOLDEN" = 1 ]; then
        cp "/tmp/smcc_diag_$$.err" "$base.err"
    elif ! diff -u "$base.err" "/tmp/smcc_diag_$$.err"; then
        echo "FAIL: $sm"
        fail=1
    fi
done
rm -f "/tmp/smcc_diag_$$.err"
exit $fail
