#!/usr/bin/env python3
"""ops.py - smcc's commands that read a live table (audit, state,
history, in-state) against the test MariaDB, on the hand-made table of
fixture.sql, then corrupt.sql (shop.sm's history: healthy parents and
one corruption of each kind):

  ops.py SMCC CLIENT DIR

- every output as a golden file in DIR/expected (text, JSON, dot;
  timestamps written by the server's clock normalised), and the exit
  status of each;
- the audit finds each planted corruption and no more; its coverage counts are exact (computed here from the rows);
- a password planted in the URL never appears in any output or error,
  for every command, through --url and SMCC_URL, on success and on each
  kind of connection failure;
- usage errors, inputs with errors and --help, for every command.

SMCC_UPDATE_GOLDEN=1 rewrites the golden files. Needs SM_TEST_MYSQL_URL
(scripts/mariadb start); fails without it.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lifecycle"))
from lifecycle import FAILURES, client_args, expect, fail  # noqa: E402

UPDATE = os.environ.get("SMCC_UPDATE_GOLDEN") == "1"
PASSWORD = "Pl4nted!S3cret/x"  # '/' and '!': written %2F and %21
ENCODED = urllib.parse.quote(PASSWORD, safe="")


class Env:
    def __init__(self, smcc, client, d, url):
        self.smcc, self.dir, self.url = smcc, d, url
        self.db = [client] + client_args(url)
        self.tmp = tempfile.mkdtemp(prefix="smcc-ops-")
        self.sm = os.path.join(self.tmp, "shop.sm")
        shutil.copy(os.path.join(d, "shop.sm"), self.sm)

    def sql(self, text):
        p = subprocess.run(self.db, input=text, capture_output=True,
                           text=True)
        if p.returncode != 0:
            fail("mariadb client: %s\n%s" % (p.stderr.strip(), text[:300]))
        return p.stdout

    def run(self, *args, url=None, env=None):
        """smcc ARGS with --url (unless url is False); (rc, out, err)."""
        cmd = [self.smcc] + list(args)
        if url is not False:
            cmd[2:2] = ["--url", url or self.url]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=self.tmp,
                           env=env)
        return p.returncode, p.stdout, p.stderr


def golden(e, name, text):
    """text against DIR/expected/NAME (written under SMCC_UPDATE_GOLDEN)."""
    path = os.path.join(e.dir, "expected", name)
    if UPDATE:
        with open(path, "w") as f:
            f.write(text)
        return
    try:
        want = open(path).read()
    except OSError:
        want = "(missing %s)" % path
    expect("golden " + name, text, want)


def case(e, name, rc, *args):
    """smcc ARGS exits rc; stdout is golden NAME (stderr NAME.err when
    rc is not 0 and there is no stdout)."""
    got_rc, out, err = e.run(*args)
    expect("%s: exit status (stderr: %s)" % (name, err.strip()), got_rc, rc)
    if out or rc == 0:
        golden(e, name, out)
        if name.endswith(".json"):
            try:
                json.loads(out)
            except ValueError as x:
                fail("%s: not JSON: %s" % (name, x))
    else:
        golden(e, name + ".err", err)
    return out


PLANTED = {  # (problem, parent, row) of each corruption in fixture.sql
    ("not_allowed", 11, 13), ("from_mismatch", 12, 15),
    ("duplicate_sort_key", 13, 17), ("sort_key_order", 14, 18),
    ("no_most_recent", 15, 20), ("many_most_recent", 16, 22),
    ("most_recent_not_last", 17, 23), ("unknown_state", 18, 25)}


def test_audit(e):
    """The report, JSON, graph; exactly the planted problems; the
    offender limit."""
    case(e, "audit.out", 1, "audit", "shop.sm")
    j = json.loads(case(e, "audit.json", 1, "audit", "--json", "shop.sm"))
    found = {(o["problem"], o["parent"], o["row"]) for o in j["offenders"]}
    expect("the offenders are the planted ones", found, PLANTED)
    expect("problems", j["problems"], len(PLANTED))
    expect("rows, parents", (j["rows"], j["parents"]), (25, 13))
    dot = case(e, "audit.dot", 1, "audit", "--emit", "dot", "shop.sm")
    if shutil.which("dot"):
        p = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True,
                           text=True)
        expect("the coverage graph renders", (p.returncode, p.stderr), (0, ""))
    case(e, "audit_limit.out", 1, "audit", "--limit", "3", "shop.sm")
    print("ok: audit finds the %d planted problems and no more" % len(PLANTED))


def test_readme(e):
    """README.md shows real output: the goldens it quotes, verbatim."""
    readme = open(os.path.join(e.dir, "..", "..", "README.md")).read()
    for name in ("audit.out", "state_1.out", "history_3.out",
                 "in_state_unknown.out"):
        text = open(os.path.join(e.dir, "expected", name)).read()
        if text not in readme:
            fail("README.md does not show expected/%s verbatim" % name)
    print("ok: README.md quotes the goldens as they are")


def test_refused(e):
    """Without its unique keys libsm refuses the table (exit 2, saying
    which keys); the audit, which reads it as it is, does not."""
    rc, out, err = e.run("history", "shop.sm", "1")
    expect("history without the unique keys: exit status", (rc, out), (2, ""))
    if "cannot keep the invariants" not in err:
        fail("history without the unique keys: %s" % err)
    print("ok: libsm refuses the table without its keys; audit reads it")


def coverage_of_rows(e):
    """Each (from, to) taken, from the table itself: the previous row's
    to_state (the initial state first), old names mapped, retired
    states' transitions left out, as the audit counts them."""
    rows = e.sql("SELECT shop_id, to_state FROM shop_transitions "
                 "ORDER BY shop_id, sort_key, id")
    taken, prev, parent = {}, None, None
    for line in rows.splitlines():
        p, to = line.split("\t")
        to = "checking_out" if to == "paying" else to
        if p != parent:
            parent, prev = p, "pending"
        if "on_hold" not in (prev, to):
            taken[(prev, to)] = taken.get((prev, to), 0) + 1
        prev = to
    return taken


