#!/bin/sh
# check_man.sh - the man pages and README.md's reference sections against
# the program and the grammar: every option `smcc --help` prints is
# documented in smcc(1), and the help text is in README.md verbatim; the
# same for every command's `smcc NAME --help`; every keyword of the
# scanner (grammar/sm.l) is in sm(5) and README.md; both pages render.
# Usage: check_man.sh SMCC SOURCE_DIR
set -eu
smcc=$1 src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
render() { # the page as plain text, as man(1) shows it
  groff -man -Tascii -P-c -P-b -P-u "$1" 2>&1 || fail "$1 does not render"
}
page1=$(render "$src/man/smcc.1")
page5=$(render "$src/man/sm.5")

opts=$("$smcc" --help 2>&1 | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' |
  sed 's/^[ ,]*//' | sort -u)
[ -n "$opts" ] || fail "smcc --help lists no options"
n=0
for o in $opts; do
  echo "$page1" | grep -qF -- "$o" || fail "smcc.1 lacks option $o"
  n=$((n + 1))
done
echo "ok: smcc.1 documents all $n options of smcc --help"

# And back: every option the page documents (the .B/.BI lines of its
# OPTIONS section) is one smcc still has.
help=$("$smcc" --help 2>&1)
documented=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$src/man/smcc.1" |
  sed -n 's/^\.BI* "*\(\\-[^ "]*\).*/\1/p' | sed 's/\\-/-/g')
[ -n "$documented" ] || fail "smcc.1 has no OPTIONS entries"
for o in $documented; do
  echo "$help" | grep -qF -- "$o" || fail "smcc.1 documents $o; smcc --help lacks it"
done
echo "ok: every option in smcc.1 is in smcc --help"

# Commands: each one `smcc --help` lists (`  NAME ARGS  summary` after
# the "commands" line) has its options in smcc(1), in the page's
# section for it and back, and its --help shown verbatim in README.md.
cmds=$(echo "$help" | sed -n '/^commands/,/^exit/p' |
  sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ] || fail "smcc --help lists no commands"
for c in $cmds; do
  chelp=$("$smcc" "$c" --help 2>&1) || fail "smcc $c --help failed"
  copts=$(echo "$chelp" | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' |
    sed 's/^[ ,]*//' | sort -u)
  for o in $copts; do
    echo "$page1" | grep -qF -- "$o" || fail "smcc.1 lacks option $o of smcc $c"
  done
  cdoc=$(sed -n "/^\.SS smcc $c /,/^\.S[HS] /p" "$src/man/smcc.1" |
    sed -n 's/^\.BI* "*\(\\-[^ "]*\).*/\1/p' | sed 's/\\-/-/g')
  [ -n "$cdoc" ] || fail "smcc.1 has no section .SS smcc $c"
  for o in $cdoc; do
    echo "$chelp" | grep -qF -- "$o" ||
      fail "smcc.1 documents $o for smcc $c; its --help lacks it"
  done
  python3 - "$src/README.md" "$chelp" <<'PY' ||
import sys
sys.exit(0 if sys.argv[2] in open(sys.argv[1]).read() else 1)
PY
    fail "README.md does not show smcc $c --help verbatim"
  echo "ok: smcc $c: its options in smcc.1 and back, its --help in README.md"
done

# Keywords: the quoted lower-case words that start scanner rules.
kws=$(grep -oE '^"[a-z_]+"' "$src/grammar/sm.l" | tr -d '"' | sort -u)
[ -n "$kws" ] || fail "no keywords found in grammar/sm.l"
n=0
for k in $kws; do
  echo "$page5" | grep -qw -- "$k" || fail "sm.5 lacks keyword $k"
  n=$((n + 1))
done
echo "ok: sm.5 documents all $n keywords of grammar/sm.l"

# README.md: the CLI section shows `smcc --help` as it is, and the
# language section names every keyword (in backquotes or a code block).
readme=$src/README.md
[ -f "$readme" ] || fail "no README.md"
python3 - "$readme" "$help" <<'PY' || fail "README.md does not show smcc --help verbatim"
import sys
sys.exit(0 if sys.argv[2] in open(sys.argv[1]).read() else 1)
PY
for k in $kws; do
  grep -qw -- "$k" "$readme" || fail "README.md lacks keyword $k"
done
echo "ok: README.md shows smcc --help and all $n keywords"
