#!/usr/bin/env bash
# Regression test of scalebridge-properties: runs on every shipped card and
# refuses bad input with a one-line error, exit code 2 and no output file.
# Arguments: build dir, source dir, mpirun command (unused: serial tool).
set -u
build="$1"
source="$2"
app="$build/bin/scalebridge-properties"
work="$build/tests/scratch/app.properties"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
source "$source/tests/support/hostile_markers.sh"

for card in "$source"/inputs/materials/*.json; do
  name=$(basename "$card" .json)
  out="$work/$name.json"
  if ! "$app" --material "$card" --temperature 298.15 --output "$out" \
       --samples 200 > "$work/$name.log" 2>&1; then
    fail "$name: exit code $?"; cat "$work/$name.log"; continue
  fi
  for key in tracer_diffusivity_m2_per_s coexistence spinodal \
             bulk_modulus_voigt_Pa bulk_modulus_reuss_Pa \
             shear_modulus_voigt_Pa shear_modulus_reuss_Pa curves; do
    grep -q "\"$key\"" "$out" || fail "$name: key $key missing"
  done
  ls "$work" | grep -q "\.tmp\." && fail "$name: temporary file left behind"
done
grep -q '"coexistence": \[' "$work/lifepo4.json" \
  || fail "lifepo4: no coexistence reported"
head -1 "$work/lifepo4.csv" \
  | grep -q "^x,mu_eV,thermodynamic_factor,ocv_V,ocv_equilibrium_V,chemical_diffusivity_m2_per_s$" \
  || fail "lifepo4: curves CSV missing or with other columns"

# expect_error NAME EXPECTED_FRAGMENT ARGS...: exit code 2, one line on
# stderr containing the fragment, no output file.
expect_error() {
  local name="$1" fragment="$2"; shift 2
  local out="$work/bad_$name.json"
  "$app" "$@" --output "$out" > "$work/bad_$name.out" 2> "$work/bad_$name.err"
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  [[ $(wc -l < "$work/bad_$name.err") -eq 1 ]] \
    || fail "$name: error is not one line: $(cat "$work/bad_$name.err")"
  grep -q -- "$fragment" "$work/bad_$name.err" \
    || fail "$name: '$fragment' not in: $(cat "$work/bad_$name.err")"
  [[ ! -e "$out" ]] || fail "$name: output written despite the error"
}

lfp="$source/inputs/materials/lifepo4.json"
expect_error missing_card "nothing.json" --material "$work/nothing.json" --temperature 300
expect_error negative_temperature "--temperature" --material "$lfp" --temperature -5
expect_error bad_number "--temperature" --material "$lfp" --temperature warm
expect_error no_temperature "--temperature" --material "$lfp"
expect_error hot_temperature "(0, 1e4]" --material "$lfp" --temperature 1e5
expect_error too_many_samples "--samples" --material "$lfp" --temperature 300 --samples 1000000
expect_error unknown_option "--frobnicate" --material "$lfp" --temperature 300 --frobnicate 1
sed 's/"migration_barrier_eV": /"migration_barrier_eV": -/' "$lfp" > "$work/negative_barrier.json"
expect_error negative_barrier "diffusion/migration_barrier_eV" --material "$work/negative_barrier.json" --temperature 300
sed 's/"symmetry_factor": 0.5/"symmetry_factor": 1.5/' "$lfp" > "$work/bad_alpha.json"
expect_error bad_alpha "kinetics/symmetry_factor" --material "$work/bad_alpha.json" --temperature 300
sed 's/"C12": 72.8/"C12": 720.8/' "$lfp" > "$work/unstable.json"
expect_error unstable "Born" --material "$work/unstable.json" --temperature 300
echo '{"name": "x", "elastic": {"symmetry": "cubic", "C11": 1, "C12": 0, "C44": 1}}' > "$work/no_units.json"
expect_error no_units "elastic/units" --material "$work/no_units.json" --temperature 300

"$app" --help | grep -q "tracer_diffusivity_m2_per_s" || fail "--help does not list the keys"

# Output locations are checked before anything is computed, and --output
# never overwrites the card it reads.
# expect_output_error NAME FRAGMENT CARD OUTPUT
expect_output_error() {
  local name="$1" fragment="$2" card="$3" out="$4"
  "$app" --material "$card" --temperature 300 --output "$out" \
    > "$work/bad_$name.out" 2> "$work/bad_$name.err"
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  [[ $(wc -l < "$work/bad_$name.err") -eq 1 ]] \
    || fail "$name: error is not one line: $(cat "$work/bad_$name.err")"
  grep -q -- "$fragment" "$work/bad_$name.err" \
    || fail "$name: '$fragment' not in: $(cat "$work/bad_$name.err")"
  grep -q "tracer diffusivity" "$work/bad_$name.out" \
    && fail "$name: computed before refusing"
}
cp "$lfp" "$work/own.json"
expect_output_error output_is_card "would overwrite the material card" \
  "$work/own.json" "$work/../$(basename "$work")/own.json"
cmp -s "$lfp" "$work/own.json" || fail "output_is_card: the card was changed"
cp "$lfp" "$work/own.csv"
expect_output_error csv_is_card "would overwrite the material card" \
  "$work/own.csv" "$work/own.json"
mkdir -p "$work/taken.json"
expect_output_error output_is_directory "a directory where a file belongs" "$lfp" "$work/taken.json"
touch "$work/plain"
expect_output_error below_a_file "a file where a directory belongs" "$lfp" "$work/plain/out.json"
if [[ -d /proc/self ]]; then
  expect_output_error unwritable "cannot be written" "$lfp" "/proc/scalebridge_out/x.json"
fi

# Hostile cards: refused with one line and exit code 2, never a crash.
{ printf '{"name": '; head -c 200000 /dev/zero | tr '\0' '['
  head -c 200000 /dev/zero | tr '\0' ']'; printf '}'; } > "$work/deep.json"
expect_error deep_nesting "nested deeper" --material "$work/deep.json" --temperature 300
sed 's/"C11": 138.9/"C11": 1e308/' "$lfp" > "$work/huge_stiffness.json"
expect_error huge_stiffness "elastic/C11" --material "$work/huge_stiffness.json" --temperature 300
sed 's/"C11": 138.9/"C11": 1e400/' "$lfp" > "$work/overflow.json"
expect_error number_overflow "range of a double" --material "$work/overflow.json" --temperature 300
sed 's/"C11": 138.9,/"C11": 138.9, "C11": 139.0,/' "$lfp" > "$work/duplicate.json"
expect_error duplicate_key "elastic/C11" --material "$work/duplicate.json" --temperature 300
sed 's/"omega_eV": 0.115/"omega_eV": 50/' "$lfp" > "$work/absurd_omega.json"
expect_error absurd_omega "thermodynamics/omega_eV" --material "$work/absurd_omega.json" --temperature 300
expect_error card_is_directory "is a directory" --material "$work/taken.json" --temperature 300

# Hostile paths and card names execute nothing: an output directory named
# with $(...) and back-quotes, and a card whose name (the plot title) holds
# back-quotes, $(...), quotes and a newline followed by a gnuplot `!` command.
# Markers are relative names (created in the cwd, $work) or in /tmp.
markers="sb_props_marker_dir sb_props_marker_dir_bq sb_props_marker_name_bq
         sb_props_marker_name_dollar sb_props_marker_bang sb_props_marker_system"
for m in $markers; do rm -f "/tmp/$m" "$PWD/$m"; done
hostile="$work/out \$(touch sb_props_marker_dir) \`touch sb_props_marker_dir_bq\` it's"
mkdir -p "$hostile"
sed 's|"name": "[^"]*"|"name": "LFP `touch sb_props_marker_name_bq` $(touch /tmp/sb_props_marker_name_dollar) it'"'"'s \\"q\\"\\n!touch sb_props_marker_bang\\nsystem(\\"touch /tmp/sb_props_marker_system\\")"|' \
  "$lfp" > "$hostile/card.json"
grep -q 'touch sb_props_marker_name_bq' "$hostile/card.json" \
  || fail "hostile: card name not replaced"
if (cd "$work" && "$app" --material "$hostile/card.json" --temperature 298.15 \
      --output "$hostile/props.json" --samples 50) > "$work/hostile.log" 2>&1; then
  for f in props.json props.csv; do
    [[ -s "$hostile/$f" ]] || fail "hostile: $f missing"
  done
  grep -q 'touch sb_props_marker_name_bq' "$hostile/props.json" \
    || fail "hostile: card name not in the report"
  if command -v gnuplot > /dev/null; then
    head -c 4 "$hostile/props.png" 2>/dev/null | grep -q "PNG" \
      || fail "hostile: no props.png although gnuplot exists"
  fi
  ls "$hostile" | grep -q "\.tmp\." && fail "hostile: temporary file left behind"
else
  fail "hostile: exit code $?"; cat "$work/hostile.log"
fi
check_no_markers hostile "$markers" "$work" "$hostile" "$PWD" /tmp


if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "all properties app checks passed"