def test_clean_and_coverage(e):
    """Without the corrupt parents the audit is clean (exit 0) and each
    declared transition's count is the table's own."""
    e.sql("DELETE FROM shop_transitions WHERE shop_id > 10")
    case(e, "audit_clean.out", 0, "audit", "shop.sm")
    j = json.loads(case(e, "audit_clean.json", 0, "audit", "--json",
                        "shop.sm"))
    want = coverage_of_rows(e)
    got = {(t["from"], t["to"]): t["taken"] for t in j["transitions"]
           if t["taken"]}
    expect("coverage counts", got, want)
    expect("never taken", [(t["from"], t["to"]) for t in j["never_taken"]],
           [(t["from"], t["to"]) for t in j["transitions"]
            if not t["taken"]])
    events = {ev["name"]: ev["taken"] for ev in j["events"]}
    expect("event counts", events, {
        "checkout": want[("pending", "checking_out")],
        "cancel": want[("pending", "cancelled")] +
        want[("checking_out", "cancelled")],
        "abort": want[("pending", "cancelled")],
        "pay": want[("checking_out", "purchased")],
        "ship": want[("purchased", "shipped")]})
    print("ok: a clean table: exit 0, coverage counts exact")


def test_show(e):
    """state, history and in-state on the fixture, text and JSON."""
    for p in ("1", "3", "5"):
        case(e, "state_%s.out" % p, 0, "state", "shop.sm", p)
    case(e, "state_4.json", 0, "state", "--json", "shop.sm", "4")
    for p in ("1", "2", "3"):
        case(e, "history_%s.out" % p, 0, "history", "shop.sm", p)
    case(e, "history_3.json", 0, "history", "--json", "shop.sm", "3")
    case(e, "history_5.out", 0, "history", "shop.sm", "5")
    # A state the machine does not know: exit 1, the row named.
    case(e, "state_18", 1, "state", "shop.sm", "18")
    case(e, "history_18", 1, "history", "shop.sm", "18")
    case(e, "in_state_pending", 1, "in-state", "shop.sm", "pending")
    case(e, "in_state_unknown.out", 0, "in-state", "--unknown", "shop.sm",
         "checking_out", "purchased")
    case(e, "in_state_unknown.json", 0, "in-state", "--json", "--unknown",
         "shop.sm", "checking_out", "purchased")
    case(e, "in_state_only_unknown.out", 0, "in-state", "--unknown",
         "shop.sm")
    case(e, "in_state_limit.out", 0, "in-state", "--unknown", "--limit", "2",
         "shop.sm", "pending", "shipped", "paying")
    print("ok: state, history, in-state")


