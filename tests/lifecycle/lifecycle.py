#!/usr/bin/env python3
"""lifecycle.py - a table over time, on the test MariaDB, through the
mariadb client exactly as a user would run smcc's SQL:

  lifecycle.py ddl SMCC CLIENT SM...        --emit sql piped twice
  lifecycle.py migrations SMCC CLIENT DIR   every compatible pair of
      tests/diff: old schema and rows, the migration run twice, then no
      renamed name left and the table as --emit sql of the new one makes
  lifecycle.py rename SMCC CLIENT DIR V1_TOOL V2_TOOL   the round trip:
      rows written by v1, read by v2 through 'was', step 1 before v2
      writes, step 2 rewriting them, read again

Needs SM_TEST_MYSQL_URL (scripts/mariadb start); fails without it.
"""
import json
import os
import re
import subprocess
import sys
import urllib.parse

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg)


def expect(what, got, want):
    if got != want:
        fail("%s:\n--- want\n%s\n--- got\n%s" % (what, want, got))


def client_args(url, database=None):
    """The mariadb client's arguments for SM_TEST_MYSQL_URL."""
    u = urllib.parse.urlsplit(url)
    q = dict(urllib.parse.parse_qsl(u.query))
    args = ["--no-defaults", "--batch", "--skip-column-names"]
    if u.username:
        args.append("-u" + urllib.parse.unquote(u.username))
    if u.password:
        args.append("-p" + urllib.parse.unquote(u.password))
    if "socket" in q:
        args.append("--socket=" + q["socket"])
    else:
        args += ["-h", u.hostname or "localhost", "-P", str(u.port or 3306)]
    args.append(database or urllib.parse.unquote(u.path.lstrip("/")))
    return args


class Db:
    def __init__(self, client, url, database=None):
        self.cmd = [client] + client_args(url, database)

    def run(self, sql, ok=True):
        """Run sql (a script); its output, or None when it failed."""
        p = subprocess.run(self.cmd, input=sql, capture_output=True, text=True)
        if p.returncode != 0:
            if ok:
                fail("mariadb client: %s\n%s" % (p.stderr.strip(), sql[:400]))
            return None
        return p.stdout

    def rows(self, sql):
        out = self.run(sql) or ""
        return [line.split("\t") for line in out.splitlines()]

    def create_table(self, table):
        """SHOW CREATE TABLE, less the AUTO_INCREMENT counter."""
        out = self.rows("SHOW CREATE TABLE `%s`" % table)
        text = out[0][1].replace("\\n", "\n") if out else ""
        return re.sub(r" AUTO_INCREMENT=\d+", "", text)


