#!/bin/sh
# outputs.sh SMCC SRCDIR - what smcc writes and what it refuses to:
# outputs are all or nothing (no new file and no temporary file after a
# failure, created directories removed), only regular files or new paths
# are written (device nodes, directories, FIFOs and links to them are
# refused, for outputs and -MD alike), unchanged outputs keep their
# mtime, -o creates its directory, two inputs may not share an output
# name, and an input must be a regular file (a FIFO must not block).
smcc=$1 src=$2
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
. "$(dirname "$0")/expect.sh"
has_err() { # has_err MESSAGE: stderr is exactly that line
    [ "$(cat "$t/err")" = "$1" ] || fail "stderr '$(cat "$t/err")', want '$1'"
}
listing() { (cd "$1" && ls -A | tr '\n' ' '); }
cp "$src/order.sm" "$t/order.sm"
cd "$t" || exit 2

# All or nothing: order_sm.c is a directory, so not even order_sm.h
# (written first) may appear, nor any temporary file.
mkdir o1 o1/order_sm.c
expect 2 "$smcc" -o o1 order.sm
has_err "smcc: error: cannot write 'o1/order_sm.c': it is a directory, not a regular file"
[ "$(listing o1)" = "order_sm.c " ] || fail "o1 holds: $(listing o1)"

# A failure while writing (the depfile's directory is missing) removes
# the temporary files already written and the -o directory it made.
expect 2 "$smcc" -o new/o2 --emit c --emit sql -MD nodir/dep.d order.sm
has_err "smcc: error: cannot write 'nodir/dep.d': No such file or directory"
[ ! -e new ] || fail "new/o2 left behind: $(ls -R new)"
[ "$(listing .)" = "err o1 order.sm out " ] || fail "left: $(listing .)"

# -o creates the directory and its parents.
expect 0 "$smcc" -o new/o2 order.sm
[ "$(listing new/o2)" = "order_sm.c order_sm.h " ] || fail "new/o2: $(listing new/o2)"

# -MD and outputs write only to regular files or new paths.
mkfifo fifo.d && mkdir o3
expect 2 "$smcc" -o o3 -MD fifo.d order.sm
has_err "smcc: error: cannot write 'fifo.d': it is a FIFO, not a regular file"
[ -p fifo.d ] && [ -z "$(listing o3)" ] || fail "fifo.d replaced or o3 written"
mkdir dir.d
expect 2 "$smcc" -MD dir.d order.sm
has_err "smcc: error: cannot write 'dir.d': it is a directory, not a regular file"
ln -s /dev/null null.d
expect 2 "$smcc" -MD null.d order.sm
has_err "smcc: error: cannot write 'null.d': it is a symbolic link to a character device, not a regular file"
[ -L null.d ] && [ -c /dev/null ] || fail "null.d replaced"
ln -s nowhere dangling.d
expect 2 "$smcc" -MD dangling.d order.sm
has_err "smcc: error: cannot write 'dangling.d': it is a dangling symbolic link"
if [ "$(id -u)" = 0 ]; then # a device node of our own, never /dev's
    mknod dev.d c 1 3 && mkdir o4 || fail "mknod"
    expect 2 "$smcc" -o o4 -MD dev.d order.sm
    has_err "smcc: error: cannot write 'dev.d': it is a character device, not a regular file"
    [ -c dev.d ] && [ -z "$(listing o4)" ] || fail "dev.d replaced or o4 written"
fi
# A link to a regular file is written through, and stays a link.
mkdir o5 && echo old > real.d && ln -s real.d link.d
expect 0 "$smcc" -o o5 -MD link.d order.sm
[ -L link.d ] || fail "link.d replaced by a file"
[ "$(cat real.d)" = "o5/order_sm.h o5/order_sm.c: order.sm" ] ||
    fail "real.d: $(cat real.d)"

# Unchanged outputs are left alone, mtime and inode included; a changed
# one is replaced. Backdate them, recompile, compare.
touch -d '2001-01-01 00:00:00' o5/order_sm.h o5/order_sm.c real.d
before=$(stat -c '%i %y' o5/order_sm.h o5/order_sm.c real.d)
expect 0 "$smcc" -o o5 -MD link.d order.sm
[ "$(stat -c '%i %y' o5/order_sm.h o5/order_sm.c real.d)" = "$before" ] ||
    fail "an unchanged output was rewritten"
printf '# a comment changes nothing\n' >> order.sm
expect 0 "$smcc" -o o5 -MD link.d order.sm
[ "$(stat -c '%i %y' o5/order_sm.h o5/order_sm.c real.d)" = "$before" ] ||
    fail "a comment-only edit rewrote an output"
sed 's/transition failed       -> checking_out;/transition failed -> checking_out, cancelled;/' \
    order.sm > o6.sm && mv o6.sm order.sm
expect 0 "$smcc" -o o5 -MD link.d order.sm
[ "$(stat -c '%i %y' o5/order_sm.h)" = "$(echo "$before" | sed -n 1p)" ] ||
    fail "a header-neutral edit rewrote order_sm.h"
[ "$(stat -c '%Y' o5/order_sm.c)" -gt 978307200 ] ||
    fail "the changed order_sm.c was not rewritten"
[ "$(listing o5)" = "order_sm.c order_sm.h " ] || fail "o5: $(listing o5)"

# Two inputs, one output name: refused before anything is written.
mkdir p q && cp order.sm p/x.sm && cp order.sm q/x.sm
expect 2 "$smcc" -o o7 p/x.sm q/x.sm
has_err "smcc: error: 'p/x.sm' and 'q/x.sm' would write the same outputs ('o7/x_sm.h', ...)"
[ ! -e o7 ] || fail "o7 written"
expect 2 "$smcc" -o o7 --emit json -MD o7/order.json order.sm
has_err "smcc: error: the depfile 'o7/order.json' is also an output of 'order.sm'"
expect 0 "$smcc" --check p/x.sm q/x.sm

# Inputs are regular files: a FIFO is refused at once, not read (which
# would block until a writer came), and so is a device.
mkfifo in.sm
expect 2 timeout 10 "$smcc" --check in.sm
has_err "smcc: error: cannot read 'in.sm': it is a FIFO, not a regular file"
ln -s in.sm in_link.sm
expect 2 timeout 10 "$smcc" --check in_link.sm
has_err "smcc: error: cannot read 'in_link.sm': it is a FIFO, not a regular file"
expect 2 "$smcc" --check /dev/null
has_err "smcc: error: cannot read '/dev/null': it is a character device, not a regular file"
expect 2 "$smcc" --check -
has_err "smcc: error: cannot open '-': No such file or directory"
echo PASS