def test_now(e):
    """Rows stamped by the server's clock: the times normalised."""
    e.sql("INSERT INTO shop_transitions (from_state, to_state, metadata, "
          "sort_key, shop_id, most_recent, created_at, updated_at) VALUES "
          "('pending', 'checking_out', '{}', 10, 5, 1, NOW(6), NOW(6))")
    rc, out, err = e.run("history", "shop.sm", "5")
    out = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}",
                 "YYYY-MM-DD hh:mm:ss.uuuuuu", out)
    expect("history 5 exit", (rc, err), (0, ""))
    golden(e, "history_5_now.out", out)
    e.sql("DELETE FROM shop_transitions WHERE shop_id = 5")


def planted_url(e, password=ENCODED, rest=None):
    """SM_TEST_MYSQL_URL as the planted user, its password and the rest
    (host, database, options) changed as asked."""
    u = urllib.parse.urlsplit(e.url)
    netloc = "ops_planted:%s@%s" % (password, u.netloc.rsplit("@", 1)[-1])
    tail = rest if rest is not None else u.path + (
        "?" + u.query if u.query else "")
    return "mysql://" + netloc + tail


def no_secret(what, *texts):
    for t in texts:
        for s in (PASSWORD, ENCODED, "Pl4nted", "S3cret"):
            if s in t:
                fail("%s: the password shows (%r) in: %s" % (what, s, t))


def test_passwords(e):
    """A password in the URL never shows: every command, success and
    failure, --url and SMCC_URL."""
    for host in ("localhost", "%"):
        e.sql("CREATE OR REPLACE USER 'ops_planted'@'%s' IDENTIFIED BY "
              "'%s'; GRANT ALL ON smcc_test.* TO 'ops_planted'@'%s';"
              % (host, PASSWORD, host))
    good = planted_url(e)
    runs = [("audit",), ("audit", "--json"), ("audit", "--emit", "dot"),
            ("state", "1"), ("state", "--json", "1"), ("state", "18"),
            ("history", "1"), ("history", "--json", "3"),
            ("in-state", "pending"), ("in-state", "--unknown", "pending"),
            ("in-state", "--json", "--unknown", "shipped")]
    for r in runs:
        args = [r[0], "shop.sm"] + list(r[1:])
        rc, out, err = e.run(*args, url=good)
        if rc == 2:
            fail("%s with the planted user: exit 2: %s" % (r, err))
        no_secret(" ".join(r), out, err)
        env = dict(os.environ, SMCC_URL=good)
        rc2, out2, err2 = e.run(*args, url=False, env=env)
        expect("%s through SMCC_URL" % (r,), (rc2, out2), (rc, out))
        no_secret(" ".join(r) + " (SMCC_URL)", out2, err2)
    u = urllib.parse.urlsplit(e.url)
    q = "?" + u.query if u.query else ""
    tcp = "mysql://ops_planted:%s@%s" + u.path
    bad = {
        "a wrong password": planted_url(e, password="Pl4ntedWrong"),
        "a wrong password, decoded": planted_url(e, password=PASSWORD[:-2]),
        "no such database": planted_url(e, rest="/no_such_db" + q),
        "a refused port": tcp % (ENCODED, "127.0.0.1:1"),
        "a bad port": tcp % (ENCODED, "localhost:99999"),
        "no such socket": planted_url(
            e, rest=u.path + "?socket=/nonexistent/sock"),
        "an unknown parameter": planted_url(
            e, rest=u.path + q + ("&" if q else "?") + "color=red"),
        "the password unescaped": planted_url(e, password=PASSWORD),
        "not mysql://": planted_url(e).replace("mysql://", "postgres://"),
        "memory:": "memory:",
    }
    for what, url in sorted(bad.items()):
        for cmd in (("audit", "shop.sm"), ("state", "shop.sm", "1"),
                    ("history", "shop.sm", "1"),
                    ("in-state", "shop.sm", "pending")):
            rc, out, err = e.run(*cmd, url=url)
            expect("%s, %s: exit status (%s)" % (cmd[0], what, err.strip()),
                   rc, 2)
            if not err.startswith("smcc %s: error: " % cmd[0]):
                fail("%s, %s: %s" % (cmd[0], what, err))
            no_secret("%s, %s" % (cmd[0], what), out, err)
    print("ok: the planted password never shows (%d runs)" %
          (2 * len(runs) + 4 * len(bad)))


