#!/usr/bin/env python3
"""Latency from a file written into the corpus folder to its alert printed.

Starts `bot run` (console chat, a scan schedule of an hour, so only the
watch on the corpus folder can find the files), writes N articles into the
corpus folder one at a time, and times each from just before the write to
the console line carrying its title. Prints each latency, the median and
the 90th percentile.

    go build -o /tmp/bot ./cmd/bot
    python3 internal/eval/ingest/watchlatency.py /tmp/bot 20

A third argument replaces the schedule (e.g. "@every 1s"), to time a bot
that finds new files by its schedule alone.
"""
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

RULES = """timezone: UTC
channels:
  ops: { slack: C0OPS }
rules:
  - name: earthquake
    keywords: { any: [earthquake] }
    channels: [ops]
"""

WORDS = ("river market council harbour bridge school factory railway festival museum ministry "
         "company farmers teachers drivers nurses budget tender contract report survey election "
         "airport station tunnel stadium library theatre hospital clinic orchard vineyard").split()


def article(i, rnd):
    token = "zq%04dx" % i
    body = " ".join(rnd.choice(WORDS) for _ in range(120))
    return token, "Earthquake drill %s shakes nothing\n\nAn earthquake %s %s.\n" % (token, token, body)


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    schedule = sys.argv[3] if len(sys.argv) > 3 else None
    rnd = random.Random(1)
    work = tempfile.mkdtemp(prefix="watchlatency-")
    corpus = os.path.join(work, "corpus")
    os.mkdir(corpus)
    rules = os.path.join(work, "rules.yaml")
    with open(rules, "w") as f:
        f.write(RULES)
    env = dict(os.environ, BOT_RULES=rules, BOT_CORPUS_DIR=corpus, BOT_DB=os.path.join(work, "bot.db"),
               BOT_SCAN_SCHEDULE=schedule or "@every 1h", BOT_HTTP_ADDR="127.0.0.1:0", LOG_LEVEL="debug")
    bot = subprocess.Popen([binary, "run"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, bufsize=1)
    seen, cond = {}, threading.Condition()
    ready = threading.Event()

    def read_out():
        for line in bot.stdout:
            t = time.monotonic()
            with cond:
                for tok in [w for w in line.split() if w.startswith("zq")]:
                    seen.setdefault(tok, t)
                cond.notify_all()

    def read_err():
        watching, scanned = schedule is not None, False
        for line in bot.stderr:
            watching = watching or "watching the corpus folder" in line
            scanned = scanned or "scan done" in line
            if watching and scanned:
                ready.set()

    threading.Thread(target=read_out, daemon=True).start()
    threading.Thread(target=read_err, daemon=True).start()
    if not ready.wait(60):
        sys.exit("the bot did not start watching within 60 s")
    lat = []
    for i in range(n):
        token, text = article(i, rnd)
        t0 = time.monotonic()
        with open(os.path.join(corpus, "a%04d.txt" % i), "w") as f:
            f.write(text)
        with cond:
            if not cond.wait_for(lambda: token in seen, timeout=30):
                sys.exit("no alert for %s within 30 s" % token)
            lat.append(seen[token] - t0)
        time.sleep(0.3)
    bot.terminate()
    bot.wait()
    lat_ms = [round(x * 1000) for x in lat]
    print("latencies (ms):", lat_ms)
    print("median %.0f ms, p90 %.0f ms, over %d files" % (statistics.median(lat) * 1000,
          statistics.quantiles(lat, n=10)[-1] * 1000, n))


if __name__ == "__main__":
    main()
