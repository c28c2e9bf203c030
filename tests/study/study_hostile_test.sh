#!/usr/bin/env bash
# scalebridge-study with hostile names and bad input, small enough to run in
# every suite: command substitutions, back-quotes, ';', quotes and a newline
# in Output/Directory, in the RVE and cell file paths, in the card paths
# those files name and in the cards' names. Nothing may be executed (no
# marker file anywhere), each study writes into the literal directory
# (study.json, CSVs, PNG plots), and an unknown entry in
# Uncertainty/Parameters, Uncertainty/Cards or the overrides is refused with
# one line naming the study entry and exit 2 before anything is written, on
# 1 and 2 ranks.
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-study"
work="$build/tests/scratch/app.study_hostile"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cd "$source" || exit 1
source "$source/tests/support/hostile_markers.sh"
source "$source/tests/support/expect_error.sh"

markers="sb_study_marker_dir sb_study_marker_bq sb_study_marker_semi
         sb_study_marker_name sb_study_marker_name_bq"
# No ',' in the folder: RVE files list their phase cards with commas.
hostile="$work/hostile \$(touch sb_study_marker_dir) \`touch sb_study_marker_bq\`; touch sb_study_marker_semi 'sq' \"dq\""
mkdir -p "$hostile"
name='$(touch sb_study_marker_name) `touch sb_study_marker_name_bq`'
jq --arg n "binder $name" '.name = $n' inputs/materials/carbon_binder.json \
  > "$hostile/binder.json"
jq --arg n "LiFePO4 $name" '.name = $n' inputs/materials/lifepo4.json \
  > "$hostile/lfp.json"
# The RVE and cell files name the hostile cards (sed with '#': paths hold '|').
sed -e "s#inputs/materials/carbon_binder.json#$hostile/binder.json#" \
  inputs/study/spheres_rve.prm > "$hostile/rve.prm"
sed -e "s#inputs/materials/lifepo4.json#$hostile/lfp.json#" \
  inputs/electrode/lifepo4_half_cell.prm > "$hostile/cell.prm"
grep -qF "$hostile/binder.json" "$hostile/rve.prm" || fail "rve.prm set-up"
grep -qF "$hostile/lfp.json" "$hostile/cell.prm" || fail "cell.prm set-up"

# check_study LABEL DIR FILE...: the study wrote into the literal DIR, every
# PNG is a complete PNG (gnuplot ran on an inert script).
check_study() {
  local label="$1" dir="$2" f
  shift 2
  [[ -d "$dir" ]] || { fail "$label: no directory '$dir'"; return; }
  for f in study.json "$@"; do
    [[ -s "$dir/$f" ]] || fail "$label: '$dir/$f' missing or empty"
  done
  for f in "$dir"/*.png; do
    [[ -e "$f" ]] || { fail "$label: no PNG"; break; }
    [[ $(head -c 8 "$f" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] \
      || fail "$label: '$f' is not a PNG"
  done
}

# RVE size on 1 rank: two sizes, one realization, three conditions.
out_size="$hostile/size
second line"
if timeout 60 "$app" inputs/study/rve_size.prm \
    --set "RVE size/RVE file=$hostile/rve.prm" \
    --set "RVE size/Sizes=4, 6" --set "RVE size/Realizations=1" \
    --set "RVE size/Overrides=Microstructure/Radius=0.1" \
    --set "Output/Directory=$out_size" > "$work/size.log" 2>&1; then
  check_study "rve size" "$out_size" rve_size.csv rve_size_C11.png
  jq -e '.work.solved == 6' "$out_size/study.json" > /dev/null \
    || fail "rve size: 6 solves expected"
else
  fail "rve size with hostile names: exit code $?"; cat "$work/size.log"
fi

# Uncertainty on 2 ranks: the half cell (reading the hostile card) with one
# uncertain entry, 4 samples, few time points, a short discharge.
out_unc="$hostile/unc
second line"
if timeout 90 $mpirun 2 "$app" inputs/study/uncertainty.prm \
    --set "Uncertainty/Cell file=$hostile/cell.prm" \
    --set "Uncertainty/Cards=" --set "Uncertainty/Microstructure/Region=" \
    --set "Uncertainty/Parameters=Positive electrode/Particle radius: uniform(0.45e-6, 0.55e-6)" \
    --set "Uncertainty/Samples=4" --set "Uncertainty/Time points=5" \
    --set "Uncertainty/Bootstrap resamples=10" \
    --set "Uncertainty/Overrides=Operating conditions/Protocol=Discharge at 1C for 600 s; Output/Profile times=0; Mesh/Cells in separator=4; Mesh/Cells in positive electrode=6; Mesh/Particle cells=6" \
    --set "Output/Directory=$out_unc" > "$work/unc.log" 2>&1; then
  check_study uncertainty "$out_unc" voltage_band.csv sobol_capacity.csv \
    voltage_band.png sobol_capacity.png
  jq -e --arg f "$hostile/cell.prm" '.cell_file == $f' "$out_unc/study.json" \
    > /dev/null || fail "uncertainty: cell_file not kept as text"
else
  fail "uncertainty with hostile names: exit code $?"; cat "$work/unc.log"
fi
check_no_markers hostile "$markers" "$work" "$source" "$hostile" "$build/tests"

# Bad input: refused up front (one line, exit 2, nothing written).
unknown="Positive electrode/Radius: normal(1e-5, 1e-6)"
expect_error unknown_parameter "Uncertainty/Parameters" "Positive electrode/Radius" \
  -- inputs/study/uncertainty.prm --set "Uncertainty/Parameters=$unknown"
expect_error unknown_subsection "Uncertainty/Parameters" "Anode/Porosity" \
  -- inputs/study/uncertainty.prm \
  --set "Uncertainty/Parameters=Anode/Porosity: uniform(0.2, 0.3)"
expect_error unknown_card_entry "Uncertainty/Cards" "Positive electrode/Card" \
  -- inputs/study/uncertainty.prm --set "Uncertainty/Cards=Positive electrode/Card"
# Overrides are named by the study entry that holds them.
expect_error unknown_override "Uncertainty/Overrides" "Mesh/Cells" \
  -- inputs/study/uncertainty.prm --set "Uncertainty/Overrides=Mesh/Cells=4"
expect_error unknown_rve_override "RVE size/Overrides" "Microstructure/Radiu" \
  -- inputs/study/rve_size.prm --set "RVE size/Overrides=Microstructure/Radiu=0.1"
# On 2 ranks: the same single line once, nothing written.
expect_ranks=2 expect_error unknown_parameter_np2 "Uncertainty/Parameters" \
  "Positive electrode/Radius" \
  -- inputs/study/uncertainty.prm --set "Uncertainty/Parameters=$unknown"

[[ $failures -eq 0 ]] && echo "all hostile study checks passed"
exit $failures
