#!/usr/bin/env bash
# Regression test of scalebridge-atomistic: the shipped example (regenerated
# by the deterministic generator and compared with the shipped files) gives
# atomistic.json with the documented keys and a card every tool accepts;
# bad input is refused with one line naming file and entry, exit code 2,
# and nothing written.
# Arguments: build dir, source dir, mpirun command (unused: serial tool).
set -u
build="$1"
source="$2"
app="$build/bin/scalebridge-atomistic"
work="$build/tests/scratch/app.atomistic"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The shipped example is what the generator writes.
"$build/bin/scalebridge-atomistic-benchmark" --generate-example "$work/example" > /dev/null \
  || fail "generator failed"
for f in li_walk.dump heat_flux.dat npt_box.log; do
  cmp -s "$work/example/$f" "$source/inputs/atomistic/$f" \
    || fail "inputs/atomistic/$f differs from the generator's output"
done

cd "$source"
out="$work/out"
if ! "$app" inputs/atomistic/example.prm --set "Output/Directory=$out" \
     > "$work/run.log" 2>&1; then
  fail "example: exit code $?"; cat "$work/run.log"
fi
for key in tracer_diffusivity_m2_per_s thermal_conductivity_W_per_mK \
           elastic_constants_GPa migration_barrier_eV attempt_prefactor_m2_per_s \
           finite_size; do
  jq -e ".\"$key\"" "$out/atomistic.json" > /dev/null || fail "key $key missing"
done
for key in tracer_diffusivity_m2_per_s thermal_conductivity_W_per_mK \
           migration_barrier_eV attempt_prefactor_m2_per_s; do
  jq -e ".\"$key\".value > 0 and .\"$key\".standard_error > 0" \
    "$out/atomistic.json" > /dev/null || fail "$key: no value and standard error"
done
# Known answers of the synthetic data within 4 standard errors.
jq -e '(.tracer_diffusivity_m2_per_s | ((.value - 2e-10) | fabs) < 4 * .standard_error)
   and (.thermal_conductivity_W_per_mK | ((.value - 1.5574) | fabs) < 4 * .standard_error)
   and (.elastic_constants_GPa | ((.value[3][3] - 60) | fabs) < 4 * .standard_error[3][3])
   and (.elastic.symmetry == "cubic") and .elastic.born_stability.stable' \
  "$out/atomistic.json" > /dev/null || fail "example results off their known values"
jq -e '.uncertainty.parameters | index("elastic.C44") and index("diffusion.migration_barrier_eV")' \
  "$out/card.json" > /dev/null || fail "card uncertainty lacks the new entries"
[[ -s "$out/msd.csv" && -s "$out/green_kubo.csv" && -s "$out/arrhenius.csv" ]] \
  || fail "CSV tables missing"
if command -v gnuplot > /dev/null; then
  for p in msd green_kubo arrhenius; do
    [[ -s "$out/$p.png" ]] || fail "plot $p.png missing"
  done
fi
ls "$out" | grep -q "\.tmp\." && fail "temporary file left behind"

# The card is accepted by the tool that reads cards.
if [[ -x "$build/bin/scalebridge-properties" ]]; then
  "$build/bin/scalebridge-properties" --material "$out/card.json" \
    --temperature 300 > "$work/props.log" 2>&1 || fail "card refused: $(cat "$work/props.log")"
fi

# Merged into a base card: its other blocks and uncertainty entries stay,
# replaced ones go.
"$app" inputs/atomistic/example.prm --set "Output/Directory=$work/merged" \
  --set "Card/Base card=inputs/materials/lifepo4.json" --set "Card/Name=" \
  > /dev/null 2>&1 || fail "merge: exit code $?"
jq -e '(.name | startswith("LiFePO4")) and .thermodynamics.omega_eV == 0.115
   and (.uncertainty.parameters | index("thermodynamics.omega_eV"))
   and (.uncertainty.parameters | index("elastic.C11"))
   and .diffusion.jump_distance_m == 3e-10' \
  "$work/merged/card.json" > /dev/null || fail "merged card wrong"

# expect_error NAME FRAGMENT ARGS...: exit code 2, one line on stderr with
# the fragment, no output directory.
expect_error() {
  local name="$1" fragment="$2"; shift 2
  local dir="$work/bad_$name"
  "$app" "$@" --set "Output/Directory=$dir" > "$work/bad_$name.out" 2> "$work/bad_$name.err"
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  [[ $(wc -l < "$work/bad_$name.err") -eq 1 ]] \
    || fail "$name: error is not one line: $(cat "$work/bad_$name.err")"
  grep -qF -- "$fragment" "$work/bad_$name.err" \
    || fail "$name: '$fragment' not in: $(cat "$work/bad_$name.err")"
  [[ ! -e "$dir" ]] || fail "$name: output written despite the error"
}
prm=inputs/atomistic/example.prm
expect_error missing_dump "Diffusion/Trajectory" $prm --set "Diffusion/Trajectory=$work/none.dump"
head -c 200000 inputs/atomistic/li_walk.dump > "$work/truncated.dump"
expect_error truncated "truncated" $prm --set "Diffusion/Trajectory=$work/truncated.dump"
expect_error no_column "c_flux[4]" $prm --set "Green-Kubo/Columns=c_flux[1], c_flux[2], c_flux[4]"
expect_error two_columns "Green-Kubo/Columns" $prm --set "Green-Kubo/Columns=c_flux[1], c_flux[2]"
expect_error no_volume "Green-Kubo/Volume" $prm --set "Green-Kubo/Volume=0"
expect_error short_box "rows" $prm --set "Elastic constants/Number of blocks=100"
expect_error bad_window "Diffusion/Fit start" $prm --set "Diffusion/Fit start=soon"
expect_error bad_units "Units" $prm --set "Units=cgs"
expect_error arrhenius_lengths "Arrhenius/Values" $prm --set "Arrhenius/Values=1e-10, 2e-10"
expect_error unknown_entry "Frobnicate" $prm --set "Diffusion/Frobnicate=1"

