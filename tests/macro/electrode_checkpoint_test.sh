#!/usr/bin/env bash
# Checkpoint/restart of scalebridge-electrode: for 1D/2D/3D, full and half
# cell, every effective-transport strategy and FE2, a run with checkpoints is
# restarted from a middle checkpoint; voltage.csv, summary.json and profiles
# must equal the uninterrupted run's byte for byte on the same rank count
# (Deterministic output), and to 1e-8 on another. A run killed (SIGKILL)
# while a checkpoint is written leaves the previous one usable; damaged,
# incomplete and foreign checkpoints are refused with exit code 2.
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.electrode_checkpoint"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cd "$source" || exit 1

quiet=(--set "Output/Plot=false" --set "Output/Deterministic output=true"
       --set "Checkpoint/Keep=0")

# Largest difference relative to max(|value|, 1) over all numbers of two
# CSV files with the same shape.
csv_difference() {
  paste -d, "$1" "$2" | awk -F, 'NR > 1 { n = NF / 2
    for (i = 1; i <= n; ++i) { d = $i - $(i + n); if (d < 0) d = -d
      s = $i < 0 ? -$i : $i; if (s < 1) s = 1; if (d / s > m) m = d / s } }
    END { printf "%.3g", m + 0 }'
}

# compare NAME REFERENCE_DIR RESTARTED_DIR SAME_RANKS
compare() {
  local name="$1" ref="$2" out="$3" same="$4" f
  local files=(voltage.csv $(cd "$ref" && ls profiles/*))
  [[ -s "$out/summary.json" ]] || { fail "$name: restarted run wrote no summary"; return; }
  if [[ $same == yes ]]; then
    cmp -s "$ref/summary.json" "$out/summary.json" \
      || fail "$name: summary.json differs from the uninterrupted run"
    for f in "${files[@]}"; do
      cmp -s "$ref/$f" "$out/$f" || fail "$name: $f differs from the uninterrupted run"
    done
  else
    for f in "${files[@]}"; do
      local d
      d=$(csv_difference "$ref/$f" "$out/$f")
      awk -v d="$d" 'BEGIN { exit !(d <= 1e-8) }' \
        || fail "$name: $f differs by $d (> 1e-8) on another rank count"
    done
  fi
}

# case NAME RANKS RESTART_RANKS INTERVAL PRM ARGS...: uninterrupted run with
# checkpoints, restart from the middle checkpoint.
run_case() {
  local name="$1" ranks="$2" restart_ranks="$3" interval="$4" prm="$5"
  shift 5
  local dir="$work/$name"
  mkdir -p "$dir"
  local args=("$prm" "${quiet[@]}" --set "Checkpoint/Interval=$interval" "$@")
  if ! $mpirun "$ranks" "$app" "${args[@]}" --set "Output/Directory=$dir/full" \
       --set "Checkpoint/Directory=$dir/checkpoints" > "$dir/full.log" 2>&1; then
    fail "$name: run with checkpoints failed"; tail -5 "$dir/full.log"; return
  fi
  local all=("$dir"/checkpoints/t_*)
  local n=${#all[@]}
  [[ $n -ge 2 ]] || { fail "$name: $n checkpoints written, expected several"; return; }
  local middle="${all[$((n / 2 - 1))]}"
  if ! $mpirun "$restart_ranks" "$app" "${args[@]}" --restart "$middle" \
       --set "Output/Directory=$dir/restarted" \
       --set "Checkpoint/Directory=$dir/checkpoints_restarted" \
       > "$dir/restarted.log" 2>&1; then
    fail "$name: restart from $(basename "$middle") failed"
    tail -5 "$dir/restarted.log"; return
  fi
  grep -q "^Restarted at t = " "$dir/restarted.log" \
    || fail "$name: no restart line"
  compare "$name" "$dir/full" "$dir/restarted" \
    "$([[ $ranks == "$restart_ranks" ]] && echo yes || echo no)"
}

marquis=inputs/electrode/marquis2019.prm
lfp=inputs/electrode/lifepo4_half_cell.prm
small=(--set "Mesh/Cells in negative electrode=6"
       --set "Mesh/Cells in separator=3"
       --set "Mesh/Cells in positive electrode=6"
       --set "Mesh/Particle cells=6")
cycle="Discharge at 1C for 900 s; Rest for 300 s; Hold at 3.75 V for 300 s"

# 1D full cell (Bruggeman), current, rest and voltage hold.
run_case 1d_full 1 1 250 "$marquis" "${small[@]}" \
  --set "Operating conditions/Protocol=$cycle" \
  --set "Output/Profile times=0, 600, 1500"
# 1D full cell with mechanics and stress feedback: the restart re-solves the
# mechanics of the checkpointed state for the potential shift (a direct
# solve in 1D, so the same bits).
run_case 1d_full_feedback 1 1 250 "$marquis" "${small[@]}" \
  --set "Operating conditions/Protocol=$cycle" \
  --set "Output/Profile times=0, 600, 1500" \
  --set "Mechanics/Enabled=true" --set "Mechanics/Stress feedback=true" \
  --set "Mechanics/In-plane=clamped" --set "Mechanics/Stack pressure=1e7" \
  --set "Negative electrode/Effective mechanics/Swelling strain=0.03" \
  --set "Negative electrode/Partial molar volume=3.2e-6" \
  --set "Positive electrode/Partial molar volume=-1.1e-6"
cmp -s "$work/1d_full_feedback/full/mechanics.csv" \
  "$work/1d_full_feedback/restarted/mechanics.csv" \
  || fail "1d_full_feedback: mechanics.csv differs from the uninterrupted run"
# 1D half cell with the phase-separating card and constant tensors.
run_case 1d_half_constant 1 1 300 "$lfp" --set "Mesh/Cells in separator=4" \
  --set "Mesh/Cells in positive electrode=6" --set "Mesh/Particle cells=8" \
  --set "Positive electrode/Effective transport/Strategy=constant" \
  --set "Positive electrode/Effective transport/Electrolyte tensor=0.2" \
  --set "Positive electrode/Effective transport/Solid tensor=0.4" \
  --set "Operating conditions/Protocol=Discharge at C/2 for 1200 s; Rest for 5 min" \
  --set "Output/Profile times=0, 1500"
# 1D half cell with tensors from an RVE result file.
python3 "$source/tests/support/write_effective_tensors.py" \
  "$work/effective_tensors.json"
run_case 1d_half_rve 1 1 300 "$lfp" --set "Mesh/Cells in separator=4" \
  --set "Mesh/Cells in positive electrode=6" --set "Mesh/Particle cells=8" \
  --set "Positive electrode/Effective transport/Strategy=rve" \
  --set "Positive electrode/Effective transport/RVE file=$work/effective_tensors.json" \
  --set "Operating conditions/Protocol=Discharge at C/2 for 1200 s" \
  --set "Output/Profile times=0, 1200"
# 2D full cell on 2 ranks: restart on 2 (bytes) and on 3 (1e-8).
two_d=("${small[@]}" --set "Cell/Dimension=2" --set "Mesh/In-plane cells=3"
       --set "Operating conditions/Protocol=$cycle"
       --set "Output/Profile times=0, 600, 1500")
run_case 2d_full 2 2 400 "$marquis" "${two_d[@]}"
run_case 2d_full_other_ranks 2 3 400 "$marquis" "${two_d[@]}"
[[ -s "$work/2d_full/restarted/vtu/solution_0002.pvtu" ]] \
  || fail "2d_full: the restarted run wrote no VTU"
# 3D full cell on 2 ranks.
run_case 3d_full 2 2 200 "$marquis" --set "Cell/Dimension=3" \
  --set "Mesh/Cells in negative electrode=4" --set "Mesh/Cells in separator=2" \
  --set "Mesh/Cells in positive electrode=4" --set "Mesh/Particle cells=5" \
  --set "Mesh/In-plane cells=2" \
  --set "Operating conditions/Protocol=Discharge at 1C for 600 s" \
  --set "Output/Profile times=0, 600"
# FE2 (2D half cell, live RVEs): the restart re-solves no RVE the tables
# hold, so its total equals the uninterrupted run's.
fe2=(--set "Mesh/Cells in separator=2" --set "Mesh/Cells in positive electrode=4"
     --set "Mesh/In-plane cells=2" --set "Mesh/Particle cells=8"
     --set "Positive electrode/RVE/Microstructure/Voxels per side=12"
     --set "Positive electrode/RVE/Microstructure/Radius=0.2"
     --set "Operating conditions/Protocol=Discharge at 1C for 10 min"
     --set "Output/Profile times=0, 600")
run_case fe2 2 2 200 inputs/electrode/lifepo4_half_cell_fe2.prm "${fe2[@]}"
run_case fe2_other_ranks 2 1 200 inputs/electrode/lifepo4_half_cell_fe2.prm "${fe2[@]}"
before=$(sed -n 's/.* restored; \([0-9]*\) RVE solves before the restart/\1/p' \
  "$work/fe2/restarted.log")
total=$(jq '.fe2.rve_solves' "$work/fe2/full/summary.json")
after=$(jq '.fe2.rve_solves' "$work/fe2/restarted/summary.json")
[[ -n "$before" && "$before" -gt 0 && "$after" == "$total" ]] \
  || fail "fe2: restored ${before:-no} solves; solves $after after restart vs $total uninterrupted"

# Killed while writing the second checkpoint: that folder never appears
# under its name; the first restarts and gives the uninterrupted result.
kill_dir="$work/killed"
mkdir -p "$kill_dir"
args=("$marquis" "${quiet[@]}" "${small[@]}" --set "Checkpoint/Interval=250"
      --set "Operating conditions/Protocol=$cycle"
      --set "Output/Profile times=0, 600, 1500")
SCALEBRIDGE_KILL_IN_CHECKPOINT=2 "$app" "${args[@]}" \
  --set "Output/Directory=$kill_dir/out" \
  --set "Checkpoint/Directory=$kill_dir/checkpoints" > "$kill_dir/run.log" 2>&1
code=$?
[[ $code -ne 0 ]] || fail "killed run: exit code 0"
complete=("$kill_dir"/checkpoints/t_*)
partial=("$kill_dir"/checkpoints/.partial-*)
[[ ${#complete[@]} -eq 1 && -d "${complete[0]}" ]] \
  || fail "killed run: ${#complete[@]} complete checkpoints, expected 1"
[[ -d "${partial[0]}" ]] || fail "killed run: no partial folder left to refuse"
"$app" "${args[@]}" --restart "${complete[0]}" \
  --set "Output/Directory=$kill_dir/restarted" \
  --set "Checkpoint/Directory=$kill_dir/checkpoints_restarted" \
  > "$kill_dir/restart.log" 2>&1 \
  || fail "restart after the kill failed"
compare killed "$work/1d_full/full" "$kill_dir/restarted" yes

# refused NAME EXPECTED_TEXT ARGS...: exit 2, one line with the text, no
# output written.
refused() {
  local name="$1" expect="$2"
  shift 2
  local out="$work/refused_$name"
  "$app" "$@" --set "Output/Directory=$out" > "$out.log" 2>&1
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  grep -q -- "$expect" "$out.log" || { fail "$name: no '$expect'"; cat "$out.log"; }
  [[ ! -e "$out/summary.json" ]] || fail "$name: wrote results"
}
refused partial "'manifest.json': missing" "${args[@]}" --restart "${partial[0]}"
damaged="$work/damaged"
cp -r "${complete[0]}" "$damaged"
truncate -s 100 "$damaged/state.bin"
refused damaged "'state.bin': does not match the manifest" "${args[@]}" \
  --restart "$damaged"
# Manifests a damaged or hostile folder may hold (the checkpoint_manifest
# fuzz target's class): an entry that is not an object gave nlohmann's
# "type_error.306" with exit 1; a name leading out of the folder.
for bad in number escape; do
  odd="$work/odd_$bad"
  cp -r "${complete[0]}" "$odd"
  if [[ $bad == number ]]; then edit='.files["state.bin"] = 3'
  else edit='.files["../../card.json"] = {"bytes": 1, "fnv1a64": "0"}'; fi
  jq "$edit" "${complete[0]}/manifest.json" > "$odd/manifest.json"
  refused "manifest_$bad" "'manifest.json': is damaged" "${args[@]}" \
    --restart "$odd"
done
refused missing_folder "no such directory" "${args[@]}" \
  --restart "$work/no_such_checkpoint"
refused no_value "'--restart': needs a value" "${args[@]}" --restart
refused other_cell "Positive electrode/Thickness: checkpoint has 0.0001, this input has 7e-05" \
  "${args[@]}" --set "Positive electrode/Thickness=7e-05" \
  --restart "${complete[0]}"
refused other_mesh "Mesh/Particle cells" "${args[@]}" \
  --set "Mesh/Particle cells=7" --restart "${complete[0]}"
# A card whose content changed under the same name.
card="$work/card.json"
cp inputs/materials/lifepo4.json "$card"
lfp_args=("$lfp" "${quiet[@]}" --set "Mesh/Cells in separator=4"
          --set "Mesh/Cells in positive electrode=6" --set "Mesh/Particle cells=8"
          --set "Positive electrode/Material card=$card"
          --set "Checkpoint/Interval=300"
          --set "Checkpoint/Directory=$work/card_checkpoints"
          --set "Operating conditions/Protocol=Discharge at C/2 for 700 s")
"$app" "${lfp_args[@]}" --set "Output/Directory=$work/card_run" \
  > "$work/card_run.log" 2>&1 || fail "run with a copied card failed"
first=("$work"/card_checkpoints/t_*)
sed -i '0,/"name"/s/"name": *"/"name": "edited /' "$card"
refused other_card "$card: content hash then" "${lfp_args[@]}" \
  --restart "${first[0]}"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
