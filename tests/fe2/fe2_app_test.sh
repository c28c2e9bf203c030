#!/usr/bin/env bash
# scalebridge-electrode on the shipped FE2 input, made small (coarse macro
# mesh, 12^3 RVEs, 10 minutes of 1C) on two MPI processes: the run succeeds,
# summary.json reports the FE2 work, profiles and VTU carry the per-cell
# porosity and efficiencies, and bad FE2 input is refused with the region and
# entry named and nothing written.
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.fe2"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cd "$source" || exit 1
small=(--set "Mesh/Cells in separator=2"
       --set "Mesh/Cells in positive electrode=4"
       --set "Mesh/In-plane cells=2"
       --set "Mesh/Particle cells=8"
       --set "Positive electrode/RVE/Microstructure/Voxels per side=12"
       --set "Positive electrode/RVE/Microstructure/Radius=0.2"
       --set "Operating conditions/Protocol=Discharge at 1C for 10 min"
       --set "Output/Profile times=0, 600"
       --set "Output/Plot=false"
       --set "Output/Deterministic output=true")
prm=inputs/electrode/lifepo4_half_cell_fe2.prm
out="$work/run"
if ! $mpirun 2 "$app" "$prm" "${small[@]}" --set "Output/Directory=$out" \
  > "$work/run.log" 2>&1; then
  fail "FE2 run: exit code $?"; cat "$work/run.log"
fi
grep -q "FE2: 8 macro-cell queries" "$work/run.log" \
  || fail "no FE2 progress line"
grep -q "RVE solves [0-9]*, reused" "$work/run.log" \
  || fail "progress lines do not count RVE solves"
summary="$out/summary.json"
for key in queries rve_solves reused ranks_per_rve groups rve_wall_time_s \
           verified_max_relative_error; do
  jq -e ".fe2.$key != null" "$summary" > /dev/null 2>&1 \
    || fail "summary.json has no fe2/$key"
done
jq -e '.fe2.groups == 2 and .fe2.ranks_per_rve == 1 and .fe2.rves == 8' \
  "$summary" > /dev/null || fail "summary.json: wrong groups or RVE count"
jq -e '.fe2.rve_solves < .fe2.queries' "$summary" > /dev/null \
  || fail "no reuse at all"
head -1 "$out/profiles/profile_600s.csv" \
  | grep -q ",porosity,electrolyte_efficiency_xx,electrolyte_efficiency_yy,solid_efficiency_xx,solid_efficiency_yy$" \
  || fail "profile without the per-cell columns"
grep -q 'Name="solid_efficiency_xx"' "$out"/vtu/solution_*.0.vtu 2>/dev/null \
  || fail "VTU without the per-cell fields"

# Bad input: exit code 2, one line naming the entry, nothing written.
bad() {
  local expect="$1"
  shift
  local dir="$work/bad"
  rm -rf "$dir"
  $mpirun 2 "$app" "$prm" "${small[@]}" --set "Output/Directory=$dir" "$@" \
    > "$work/bad.log" 2>&1
  local code=$?
  [[ $code -eq 2 ]] || fail "$expect: exit code $code, not 2"
  grep -q "$expect" "$work/bad.log" || fail "message does not name '$expect'"
  [[ -e "$dir" ]] && fail "$expect: $dir was written"
}
bad "FE2/Ranks per RVE" --set "FE2/Ranks per RVE=3"
bad "Positive electrode/RVE/Microstructure/Phase fractions" \
  --set "Positive electrode/RVE/Microstructure/Phase fractions=0.7, 0.4, 0.2"
bad "FE2/Porosity function" --set "FE2/Porosity function=2 - x"

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "app.fe2: all checks passed"
