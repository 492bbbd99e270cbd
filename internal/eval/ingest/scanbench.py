#!/usr/bin/env python3
"""Whole `bot scan` runs, measured from outside: wall time, CPU time, peak RSS.

For each .jsonl file given, runs `bot scan` on a new corpus folder holding
only that file (a hard link) and a new store, and prints one line: documents
stored, wall seconds, CPU seconds (user + system of the process), CPU
milliseconds per document with the start-up taken off, documents per
second, peak RSS, and bytes of the SQLite file per document. A scan of a
folder of one short document runs first, to measure that start-up (loading
the gazetteer, compiling rules.yaml and building the matcher's index).

With --floor, fts5floor.py stores each file right after its scan, and the
line gives the ratio of the floor's time to the scan's (1.0 would be as
fast as the floor), by wall-clock time (the floor's own timing, start-up
of Python left out) and by CPU time (of the whole processes). With --pg URL the store is a new schema of that
PostgreSQL database instead of a SQLite file, and the line gives the CPU time of the server's processes
that served the scan too (sampled every 0.1 s from /proc: the server must run on this machine).

usage: scanbench.py [--bot BIN] [--rules FILE] [--floor] [--pg URL] [--keep DIR] FILE.jsonl...

Run from the repository (BIN defaults to a `go build` of ./cmd/bot).
See docs/benchmarks/ingest.md.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def run_scan(bot, rules, corpus, db, server=None):
    env = dict(os.environ, BOT_RULES=rules, BOT_CORPUS_DIR=corpus, BOT_DB=db, BOT_LOG_LEVEL="warn")
    start = time.perf_counter()
    p = Popen([bot, "scan"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd=os.path.dirname(corpus))
    if server:
        server.start()
    out, err = p.communicate()
    wall = time.perf_counter() - start
    if server:
        server.end()
    ru = p.rusage
    if p.returncode != 0:
        sys.exit(f"bot scan failed ({p.returncode}): {err.decode()[-2000:]}")
    m = re.search(rb"(\d+) new documents", out)
    return {"docs": int(m.group(1)) if m else 0, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
            "rss": ru.ru_maxrss * 1024}


class Popen(subprocess.Popen):
    """subprocess.Popen that keeps the child's resource usage."""

    def _try_wait(self, wait_flags):
        pid, status, ru = os.wait4(self.pid, wait_flags)
        if pid:
            self.rusage = ru
        return pid, status



class ServerCPU(threading.Thread):
    """Samples the CPU time (user + system) of the PostgreSQL server's processes
    whose session has application_name app, until end is called; cpu is their
    sum (a process that ends between two samples loses at most 0.1 s)."""

    def __init__(self, base, app):
        super().__init__(daemon=True)
        self.base, self.app, self.cpu = base, app, None
        self.seen, self.stop = {}, threading.Event()

    def run(self):
        tick, last = os.sysconf("SC_CLK_TCK"), 0.0
        while not self.stop.wait(0.1):
            if time.monotonic() - last >= 0.5:
                last = time.monotonic()
                out = subprocess.run(["psql", self.base, "-Atc",
                                      f"SELECT pid FROM pg_stat_activity WHERE application_name = '{self.app}'"],
                                     capture_output=True, text=True).stdout
                for pid in out.split():
                    self.seen.setdefault(int(pid), 0.0)
            for pid in self.seen:
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        st = f.read().rsplit(")", 1)[1].split()
                    self.seen[pid] = (int(st[11]) + int(st[12])) / tick
                except OSError:
                    pass

    def end(self):
        self.stop.set()
        self.join()
        if self.seen:
            self.cpu = sum(self.seen.values())


def pg_schema(base):
    name = f"scanbench_{os.getpid()}_{int(time.time() * 1000) % 10**9}"
    subprocess.run(["psql", base, "-q", "-c", f"CREATE SCHEMA {name}"], check=True)
    u = urllib.parse.urlsplit(base)
    q = urllib.parse.parse_qsl(u.query) + [("search_path", name), ("application_name", name)]
    return name, urllib.parse.urlunsplit(u._replace(query=urllib.parse.urlencode(q)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bot")
    ap.add_argument("--rules", default="rules.yaml")
    ap.add_argument("--floor", action="store_true")
    ap.add_argument("--pg")
    ap.add_argument("--keep", help="keep the stores in DIR")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="scanbench-")
    os.makedirs(work, exist_ok=True)
    bot = a.bot
    if not bot:
        bot = os.path.join(work, "bot")
        subprocess.run(["go", "build", "-o", bot, "./cmd/bot"], check=True)
    rules = os.path.abspath(a.rules)
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}", flush=True)
    base = None
    try:
        for i, f in enumerate(["(empty)"] + a.files):
            d = os.path.join(work, f"run{i}")
            shutil.rmtree(d, ignore_errors=True)
            corpus = os.path.join(d, "corpus")
            os.makedirs(corpus)
            if i > 0:
                os.link(os.path.abspath(f), os.path.join(corpus, os.path.basename(f)))
            else:
                # One short document, so that the start-up scan builds the
                # matcher (on a goroutine of its own, waited for by the
                # first match) as every real scan does.
                with open(os.path.join(corpus, "start-up.jsonl"), "w") as out:
                    out.write('{"title":"Start-up","body":"One short document."}\n')
            db, schema, server = os.path.join(d, "bot.db"), None, None
            if a.pg:
                schema, db = pg_schema(a.pg)
                server = ServerCPU(a.pg, schema)
            r = run_scan(bot, rules, corpus, db, server)
            if i == 0:
                base = r
                print(f"start-up (a scan of one document): {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, "
                      f"peak RSS {r['rss'] / 2**20:.0f} MB", flush=True)
                if schema and not a.keep:
                    subprocess.run(["psql", a.pg, "-q", "-c", f"SET client_min_messages = warning; DROP SCHEMA {schema} CASCADE"], check=True)
                continue
            n = max(r["docs"], 1)
            line = (f"{os.path.basename(f)}: {r['docs']} documents, {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU "
                    f"({(r['cpu'] - base['cpu']) * 1000 / n:.3f} ms a document after start-up), "
                    f"{r['docs'] / r['wall']:.0f} documents/s, peak RSS {r['rss'] / 2**20:.0f} MB")
            if server and server.cpu is not None:
                line += f", server CPU {server.cpu:.2f} s"
            if not a.pg:
                size = sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d) if x.startswith("bot.db"))
                line += f", {size / n:.0f} bytes on disk a document"
            if a.floor:
                fl = Popen([sys.executable, os.path.join(HERE, "fts5floor.py"), f, os.path.join(d, "floor.db")],
                           stdout=subprocess.PIPE, text=True)
                out, _ = fl.communicate()
                if fl.returncode != 0:
                    sys.exit("fts5floor.py failed")
                secs = float(re.search(r"in ([\d.]+) s", out).group(1))
                cpu = fl.rusage.ru_utime + fl.rusage.ru_stime
                line += (f"; floor {secs:.2f} s wall, {cpu:.2f} s CPU; ratio {secs / r['wall']:.3f} by wall, "
                         f"{cpu / r['cpu']:.3f} by CPU")
            print(line, flush=True)
            if schema and not a.keep:
                subprocess.run(["psql", a.pg, "-q", "-c", f"SET client_min_messages = warning; DROP SCHEMA {schema} CASCADE"], check=True)
            if not a.keep:
                shutil.rmtree(d, ignore_errors=True)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")


if __name__ == "__main__":
    main()
