#!/usr/bin/env python3
"""check_readme.py - README.md against itself, the headers and the compiler.

  check_readme.py README SRC SMCC CC [-IDIR...]

- every [text](#anchor) names a heading (GitHub's anchors), and the
  Contents line links every top-level section, in order;
- every function the installed headers declare (SM_API) is documented
  in its header (a comment ends right above it or above the group it
  belongs to) and named in the README; every sm_/SM_ name the README
  uses is one of the headers' or a known name of the build and tests;
- every ```c block compiles: a whole program is one of examples/*/main.c
  (whose output the examples' tests check), the generated header excerpt
  is, line by line and in order, what smcc writes for
  examples/order/order.sm, and any other block is compiled as a function
  body against the headers and the generated order and doc machines.
"""
import os
import re
import subprocess
import sys
import tempfile

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg)


# Names the README may use that no installed header declares.
KNOWN = {
    "sm_shared": "the CMake target smcc::sm_shared",
    "sm_contract_run": "the store contract suite's entry (tests/contract)",
    "sm_json_check": "libsm's internal metadata parser, named in Fuzzing",
    "sm_can_transition_to_ns": "a key of bench_memory's JSON",
    "sm_transition_to_null_md_ns": "a key of bench_memory's JSON",
    "sm_transition_to_k1_md_ns": "a key of bench_memory's JSON",
}
KNOWN_PREFIXES = ("SM_TEST_", "SM_MARIADB_", "SM_GALERA_")  # scripts' env


def sections(text):
    """(level, title, line) of every heading outside code blocks."""
    out, fenced = [], False
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            hashes, title = line.split(" ", 1)
            out.append((len(hashes), title.strip(), n))
    return out


def anchor(title):
    """GitHub's anchor of a heading: lower case, punctuation dropped
    (but '-' and '_'), spaces made '-'."""
    a = title.strip().lower()
    a = re.sub(r"[^\w\- ]", "", a)
    return a.replace(" ", "-")


def check_links(text):
    heads = sections(text)
    seen, anchors = {}, set()
    for _, title, _ in heads:
        a = anchor(title)
        k = seen.get(a, 0)
        seen[a] = k + 1
        anchors.add(a if k == 0 else "%s-%d" % (a, k))
    links = re.findall(r"\]\(#([^)]+)\)", text)
    for a in links:
        if a not in anchors:
            fail("README link (#%s) names no heading" % a)
    contents = re.search(r"^Contents:(.*?)\n\n", text, re.S | re.M)
    if not contents:
        fail("README has no Contents line")
        return len(links)
    listed = re.findall(r"\]\(#([^)]+)\)", contents.group(1))
    top = [anchor(t) for lvl, t, _ in heads if lvl == 2]
    if listed != top:
        fail("Contents lists %s;\n  the sections are %s" % (listed, top))
    return len(links)


def header_functions(src):
    """{name: header} of every SM_API function, and every sm_/SM_ name
    the installed headers use."""
    inc = os.path.join(src, "runtime", "include", "sm")
    files = [os.path.join(inc, f) for f in sorted(os.listdir(inc))
             if f.endswith((".h", ".h.in"))]
    files.append(os.path.join(inc, "sys", "store.h"))
    funcs, names = {}, set()
    for path in files:
        text = open(path).read()
        names |= set(re.findall(r"\b[sS][mM]_\w+", text))
        for name in check_documented(path, text):
            funcs[name] = os.path.relpath(path, src)
    return funcs, names


def check_documented(path, text):
    """The SM_API functions of one header; each must follow a comment,
    directly or after the other declarations of its group."""
    decls = re.finditer(r"^SM_API\b[^;(]*?\b(sm_\w+)\s*\([^;]*;", text, re.M)
    found, prev_end = [], None
    for d in decls:
        before = text[:d.start()].rstrip()
        grouped = prev_end is not None and not text[prev_end:d.start()].strip()
        if not (before.endswith("*/") or grouped):
            fail("%s: %s has no comment" % (os.path.basename(path), d.group(1)))
        found.append(d.group(1))
        prev_end = d.end()
    return found


