"""A new user's ALS scores worked out apart from rspipe, from the model file.

usage: foldin-check.py MODEL ITEMS mean|fit < rs-predict's 'user item score' lines
Prints the largest error of the lines' scores against x . Q_i, where x is
the mean of the named items' rows of Q, or (fit) Hu et al.'s solve of the
user's row: (Q'Q + alpha sum_j q_j q_j' + reg I) x = (1 + alpha) sum_j q_j,
by Gaussian elimination in double.
"""
import struct
import sys

import msgpack

model = msgpack.unpackb(open(sys.argv[1], "rb").read(), raw=False, strict_map_key=False)
Q = next(t for t in model["tensors"] if t["name"] == "Q")
rows, k = Q["shape"]
vals = struct.unpack("<%df" % (rows * k), Q["data"])
q = [vals[i * k:(i + 1) * k] for i in range(rows)]
dense = {raw: d for d, raw in enumerate(model["header"]["items"]["ids"])}
named = [q[dense[int(i)]] for i in sys.argv[2].split(",")]

if sys.argv[3] == "mean":
    x = [sum(r[f] for r in named) / len(named) for f in range(k)]
else:
    alpha, reg = model["hyper"]["alpha"], model["hyper"]["reg"]
    A = [[sum(r[a] * r[b] for r in q) + alpha * sum(r[a] * r[b] for r in named) + (reg if a == b else 0)
          for b in range(k)] + [(1 + alpha) * sum(r[a] for r in named)] for a in range(k)]
    for c in range(k):
        p = max(range(c, k), key=lambda i: abs(A[i][c]))
        A[c], A[p] = A[p], A[c]
        for i in range(k):
            if i != c:
                m = A[i][c] / A[c][c]
                A[i] = [v - m * w for v, w in zip(A[i], A[c])]
    x = [A[i][k] / A[i][i] for i in range(k)]

worst = 0.0
for line in sys.stdin:
    user, item, score = line.split("\t")
    want = sum(a * b for a, b in zip(x, q[dense[int(item)]]))
    worst = max(worst, abs(float(score) - want))
print("%.3g" % worst)