def smcc(cmd, *args, check=True):
    p = subprocess.run([cmd] + list(args), capture_output=True, text=True)
    if check and p.returncode not in (0, 1):
        fail("smcc %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


def emit_sql(cmd, sm):
    out = "/tmp/lifecycle_%d" % os.getpid()
    smcc(cmd, "--emit", "sql", "--emit", "json", "-o", out, sm)
    stem = os.path.join(out, os.path.basename(sm)[:-3])
    return open(stem + ".sql").read(), json.load(open(stem + ".json"))


def drop(db, machines):
    for m in machines:
        st = m["storage"]
        db.run("DROP TABLE IF EXISTS `%s`; DROP TABLE IF EXISTS `%s`;" %
               (st["table"], st["parent_table"]))


def test_ddl(cmd, client, url, files):
    """--emit sql piped to the client twice: both runs succeed and the
    second changes nothing."""
    db = Db(client, url)
    for sm in files:
        sql, m = emit_sql(cmd, sm)
        drop(db, m["machines"])
        db.run(sql)
        first = [db.create_table(x["storage"]["table"]) for x in m["machines"]]
        if db.run(sql) is None:
            fail("%s: the second run failed" % sm)
        again = [db.create_table(x["storage"]["table"]) for x in m["machines"]]
        expect(sm + ": tables after the second run", again, first)
        print("ok: %s twice" % sm)


def history_names(machine):
    """Every name the history of machine may hold, and the state each
    stands for."""
    names = {}
    for s in machine["states"]:
        names[s["name"]] = s["name"]
        for w in s["was"]:
            names[w] = s["name"]
    return names


def fill(db, machine):
    """Parents and rows naming every name the old machine may hold: per
    name a parent with a row into it and a row out of it."""
    st = machine["storage"]
    names = sorted(history_names(machine))
    # Without create_parent the app has its own parent table: here, one
    # like smcc's, so a foreign key added later finds every parent.
    db.run("CREATE TABLE IF NOT EXISTS `%s` (id BIGINT NOT NULL "
           "AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB" % st["parent_table"])
    for i, n in enumerate(names, 1):
        db.run("INSERT IGNORE INTO `%s` (id) VALUES (%d)" %
               (st["parent_table"], i))
        db.run("INSERT INTO `%s` (from_state, to_state, sort_key, `%s`, "
               "most_recent, created_at, updated_at) VALUES (NULL, '%s', 10, "
               "%d, NULL, NOW(), NOW()), ('%s', '%s', 20, %d, 1, NOW(), NOW())"
               % (st["table"], st["parent_key"], n, i, n, n, i))
    return names


def check_rows(db, pair, machine, names, renames):
    """After the migration: each parent's rows hold what the new machine
    calls the old name; no renamed name is left (compared byte for byte:
    MySQL would match a case-only rename either way)."""
    st = machine["storage"]
    for i, n in enumerate(names, 1):
        want = renames.get(n, n)
        got = db.rows("SELECT from_state, to_state FROM `%s` WHERE `%s` = %d "
                      "ORDER BY sort_key" % (st["table"], st["parent_key"], i))
        expect("%s: parent %d (was %s)" % (pair, i, n), got,
               [["NULL", want], [want, want]])
    for old in renames:
        left = db.rows("SELECT COUNT(*) FROM `%s` WHERE BINARY to_state = '%s' "
                       "OR BINARY from_state = '%s'" % (st["table"], old, old))
        expect("%s: rows still named %s" % (pair, old), left, [["0"]])


def migrate_pair(cmd, db, fresh, base):
    old_sql, old = emit_sql(cmd, base + ".old.sm")
    new_sql, new = emit_sql(cmd, base + ".new.sm")
    drop(db, old["machines"] + new["machines"])
    db.run(old_sql)
    db.run(old_sql)
    filled = {m["name"]: fill(db, m) for m in old["machines"]}
    report = json.loads(smcc(cmd, "diff", "--json", base + ".old.sm",
                             base + ".new.sm").stdout)
    mig = smcc(cmd, "diff", "--emit", "migration", "--batch", "2",
               base + ".old.sm", base + ".new.sm").stdout
    for run in ("first", "second"):
        if db.run(mig) is None:
            fail("%s: the migration's %s run failed" % (base, run))
    drop(fresh, new["machines"])
    fresh.run(new_sql)
    for m in new["machines"]:
        table = m["storage"]["table"]
        expect("%s: %s as --emit sql makes it" % (base, table),
               db.create_table(table), fresh.create_table(table))
        md = [x for x in report["machines"] if x["name"] == m["name"]][0]
        renames = {c["old"]: c["new"] for c in md["changes"]
                   if c["kind"] == "state_renamed"}
        if m["name"] in filled:
            check_rows(db, base, m, filled[m["name"]], renames)
    print("ok: %s migrated" % base)


def test_migrations(cmd, client, url, corpus):
    db = Db(client, url)
    db.run("CREATE DATABASE IF NOT EXISTS smcc_test_fresh")
    fresh = Db(client, url, "smcc_test_fresh")
    os.chdir(corpus)
    pairs = sorted(f[:-7] for f in os.listdir(".") if f.endswith(".old.sm"))
    n = 0
    for base in pairs:
        p = smcc(cmd, "diff", base + ".old.sm", base + ".new.sm")
        if p.returncode == 0:
            migrate_pair(cmd, db, fresh, base)
            n += 1
    if n < 10:
        fail("only %d compatible pairs in %s" % (n, corpus))


def tool(path, url, *args):
    p = subprocess.run([path, url] + list(args), capture_output=True,
                       text=True)
    return p.stdout + p.stderr


def test_rename(cmd, client, url, src, v1, v2):
    db = Db(client, url)
    old_sm, new_sm = os.path.join(src, "v1/doc.sm"), os.path.join(src,
                                                                   "v2/doc.sm")
    db.run("DROP TABLE IF EXISTS doc_transitions; DROP TABLE IF EXISTS docs")
    expect("schema", tool(v1, url, "schema") + tool(v1, url, "schema"),
           "schema: SM_OK\nschema: SM_OK\n")
    db.run("INSERT INTO docs (id) VALUES (1), (2), (3), (4)")
    expect("v1 writes",
           tool(v1, url, "write", "1", "review", "changes_requested") +
           tool(v1, url, "write", "2", "review", "changes_requested",
                "review") +
           tool(v1, url, "write", "3", "on_hold"),
           "review: SM_OK\nchanges_requested: SM_OK\nreview: SM_OK\n"
           "changes_requested: SM_OK\nreview: SM_OK\non_hold: SM_OK\n")
    # v2 reads v1's rows: the old name maps, and is recorded.
    expect("v2 reads parent 1", tool(v2, url, "show", "1"),
           "10 draft -> review\n"
           "20 review -> needs_changes (to stored as changes_requested)\n"
           "current needs_changes\n")
    expect("v2 in_state", tool(v2, url, "in-state", "needs_changes"),
           "in needs_changes: 1\n")
    # A retired state loads; nothing leaves it.
    expect("v2 retired", tool(v2, url, "show", "3") +
           tool(v2, url, "write", "3", "draft"),
           "10 draft -> on_hold\ncurrent on_hold\n"
           "draft: SM_E_TRANSITION_FAILED: no transition on_hold -> draft: "
           "'on_hold' is retired\n")
    # Before step 1, v1's CHECK refuses v2's new name, saying what to do.
    expect("v2 before step 1", tool(v2, url, "write", "2", "needs_changes"),
           "needs_changes: SM_E_STORE: doc 2: mysql: the CHECK of "
           "doc_transitions refuses state 'needs_changes': the table lists "
           "another "
           "version's states (run smcc diff --emit migration OLD.sm "
           "NEW.sm)\n")
    step = {}
    for n in ("1", "2"):
        p = smcc(cmd, "diff", "--emit", "migration", "--step", n,
                 "--batch", "2", old_sm, new_sm)
        expect("diff exit", p.returncode, 0)
        step[n] = p.stdout
    if db.run(step["1"]) is None:
        fail("step 1 failed")
    expect("v2 after step 1", tool(v2, url, "write", "2", "needs_changes"),
           "needs_changes: SM_OK\n")
    expect("rows before step 2",
           db.rows("SELECT COUNT(*) FROM doc_transitions WHERE to_state = "
                   "'changes_requested' OR from_state = 'changes_requested'"),
           [["3"]])
    for run in ("first", "second"):
        if db.run(step["2"]) is None:
            fail("step 2 (%s run) failed" % run)
    expect("rows after step 2",
           db.rows("SELECT doc_id, sort_key, COALESCE(from_state, '-'), "
                   "to_state FROM doc_transitions ORDER BY doc_id, sort_key"),
           [["1", "10", "draft", "review"],
            ["1", "20", "review", "needs_changes"],
            ["2", "10", "draft", "review"],
            ["2", "20", "review", "needs_changes"],
            ["2", "30", "needs_changes", "review"],
            ["2", "40", "review", "needs_changes"],
            ["3", "10", "draft", "on_hold"]])
    expect("v2 reads again", tool(v2, url, "show", "2"),
           "10 draft -> review\n20 review -> needs_changes\n"
           "30 needs_changes -> review\n40 review -> needs_changes\n"
           "current needs_changes\n")
    expect("v2 in_state again", tool(v2, url, "in-state", "needs_changes"),
           "in needs_changes: 1 2\n")
    # What step 2 waits for: v1 cannot read the new names.
    expect("v1 after step 2", tool(v1, url, "show", "1"),
           "open: doc 1: mysql: row 2 of doc_transitions has to_state "
           "'needs_changes', which machine doc does not know: declare it in "
           "the .sm file (state NEW was needs_changes; or retired state "
           "needs_changes;) or rewrite the rows (smcc diff --emit "
           "migration)\n")


def main():
    url = os.environ.get("SM_TEST_MYSQL_URL")
    if not url:
        print("SM_TEST_MYSQL_URL is not set: run "
              "eval \"$(scripts/mariadb start)\" first")
        return 1
    what, cmd, client = sys.argv[1:4]
    rest = sys.argv[4:]
    if what == "ddl":
        test_ddl(cmd, client, url, rest)
    elif what == "migrations":
        test_migrations(cmd, client, url, rest[0])
    elif what == "rename":
        test_rename(cmd, client, url, *rest)
    else:
        print("unknown test " + what)
        return 2
    print("%d failure(s)" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