def check_names(text, src):
    funcs, names = header_functions(src)
    for f, h in sorted(funcs.items()):
        if not re.search(r"\b%s\b" % f, text):
            fail("README does not name %s (%s)" % (f, h))
    for n in sorted(set(re.findall(r"\b[sS][mM]_\w+", text))):
        if n in names or n in KNOWN or n.startswith(KNOWN_PREFIXES):
            continue
        if n.endswith("_"):  # a prefix, as in "the sm_mysql_* calls"
            continue
        fail("README names %s, which no installed header declares" % n)
    return len(funcs)


def c_blocks(text):
    return [(m.start(), m.group(1)) for m in
            re.finditer(r"^```c\n(.*?)^```$", text, re.S | re.M)]


PRELUDE = """#include <stdint.h>
#include <stdio.h>
#include <mysql.h>
#include <sm/mysql.h>
#include "order_sm.h"
#include "doc_sm.h"
static void show(const sm_transition *t) { (void)t; }
static void remind(int64_t id) { (void)id; }
"""


def check_c(text, src, smcc, cc, incs):
    tmp = tempfile.mkdtemp(prefix="smcc_readme_")
    for sm in ("examples/order/order.sm", "tests/lifecycle/v2/doc.sm"):
        p = subprocess.run([smcc, "-o", tmp, os.path.join(src, sm)],
                           capture_output=True, text=True)
        if p.returncode:
            fail("smcc %s: %s" % (sm, p.stderr))
            return 0
    header = open(os.path.join(tmp, "order_sm.h")).read().split("\n")
    mains = [open(os.path.join(src, "examples", d, "main.c")).read()
             for d in sorted(os.listdir(os.path.join(src, "examples")))
             if os.path.exists(os.path.join(src, "examples", d, "main.c"))]
    for k, (at, body) in enumerate(c_blocks(text)):
        where = "README line %d" % (text[:at].count("\n") + 2)
        if "int main(" in body:
            if body not in mains:
                fail("%s: a program that is none of examples/*/main.c" % where)
        elif body.startswith("typedef enum"):
            excerpt_in(where, body, header)
        else:
            compile_fragment(where, k, body, tmp, cc, incs)
    return len(c_blocks(text))


def excerpt_in(where, body, header):
    """Each line of body but '...' is in header, in order."""
    i = 0
    for line in body.rstrip("\n").split("\n"):
        if line.strip() == "...":
            continue
        try:
            i = header.index(line, i) + 1
        except ValueError:
            fail("%s: the generated header has no line %r here" % (where, line))
            return


def compiles(name, includes, body, tmp, cc, incs):
    """(ok, errors) of body as a function body after includes and the
    prelude."""
    code = "\n".join(includes) + "\n" + PRELUDE + (
        "void snippet(sm_machine *m, sm_store *s, MYSQL *conn, sm_status st);\n"
        "void snippet(sm_machine *m, sm_store *s, MYSQL *conn, sm_status st)\n"
        "{\n{\n%s\n}\n}\n" % body)
    path = os.path.join(tmp, name + ".c")
    open(path, "w").write(code)
    p = subprocess.run([cc, "-std=c11", "-fsyntax-only", "-Wall", "-Wextra",
                        "-Werror", "-Wno-unused-parameter",
                        "-Wno-unused-variable", "-Wno-unused-but-set-variable",
                        "-Wno-unused-but-set-parameter",
                        "-Wno-unused-function", "-I", tmp] + incs + [path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr


def compile_fragment(where, k, body, tmp, cc, incs):
    """body compiles without its lines marked "does not compile", and
    each of those alone does not."""
    lines = body.split("\n")
    includes = [l for l in lines if l.startswith("#include")]
    wrong = [l for l in lines if "does not compile" in l]
    rest = [l for l in lines if l not in includes and l not in wrong]
    ok, err = compiles("snippet%d" % k, includes, "\n".join(rest), tmp, cc,
                       incs)
    if not ok:
        fail("%s: the C block does not compile:\n%s" % (where, err))
    for i, line in enumerate(wrong):
        ok, _ = compiles("snippet%d_%d" % (k, i), includes, line, tmp, cc, incs)
        if ok:
            fail("%s: %r compiles" % (where, line.strip()))


def main():
    readme, src, smcc, cc = sys.argv[1:5]
    incs = sys.argv[5:]
    text = open(readme).read()
    links = check_links(text)
    funcs = check_names(text, src)
    blocks = check_c(text, src, smcc, cc, incs)
    if FAILURES:
        print("%d failures" % len(FAILURES))
        return 1
    print("ok: %d links, %d header functions, %d C blocks" %
          (links, funcs, blocks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
