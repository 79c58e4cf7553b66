#!/usr/bin/env bash
# Every C source and header of the tree is as the committed .clang-format
# lays it out. Generated expectations (tests/golden, tests/gen/expected)
# are the emitters' own layout and are left out.
set -euo pipefail
src="${1:?usage: check_format.sh SOURCE_DIR [CLANG_FORMAT]}"
cf="${2:-clang-format}"
cd "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.c' '*.h')
else
    mapfile -t files < <(find . -name '*.[ch]' -not -path './build*')
fi
check=()
for f in "${files[@]}"; do
    case "$f" in
    */golden/* | */gen/expected/*) ;;
    *) check+=("$f") ;;
    esac
done
[ ${#check[@]} -gt 0 ] || { echo "no C files found under $src" >&2; exit 1; }
"$cf" --dry-run -Werror "${check[@]}"
echo "${#check[@]} files formatted"
