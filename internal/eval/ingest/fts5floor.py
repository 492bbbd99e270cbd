#!/usr/bin/env python3
"""The SQLite+FTS5 floor of wirewatch's ingest benchmark.

Stores the articles of a .jsonl file (one JSON object per line: title, body
or text, published, url, source) in a new SQLite file: one row per article
in a documents table and its title and body in an FTS5 index, all in one
transaction, through Python's sqlite3 module. This is about the least work
that storing the same documents searchably can cost, so `bot scan` on the
same file is measured against it (see docs/benchmarks/ingest.md).

usage: fts5floor.py FILE.jsonl DB

Prints one line: documents, seconds, documents per second.
"""
import json
import os
import sqlite3
import sys
import time


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-3])
    src, db = sys.argv[1], sys.argv[2]
    if os.path.exists(db):
        os.remove(db)
    start = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("""CREATE TABLE documents (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT, url TEXT,
        title TEXT, published TEXT, body TEXT)""")
    con.execute("CREATE VIRTUAL TABLE documents_fts USING fts5 (title, body, content='')")
    con.execute("BEGIN")
    n = 0
    with open(src, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            a = json.loads(line)
            title = a.get("title") or ""
            body = a.get("body") or a.get("text") or ""
            n += 1
            cur = con.execute(
                "INSERT INTO documents (id, source, url, title, published, body) VALUES (?, ?, ?, ?, ?, ?)",
                (str(n), a.get("source") or "", a.get("url") or "", title, a.get("published") or "", body))
            con.execute("INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)",
                        (cur.lastrowid, title, body))
    con.execute("COMMIT")
    con.close()
    secs = time.perf_counter() - start
    print(f"{n} documents in {secs:.3f} s: {n / secs:.0f} documents/s")


if __name__ == "__main__":
    main()
