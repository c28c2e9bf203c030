#!/usr/bin/env bash
# scalebridge-electrode in 2D on two MPI processes: VTU records per profile
# time, the same voltage as the 1D run (in-plane-uniform cell).
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.electrode_mpi"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

common=(--set "Mesh/Cells in negative electrode=6"
        --set "Mesh/Cells in separator=3"
        --set "Mesh/Cells in positive electrode=6"
        --set "Mesh/Particle cells=6"
        --set "Mesh/In-plane cells=2"
        --set "Operating conditions/Protocol=Discharge at 1C for 600 s"
        --set "Output/Profile times=0, 600"
        --set "Output/Plot=false"
        --set "Output/Deterministic output=true")
prm="$source/inputs/electrode/marquis2019.prm"
$mpirun 2 "$app" "$prm" "${common[@]}" --set "Cell/Dimension=2" \
  --set "Output/Directory=$work/2d" > "$work/2d.log" 2>&1 \
  || { fail "2D run: exit code $?"; cat "$work/2d.log"; }
"$app" "$prm" "${common[@]}" --set "Output/Directory=$work/1d" \
  > "$work/1d.log" 2>&1 || fail "1D run: exit code $?"

for i in 0000 0001; do
  [[ -s "$work/2d/vtu/solution_$i.pvtu" ]] || fail "no solution_$i.pvtu"
done
grep -q '"dimension": 2' "$work/2d/summary.json" || fail "summary: not 2D"
grep -q '"mpi_processes": 2' "$work/2d/summary.json" \
  || fail "summary: not on 2 processes"
paste -d, "$work/1d/voltage.csv" "$work/2d/voltage.csv" | awk -F, '
  NR > 1 { d = $2 - $5; if (d < 0) d = -d; e = $1 - $4; if (e < 0) e = -e
           if (d > 1e-8 || e > 1e-8 * ($1 + 1)) bad = 1 }
  END { exit bad }' || fail "2D voltage differs from 1D"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
