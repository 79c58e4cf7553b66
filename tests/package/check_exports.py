#!/usr/bin/env python3
"""check_exports.py LIBSM_SO INCLUDE_DIR CC - libsm's public surface.

The dynamic symbols libsm.so defines must be exactly the functions its
installed headers (INCLUDE_DIR/sm/**.h) declare: nothing private leaks
out (MySQL's my_* namespace included) and nothing declared is missing.
"""
import pathlib
import re
import subprocess
import sys

# What every shared object defines whatever its sources are.
LINKER = {"_init", "_fini", "__bss_start", "_edata", "_end"}


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = {line.split()[-1] for line in out.splitlines() if line.strip()}
    return {n.split("@")[0] for n in names} - LINKER


def top_level(text):
    """Declarations at file scope, brace bodies dropped."""
    decls, cur, depth = [], [], 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch == ";":
            decls.append("".join(cur))
            cur = []
        elif depth == 0:
            cur.append(ch)
    return decls


def declared(include, cc):
    names = {}
    for h in sorted(pathlib.Path(include, "sm").rglob("*.h")):
        rel = h.relative_to(include).as_posix()
        src = "#include <%s>\n" % rel
        text = subprocess.run([cc, "-E", "-P", "-I", include, "-x", "c", "-"],
                              input=src, check=True, capture_output=True,
                              text=True).stdout
        text = re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)", " ",
                      text)
        for d in top_level(text):
            d = " ".join(d.split())
            if d.startswith("typedef") or "(" not in d:
                continue
            m = re.match(r"[^(]*?\b([A-Za-z_]\w*)\s*\(", d)
            if m and not re.search(r"\(\s*\*\s*$", d[:m.start(1)]):
                names.setdefault(m.group(1), rel)
    return names


def main():
    lib, include, cc = sys.argv[1:4]
    have, want = exported(lib), declared(include, cc)
    extra = sorted(have - set(want))
    missing = sorted(set(want) - have)
    for n in extra:
        print("exported but declared in no installed header: %s" % n)
    for n in missing:
        print("declared in %s but not exported: %s" % (want[n], n))
    if extra or missing:
        return 1
    print("ok: libsm.so exports exactly the %d functions its headers "
          "declare" % len(have))
    return 0


sys.exit(main())