def test_usage(e):
    """Usage errors, inputs with errors, --help: exit 2, 2, 0."""
    with open(os.path.join(e.tmp, "bad.sm"), "w") as f:
        f.write("machine m { state a; }\n")
    with open(os.path.join(e.tmp, "two.sm"), "w") as f:
        f.write(open(e.sm).read() + "machine lantern { initial state off; "
                "state on; transition off -> on; transition on -> off; }\n")
    cases = [
        (["audit"], "wants one file, FILE.sm"),
        (["audit", "shop.sm", "x.sm"], "wants one file, FILE.sm"),
        (["audit", "--bogus", "shop.sm"],
         "unknown or incomplete option '--bogus'"),
        (["audit", "shop.sm", "--limit"],
         "unknown or incomplete option '--limit'"),
        (["audit", "--limit", "x", "shop.sm"],
         "--limit wants a number from 0 to 1000000, not 'x'"),
        (["audit", "--emit", "sql", "shop.sm"],
         "unknown emit kind 'sql' (expected dot)"),
        (["audit", "--json", "--emit", "dot", "shop.sm"],
         "--json and --emit dot exclude each other"),
        (["state", "shop.sm"], "wants FILE.sm and PARENT"),
        (["state", "shop.sm", "1", "2"], "wants FILE.sm and PARENT"),
        (["state", "shop.sm", "x1"], "PARENT wants an id (an integer), "
         "not 'x1'"),
        (["history", "--limit", "3", "shop.sm", "1"],
         "unknown option '--limit'"),
        (["in-state"], "wants FILE.sm"),
        (["in-state", "shop.sm"], "wants a STATE (or --unknown)"),
        (["in-state", "shop.sm", "nope"], "machine shop has no state 'nope'"),
        (["in-state", "--limit", "-1", "shop.sm", "pending"],
         "--limit wants a number from 0 to 1099511627776, not '-1'"),
        (["audit", "two.sm"], "'two.sm' has 2 machines (shop, lantern): choose "
         "one with --machine"),
        (["audit", "--machine", "door", "two.sm"],
         "'two.sm' has no machine 'door' (it has shop, lantern)"),
        (["audit", "--url"], "--url wants a value"),
    ]
    for args, msg in cases:
        rc, out, err = e.run(*args)
        expect("%s: exit status" % args, rc, 2)
        expect("%s: message" % args, err.splitlines()[0] if err else "",
               "smcc %s: error: %s" % (args[0], msg))
        expect("%s: nothing on stdout" % args, out, "")
    rc, out, err = e.run("audit", "--machine", "lantern", "two.sm")
    expect("--machine lantern (no table)", (rc, out), (2, ""))
    if "lantern_transitions" not in err:
        fail("--machine lantern: %s" % err)
    more = {"audit": [], "state": ["1"], "history": ["1"],
            "in-state": ["pending"]}
    for cmd in ("audit", "state", "history", "in-state"):
        rc, out, err = e.run(cmd, "bad.sm", *more[cmd])
        expect("%s bad.sm" % cmd, (rc, err.splitlines()[-1]),
               (2, "smcc %s: error: 'bad.sm' has errors" % cmd))
        rc, out, err = e.run(cmd, "missing.sm", *more[cmd])
        expect("%s missing.sm" % cmd, (rc, err),
               (2, "smcc: error: cannot open 'missing.sm': No such file or "
                   "directory\n"))
        rc, out, err = e.run(cmd, "--help", url=False)
        expect("%s --help" % cmd, (rc, out.splitlines()[0]),
               (0, "usage: smcc %s [options] FILE.sm%s" % (cmd, {
                   "audit": "", "state": " PARENT", "history": " PARENT",
                   "in-state": " [STATE...]"}[cmd])))
        env = dict(os.environ)
        env.pop("SMCC_URL", None)
        rc, out, err = e.run(cmd, "shop.sm", *more[cmd], url=False, env=env)
        expect("%s without a URL" % cmd, (rc, err),
               (2, "smcc %s: error: no database: give --url mysql://... or "
                   "set SMCC_URL\n" % cmd))
    print("ok: usage errors (%d), inputs with errors, --help" % len(cases))


def main():
    url = os.environ.get("SM_TEST_MYSQL_URL")
    if not url:
        print("SM_TEST_MYSQL_URL is not set: run "
              "eval \"$(scripts/mariadb start)\" first")
        return 1
    smcc, client, d = sys.argv[1:4]
    e = Env(smcc, client, d, url)
    try:
        e.sql(open(os.path.join(d, "fixture.sql")).read())
        test_show(e)
        test_passwords(e)
        test_usage(e)
        test_now(e)
        e.sql(open(os.path.join(d, "corrupt.sql")).read())
        test_refused(e)
        test_audit(e)
        test_clean_and_coverage(e)
        test_readme(e)
    finally:
        shutil.rmtree(e.tmp, ignore_errors=True)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
