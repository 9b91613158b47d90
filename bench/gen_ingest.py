#!/usr/bin/env python3
"""Writes the ingest benchmark's CSV: N rows x 25 columns (12 numeric, 4 integer, 5 categorical, 2 text, 2 dates),
about 2 % missing cells, seeded so every run writes the same bytes. Usage: gen_ingest.py ROWS OUT.csv [SHIFT]
With SHIFT (the monitoring benchmark's current window), another seed, and x0-x3 have their mean moved by SHIFT."""
import random, sys

rows, out = int(sys.argv[1]), sys.argv[2]
shift = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
rng = random.Random(43 if shift else 42)
cats = [[f"{p}{i}" for i in range(n)] for p, n in (("red", 5), ("city", 40), ("plan", 3), ("dept", 12), ("grade", 8))]
words = "the quick brown fox jumps over lazy dog data model drift label feature value shift".split()
header = [f"x{i}" for i in range(12)] + [f"n{i}" for i in range(4)] + [f"c{i}" for i in range(5)] + ["title", "note", "created", "updated"]
with open(out, "w") as f:
    f.write(",".join(header) + "\n")
    for r in range(rows):
        cells = [f"{rng.gauss(shift if i < 4 else 0, 1):.6f}" for i in range(12)]
        cells += [str(rng.randrange(0, 10 ** (i + 1))) for i in range(4)]
        cells += [rng.choice(c) for c in cats]
        cells += [" ".join(rng.choice(words) for _ in range(rng.randrange(3, 9))), f"note {r}"]
        cells += [f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", f"2025-01-{rng.randrange(1, 29):02d}T{rng.randrange(0, 24):02d}:00:00"]
        cells = ["" if rng.random() < 0.02 else c for c in cells]
        f.write(",".join(cells) + "\n")
