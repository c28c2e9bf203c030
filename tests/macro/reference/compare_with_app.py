#!/usr/bin/env python3
"""Compare scalebridge-electrode with a reference curve of dfn_reference.py.

Runs the app on inputs/electrode/marquis2019.prm at the reference's C-rate,
with the reference's output times as profile times (so that the app's
adaptive steps land on them), and prints max |dV| over the common times (the
end included when both run the full 3600/C s; a cut-off is compared by its
time), dV at 1800 s and the end time/voltage of both. With --levels it runs
the shipped resolution and three refinements (cells per region, particle
shells, time tolerance) = (30, 20, 3e-3), (60, 40, 3e-4), (120, 80, 3e-5),
(240, 160, 3e-6) and also compares each with the finest app run, which
measures the app's own discretisation error independently of the reference.
Run from the repository root (numpy only):

  python3 tests/macro/reference/compare_with_app.py \\
      tests/macro/reference/marquis2019_1C.csv [--levels] [--set ...]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

LEVELS = [(30, 20, 3e-3), (60, 40, 3e-4), (120, 80, 3e-5), (240, 160, 3e-6)]


def read_curve(path):
    """time_s and voltage_V of a CSV file ('#' lines are comments)."""
    with open(path) as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    header = lines[0].strip().split(",")
    data = np.array([[float(x) for x in ln.split(",")] for ln in lines[1:]])
    return (data[:, header.index("time_s")],
            data[:, header.index("voltage_V")])


def level_overrides(cells, shells, tol):
    return ["Mesh/Cells in negative electrode=%d" % cells,
            "Mesh/Cells in separator=%d" % cells,
            "Mesh/Cells in positive electrode=%d" % cells,
            "Mesh/Particle cells=%d" % shells,
            "Time stepping/Tolerance=%g" % tol]


def run_app(app, rate, times, overrides):
    out = tempfile.mkdtemp(prefix="dfnref_")
    cmd = [app, "inputs/electrode/marquis2019.prm",
           "--set", "Output/Directory=" + out,
           "--set", "Output/Plot=false",
           "--set", "Output/Profile times="
           + ", ".join("%.10g" % t for t in times),
           "--set", "Operating conditions/C-rate=%g" % rate]
    for s in overrides:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return read_curve(os.path.join(out, "voltage.csv"))


def compare(ref, other, grid):
    """dV = other - ref at the grid times; end times and voltages."""
    t_ref, v_ref = ref
    t_oth, v_oth = other
    same_end = abs(t_oth[-1] - t_ref[-1]) < 1e-6
    dv = []
    for t in grid[:-1]:  # the reference's output times before its end
        if t > min(t_ref[-1], t_oth[-1]) - 1e-6:
            continue  # past an (earlier) cut-off
        a = np.nonzero(np.abs(t_ref - t) < 1e-6 * max(1.0, t))[0]
        b = np.nonzero(np.abs(t_oth - t) < 1e-6 * max(1.0, t))[0]
        if a.size == 0 or b.size == 0:
            sys.exit("no output at t = %g" % t)
        dv.append((t, v_oth[b[0]] - v_ref[a[0]]))
    if same_end:  # both ran the full time; a cut-off is compared by its time
        dv.append((t_ref[-1], v_oth[-1] - v_ref[-1]))
    dv = np.array(dv)
    worst = np.argmax(np.abs(dv[:, 1]))
    at1800 = dv[np.abs(dv[:, 0] - 1800) < 1e-6, 1]
    return dict(max=abs(dv[worst, 1]), t_max=dv[worst, 0], n=len(dv),
                dv0=dv[0, 1], dv1800=at1800[0] if at1800.size else np.nan,
                t_end=(t_oth[-1], t_ref[-1]), v_end=(v_oth[-1], v_ref[-1]))


def show(label, c):
    print("  %-22s max|dV| = %.3e V (t = %g s, %d times), dV(0) = %+.1e V, "
          "dV(1800 s) = %+.3e V, end %.3f s / %.6f V (vs %.3f s / %.6f V)"
          % (label, c["max"], c["t_max"], c["n"], c["dv0"], c["dv1800"],
             c["t_end"][0], c["v_end"][0], c["t_end"][1], c["v_end"][1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference", help="reference CSV (time_s,voltage_V)")
    parser.add_argument("--rate", type=float, help="C-rate (default: "
                        "from the file name marquis2019_<rate>C.csv)")
    parser.add_argument("--set", action="append", default=[],
                        help="extra app override 'Subsection/Entry=value'")
    parser.add_argument("--levels", action="store_true",
                        help="shipped resolution and three refinements")
    parser.add_argument("--app", default="build/bin/scalebridge-electrode")
    args = parser.parse_args()

    rate = args.rate
    if rate is None:
        stem = os.path.basename(args.reference).split("_")[-1]
        rate = float(stem.replace("C.csv", ""))
    ref = read_curve(args.reference)
    grid = ref[0]
    times = grid[:-1]  # the last row is the end (always output)
    print("rate %gC, reference %s" % (rate, args.reference))
    if not args.levels:
        show("app " + (" ".join(args.set) or "shipped"),
             compare(ref, run_app(args.app, rate, times, args.set), grid))
        return
    runs = [run_app(args.app, rate, times, level_overrides(*lv) + args.set)
            for lv in LEVELS]
    for lv, run in zip(LEVELS, runs):
        show("%d/%d/%g vs reference" % lv, compare(ref, run, grid))
    for lv, run in zip(LEVELS[:-1], runs[:-1]):
        show("%d/%d/%g vs app finest" % lv, compare(runs[-1], run, grid))


if __name__ == "__main__":
    main()