# Bounds a run can meet: -1, 0 where meaningless, 1e300, nan and inf are
# refused naming the entry and the allowed range (times and volumes in the
# file's units, here metal: ps and A^3).
i=0
while IFS='|' read -r entry value fragment; do
  i=$((i + 1))
  expect_error "bound_$i" "$fragment" $prm --set "$entry=$value"
  grep -qF -- "${entry}" "$work/bad_bound_$i.err" \
    || fail "bound_$i: '$entry' not named: $(cat "$work/bad_bound_$i.err")"
done <<'CASES'
Diffusion/Time per frame|1e300|[1e-06, 1e+09] ps
Diffusion/Time per frame|0|[1e-06, 1e+09] ps
Diffusion/Time per frame|-1|Double 0
Diffusion/Time per frame|nan|Double 0
Diffusion/Temperature|1e300|Double 0...10000
Diffusion/Temperature|inf|Double 0...10000
Diffusion/Number of blocks|-1|Integer range 2...100000
Diffusion/Number of blocks|1e300|Integer range 2...100000
Diffusion/Fit start|1e300|[1e-06, 1e+12] ps
Diffusion/Fit end|inf|finite time > 0
Green-Kubo/Volume|1e300|[1, 1e+15] A^3
Green-Kubo/Volume|1e-300|[1, 1e+15] A^3
Green-Kubo/Temperature|1e300|Double 0...10000
Green-Kubo/Time per row|1e300|[1e-06, 1e+09] ps
Green-Kubo/Number of blocks|0|Integer range 2...100000
Green-Kubo/Plateau end|1e300|[1e-06, 1e+12] ps
Elastic constants/Temperature|1e300|Double 0...10000
Elastic constants/Pressure|1e300|[-1e+07, 1e+07] bar
Elastic constants/Pressure|-inf|Double
Elastic constants/Number of blocks|4294967295|Integer range 2...100000
Elastic constants/Symmetry threshold|1e300|Double 0...1000
Arrhenius/Temperatures|600, 700, 800, 1e300|Double 0...10000
Arrhenius/Values|1e-10, 1e-10, 1e-10, 1e300|Double 0...1e+09
Finite size/Box lengths|15, 20, 1e300|[1, 100000] A
Finite size/Values|1, 2, 1e300|Double -1e+100...1e+100
Finite size/Temperature|nan|Double 0...10000
Finite size/Viscosity|1e300|Double 0...1e+06
Card/Jump distance|1e300|Double 0...1e-08
Card/Coordination|1e300|Double 0...100
CASES

# The benchmark's numeric options (-1 was 18446744073709551615 blocks).
bench="$build/bin/scalebridge-atomistic-benchmark"
for args in "--blocks -1" "--blocks 1e300" "--threads 0" "--threads nan" \
            "--chunk-kb -1" "--generate-mb inf" "--generate-mb 1e300"; do
  $bench $args --directory "$work/bench" > /dev/null 2> "$work/bench.err"
  code=$?
  [[ $code -eq 2 ]] || fail "benchmark $args: exit code $code, expected 2"
  [[ $(wc -l < "$work/bench.err") -eq 1 ]] && grep -qF -- "'${args%% *}'" "$work/bench.err" \
    && grep -qF "in [" "$work/bench.err" \
    || fail "benchmark $args: $(cat "$work/bench.err")"
  [[ ! -e "$work/bench" ]] || fail "benchmark $args: wrote $work/bench"
done

"$app" --help | grep -q "Time per frame" || fail "--help lacks the entries"
"$app" --help | grep -q "tracer_diffusivity_m2_per_s\|atomistic.json" || fail "--help lacks the outputs"

# Hostile names: command substitutions, back-quotes and ';' in the output
# directory, the card name and the inputs' paths execute nothing (the plots
# and the card carry them as inert text).
source "$source/tests/support/hostile_markers.sh"
hostile="$work/hostile \$(touch sb_atom_marker_dir) \`touch sb_atom_marker_bq\`; touch sb_atom_marker_semi"
mkdir -p "$hostile/in"
cp inputs/atomistic/li_walk.dump inputs/atomistic/heat_flux.dat inputs/atomistic/npt_box.log "$hostile/in/"
if (cd "$work" && "$app" "$source/inputs/atomistic/example.prm" \
      --set "Diffusion/Trajectory=$hostile/in/li_walk.dump" \
      --set "Green-Kubo/Flux file=$hostile/in/heat_flux.dat" \
      --set "Elastic constants/Box file=$hostile/in/npt_box.log" \
      --set "Card/Name=Li \$(touch sb_atom_marker_name) \`touch sb_atom_marker_name_bq\`" \
      --set "Output/Directory=$hostile/out") > "$work/hostile.log" 2>&1; then
  jq -e '.name | test("touch sb_atom_marker_name_bq")' "$hostile/out/card.json" \
    > /dev/null || fail "hostile: the card name was not kept as text"
  ls "$hostile/out"/*.png > /dev/null 2>&1 || fail "hostile: no plots written"
else
  fail "hostile names: exit code $?"; cat "$work/hostile.log"
fi
check_no_markers hostile "sb_atom_marker_dir sb_atom_marker_bq sb_atom_marker_semi sb_atom_marker_name sb_atom_marker_name_bq" \
  "$work" "$source" "$hostile"

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "all app.atomistic checks passed"
