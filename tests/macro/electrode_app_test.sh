#!/usr/bin/env bash
# Regression test of scalebridge-electrode: the shipped Marquis input (on a
# coarser mesh, to 1800 s) writes every output with sane values; --help
# prints a documented default file that runs as it stands.
# Arguments: build dir, source dir, mpirun command (unused: a 1D run).
set -u
build="$1"
source="$2"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.electrode"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
source "$source/tests/support/hostile_markers.sh"

out="$work/marquis"
if ! "$app" "$source/inputs/electrode/marquis2019.prm" \
     --set "Output/Directory=$out" \
     --set "Mesh/Cells in negative electrode=10" \
     --set "Mesh/Cells in separator=5" \
     --set "Mesh/Cells in positive electrode=10" \
     --set "Mesh/Particle cells=10" \
     --set "Operating conditions/Protocol=Discharge at 1C for 1800 s" \
     --set "Output/Profile times=0, 900, 1800" \
     --set "Output/Deterministic output=true" > "$work/marquis.log" 2>&1; then
  fail "Marquis run: exit code $?"; cat "$work/marquis.log"
fi
grep -q "Step 1/1: Discharge at 1C" "$work/marquis.log" \
  || fail "no progress lines"
grep -q "wall" "$work/marquis.log" && fail "timings in deterministic output"

head -1 "$out/voltage.csv" | grep -q "^time_s,voltage_V,current_A_per_m2$" \
  || fail "voltage.csv missing or with other columns"
# Voltages between the cut-offs, 3.6-3.85 V for the first half hour at 1C,
# current 24 A/m^2, time ending at 1800 s.
awk -F, 'NR > 1 { if ($2 < 3.6 || $2 > 3.86 || $3 != 24) bad = 1; t = $1 }
         END { exit (bad || t != 1800) }' "$out/voltage.csv" \
  || fail "voltage.csv values out of range"
for t in 0 900 1800; do
  f="$out/profiles/profile_${t}s.csv"
  head -1 "$f" 2>/dev/null \
    | grep -q "^x_m,ce_mol_per_m3,phi_e_V,phi_s_V,cs_surf_mol_per_m3,x_surf,j_A_per_m2,porosity,electrolyte_efficiency_xx,electrolyte_efficiency_yy,solid_efficiency_xx,solid_efficiency_yy$" \
    || fail "profile at $t s missing or with other columns"
  [[ $(wc -l < "$f") -eq 27 ]] || fail "profile at $t s: not 26 nodes"
done
for key in capacity_Ah_per_m2 energy_Wh_per_m2 wall_time_s steps \
           newton_iterations lithium_mol_per_m2 problem_size; do
  grep -q "\"$key\"" "$out/summary.json" || fail "summary.json: no $key"
done
# 1800 s at 24 A/m^2 deliver 12 Ah/m^2.
grep -q '"capacity_Ah_per_m2": 12' "$out/summary.json" \
  || grep -q '"capacity_Ah_per_m2": 11.99999' "$out/summary.json" \
  || fail "capacity is not 12 Ah/m^2"
if command -v gnuplot > /dev/null; then
  [[ -s "$out/voltage.png" ]] || fail "no voltage.png although gnuplot exists"
fi
find "$out" -name "*.tmp.*" | grep -q . && fail "temporary files left behind"

# A hostile Output/Directory (from a colleague's parameter file) executes
# nothing: results and plot land in the directory of that very name.
markers="sb_electrode_marker_dollar sb_electrode_marker_bq"
for m in $markers; do rm -f "/tmp/$m" "$PWD/$m"; done
hostile="$work/out \$(touch sb_electrode_marker_dollar) \`touch sb_electrode_marker_bq\` it's \"q\""
(cd "$work" && "$app" "$source/inputs/electrode/marquis2019.prm" \
   --set "Output/Directory=$hostile" \
   --set "Mesh/Cells in negative electrode=10" --set "Mesh/Cells in separator=5" \
   --set "Mesh/Cells in positive electrode=10" --set "Mesh/Particle cells=10" \
   --set "Operating conditions/Protocol=Discharge at 1C for 600 s" \
   --set "Output/Profile times=0") > "$work/hostile.log" 2>&1 \
  || { fail "hostile directory: exit code $?"; cat "$work/hostile.log"; }
for f in voltage.csv summary.json profiles/profile_0s.csv; do
  [[ -s "$hostile/$f" ]] || fail "hostile directory: $f missing"
done
if command -v gnuplot > /dev/null; then
  head -c 4 "$hostile/voltage.png" 2>/dev/null | grep -q "PNG" \
    || fail "hostile directory: no voltage.png although gnuplot exists"
fi
find "$hostile" -name "*.tmp.*" | grep -q . \
  && fail "hostile directory: temporary files left behind"
check_no_markers "hostile directory" "$markers" "$work" "$PWD" /tmp

# --help prints a documented default file, which runs as it stands.
"$app" --help > "$work/default.prm" 2>&1 || fail "--help: exit code $?"
grep -q "subsection Operating conditions" "$work/default.prm" \
  || fail "--help does not print the parameters"
grep -q "set C-rate" "$work/default.prm" || fail "--help has no C-rate"
"$app" "$work/default.prm" --set "Output/Directory=$work/default" \
  --set "Operating conditions/Protocol=Rest for 60 s" \
  --set "Output/Plot=false" > "$work/default.log" 2>&1 \
  || fail "the --help file does not run"
[[ -f "$work/default/summary.json" ]] || fail "default run wrote no summary"

# Effective transport from an RVE result (Type = all layout: one block per
# boundary condition), with a phase-separating card: the LiFePO4 half cell.
python3 "$source/tests/support/write_effective_tensors.py" \
  "$work/effective_tensors.json"
(cd "$source" && "$app" inputs/electrode/lifepo4_half_cell.prm \
   --set "Output/Directory=$work/lfp" \
   --set "Positive electrode/Effective transport/Strategy=rve" \
   --set "Positive electrode/Effective transport/RVE file=$work/effective_tensors.json" \
   --set "Mesh/Cells in positive electrode=10" --set "Mesh/Particle cells=10" \
   --set "Operating conditions/Protocol=Discharge at C/2 for 1200 s" \
   --set "Output/Plot=false") > "$work/lfp.log" 2>&1 \
  || { fail "LiFePO4 half cell with RVE tensors: exit code $?"; cat "$work/lfp.log"; }
grep -q "rve: .*effective_tensors.json \[periodic\], B_e,xx = 0.15" "$work/lfp.log" \
  || fail "the RVE tensors were not used"
grep -q "common-tangent convexified" "$work/lfp.log" \
  || fail "the phase-separating card was not convexified"
awk -F, 'NR > 2 { if ($2 < 3.3 || $2 > 3.42) bad = 1 } END { exit bad }' \
  "$work/lfp/voltage.csv" || fail "LiFePO4 voltage off the 3.42 V plateau"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
