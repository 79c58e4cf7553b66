#!/usr/bin/env python3
"""hostile.py RUSAGE SMCC [--relaxed] - smcc on 1 MB hostile inputs.

Each input, of one of many shapes, is made here (deterministically), run
with `smcc --check` and the default error limit, and measured by RUSAGE
(tests/compiler/rusage.c, wait4()): it must exit 1, print at most 64 KB of
diagnostics, and finish in under 2 s with under 100 MB of peak RSS.
--relaxed (sanitizer builds, whose shadow memory and slower code make
both limits meaningless) keeps every check but a 60 s time limit.
"""
import os
import random
import subprocess
import sys
import tempfile

MB = 1 << 20


def fill(unit):
    """unit repeated to exactly 1 MB."""
    return (unit * (MB // len(unit) + 1))[:MB]


def machine(body, head="machine m { initial state a; final state z;\n"):
    """A machine around body, the whole at most 1 MB."""
    return head + body[: MB - len(head) - 3] + "\n}\n"


def names(n):
    return ", ".join("s%d" % i for i in range(n))


def shapes():
    rnd = random.Random(7)
    yield "dollar_one_line", fill(b"$")
    yield "dollar_spaced", fill(b"$ ")
    yield "nul_bytes", fill(b"\0")
    yield "cr_only_lines", fill(b"\r")
    yield "open_braces", fill(b"{")
    yield "close_braces", fill(b"}")
    yield "random_bytes", bytes(rnd.getrandbits(8) for _ in range(MB))
    yield "unclosed_machines", fill(b"machine m {\n")
    yield "duplicate_machines", fill(b"machine m { initial final state a; }\n")
    yield "one_identifier", fill(b"a")
    yield "unterminated_string", b'"' + fill(b"a")[1:]
    yield "unterminated_comment", b"/*" + fill(b"*")[2:]
    yield "duplicate_states", machine(fill(", a"), "machine m { state a").encode()
    yield "missing_semicolons", machine(fill("transition a -> z\n")).encode()
    yield "keyword_typos", machine(fill("tansition a -> z;\n")).encode()
    yield "undeclared_states", machine(
        "".join("transition a -> t%d;\n" % i for i in range(60000))).encode()
    yield "event_sources", machine(
        "transition a -> z; event e { " + fill("a, ")).encode()
    yield "event_arrows", machine(
        "transition a -> z; event e { " + fill("a -> z; ")).encode()
    yield "nondeterministic", machine(
        "transition a -> z, a;\n" + fill("event e { a -> z; a -> a; }\n")).encode()
    yield "hooks_selecting_none", machine(fill("guard z -> a : g;\n")).encode()
    yield "transitions_at_cap", machine(
        "state %s;\ntransition %s -> %s;\ntransition a -> nowhere;\n"
        % ((names(1023),) * 3)).encode()
    yield "transitions_past_cap", machine(
        "state %s;\ntransition %s -> %s;\ntransition %s -> %s;\n"
        % ((names(1024),) * 5)).encode()


def run(rusage, smcc, path, err, kill_s, kill_mb):
    """Run smcc --check path, stderr to err: (exit code, seconds, KB).
    It is killed after kill_s seconds or past kill_mb MB of RSS."""
    cmd = [rusage, "-t", str(kill_s), "-m", str(kill_mb), smcc, "--check", path]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err,
                         check=True).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main():
    rusage, smcc = sys.argv[1], sys.argv[2]
    relaxed = "--relaxed" in sys.argv[3:]
    max_s, max_kb = (60.0, None) if relaxed else (2.0, 100 * 1024)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in shapes():
            path = os.path.join(tmp, name + ".sm")
            with open(path, "wb") as f:
                f.write(data)
            with open(path + ".err", "wb") as err:
                code, secs, kb = run(rusage, smcc, path, err, 2 * max_s,
                                     4096 if relaxed else 1024)
            out = os.path.getsize(path + ".err")
            bad = []
            if code != 1:
                bad.append("exit %d, not 1%s" % (code, " (killed)"
                                                  if code > 128 else ""))
            if out > 64 * 1024:
                bad.append("%d bytes of diagnostics" % out)
            if secs > max_s:
                bad.append("%.2f s > %.0f s" % (secs, max_s))
            if max_kb and kb > max_kb:
                bad.append("%d KB RSS > %d KB" % (kb, max_kb))
            print("%-22s %7d bytes  %.2f s  %6d KB  %s"
                  % (name, len(data), secs, kb, "; ".join(bad) or "ok"))
            failed += bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
