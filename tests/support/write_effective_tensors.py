#!/usr/bin/env python3
"""Writes a small RVE result file (Type = all layout: one block per boundary
condition) with anisotropic transport efficiencies below their volume
fractions, for app tests of the electrode's `rve` strategy.
Usage: write_effective_tensors.py FILE"""
import json
import sys


def group(t, v):
    return {"phases": [0], "volume_fraction": v, "tensor": t,
            "tortuosity_factor": [v / t[i][i] for i in range(3)],
            "percolates": [True, True, True]}


block = {"transport_efficiency": {
    "electrolyte": group([[0.15, 0.004, 0], [0.004, 0.17, 0], [0, 0, 0.17]], 0.35),
    "solid": group([[0.42, 0, 0], [0, 0.43, 0], [0, 0, 0.44]], 0.65)}}
with open(sys.argv[1], "w") as out:
    json.dump({"periodic": block, "kubc": block, "tubc": block}, out)
