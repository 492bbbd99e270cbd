#!/usr/bin/env python3
"""What the catch-up scan of `bot latest` costs beyond start-up.

Runs `bot latest QUERY` against one store, alternately with the corpus
folder the store has recorded and with an empty folder (start-up and the
query, no catch-up at all), and prints the median wall-clock and CPU time
(user + system) of each and their difference: what the catch-up scan costs.
Run it once before measuring if the store recorded the folder by another
path (a first run reads every file again to record it as given here).

usage: catchup.py --bot BIN --db STORE --corpus DIR [--rules FILE] [--runs N] [QUERY]

See docs/benchmarks/ingest.md.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bot", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--rules", default="rules.yaml")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("query", nargs="?", default="badghis")
    a = ap.parse_args()
    empty = tempfile.mkdtemp(prefix="catchup-empty-")
    env = dict(os.environ, BOT_RULES=os.path.abspath(a.rules), BOT_DB=a.db)
    wall = {"corpus": [], "empty": []}
    cpu = {"corpus": [], "empty": []}
    for _ in range(a.runs):
        for kind, folder in (("corpus", a.corpus), ("empty", empty)):
            start = time.perf_counter()
            p = subprocess.Popen([a.bot, "latest", a.query], env=dict(env, BOT_CORPUS_DIR=folder),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
            wall[kind].append(time.perf_counter() - start)
            cpu[kind].append(ru.ru_utime + ru.ru_stime)
            if status != 0:
                raise SystemExit(f"bot latest failed with status {status} ({kind})")
    os.rmdir(empty)
    med = {k: (statistics.median(wall[k]) * 1000, statistics.median(cpu[k]) * 1000) for k in wall}
    print(f"load average {os.getloadavg()[0]:.1f}, {a.runs} runs each")
    for k, (w, c) in med.items():
        print(f"{k}: median {w:.0f} ms wall, {c:.0f} ms CPU")
    print(f"catch-up beyond start-up: {med['corpus'][0] - med['empty'][0]:.0f} ms wall, "
          f"{med['corpus'][1] - med['empty'][1]:.0f} ms CPU")


if __name__ == "__main__":
    main()
