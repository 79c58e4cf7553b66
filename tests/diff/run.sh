#!/bin/sh
# run.sh SMCC DIR - for every DIR/X.old.sm and X.new.sm, run `smcc diff`
# from DIR three ways and diff each with its golden: the report and exit
# status (X.out), the JSON (X.json, which must parse), the migration SQL
# with batches of 2 rows (X.sql, same exit status). SMCC_UPDATE_GOLDEN=1
# rewrites the goldens.
smcc=$1
cd "$2" || exit 2
tmp=/tmp/smcc_diff_$$
fail=0
check() { # check GOLDEN: compare $tmp with it (or rewrite it)
    if [ "$SMCC_UPDATE_GOLDEN" = 1 ]; then
        cp "$tmp" "$1"
    elif ! diff -u "$1" "$tmp"; then
        echo "FAIL: $1"
        fail=1
    fi
}
for old in *.old.sm; do
    base=${old%.old.sm}
    new=$base.new.sm
    "$smcc" diff "$old" "$new" >"$tmp" 2>&1
    status=$?
    echo "exit $status" >>"$tmp"
    check "$base.out"
    "$smcc" diff --json "$old" "$new" >"$tmp" 2>&1
    [ $? = $status ] || { echo "FAIL: $base --json exit differs"; fail=1; }
    python3 -m json.tool "$tmp" >/dev/null || { echo "FAIL: $base.json"; fail=1; }
    check "$base.json"
    "$smcc" diff --emit migration --batch 2 "$old" "$new" >"$tmp" 2>&1
    [ $? = $status ] || { echo "FAIL: $base migration exit differs"; fail=1; }
    check "$base.sql"
done
rm -f "$tmp"
exit $fail
