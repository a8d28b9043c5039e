#!/usr/bin/env python3
"""serve-latency.py: a --serve server's latency as its client sees it.

Usage: serve-latency.py REQUESTS COMMAND...

Starts COMMAND (an rs-recommend or rs-predict --serve), waits for its first
answer (the load), then sends each line of REQUESTS alone and waits for its
answer: one request in flight, the pipe's round trip included. Prints the
load's seconds, the median and 99th-percentile latency in microseconds and
the requests answered per second, one line."""
import subprocess
import sys
import time


def main():
    reqs = open(sys.argv[1]).read().splitlines()
    # buffered: an unbuffered pipe would read the answer a byte a syscall
    p = subprocess.Popen(sys.argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    t0 = time.perf_counter()
    ask(p, reqs[0])   # the first answer comes once the model is loaded
    load = time.perf_counter() - t0
    lat = []
    t1 = time.perf_counter()
    for r in reqs:
        t = time.perf_counter_ns()
        ask(p, r)
        lat.append(time.perf_counter_ns() - t)
    total = time.perf_counter() - t1
    p.stdin.close()
    if p.wait():
        sys.exit("serve-latency: the server exited with %d" % p.returncode)
    lat.sort()
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
    print("load %.3f s  p50 %.0f us  p99 %.0f us  %.0f req/s  (%d requests)"
          % (load, pick(0.50), pick(0.99), len(lat) / total, len(lat)))


def ask(p, line):
    p.stdin.write(line.encode() + b"\n")
    p.stdin.flush()
    answer = p.stdout.readline()
    if not answer.startswith(b"{") or answer.startswith(b'{"error"'):
        sys.exit("serve-latency: %r got %r" % (line, answer[:200]))


if __name__ == "__main__":
    main()
