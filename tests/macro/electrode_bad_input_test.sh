#!/usr/bin/env bash
# Bad input to scalebridge-electrode: exit code 2, a one-line error naming
# the file and the entry, and no outputs at all.
# Arguments: build dir, source dir, mpirun command (unused).
set -u
build="$1"
source="$2"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.electrode_bad_input"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
prm="$source/inputs/electrode/marquis2019.prm"

source "$source/tests/support/expect_error.sh"

expect_error negative_thickness "marquis2019.prm" "Negative electrode/Thickness" -- \
  "$prm" --set "Negative electrode/Thickness=-1e-4"
expect_error porosity "marquis2019.prm" "Positive electrode/Porosity" "(0,1)" -- \
  "$prm" --set "Positive electrode/Porosity=1.2"
expect_error unknown_function "marquis2019.prm" \
  "Negative electrode/Open-circuit potential" "foo" -- \
  "$prm" --set "Negative electrode/Open-circuit potential=0.2 + foo(sto)"
expect_error cutoff_above_ocv "marquis2019.prm" \
  "Operating conditions/Lower voltage cut-off" "3.85" -- \
  "$prm" --set "Operating conditions/Lower voltage cut-off=3.9"
expect_error bad_protocol "Operating conditions/Protocol" "Dance" -- \
  "$prm" --set "Operating conditions/Protocol=Dance at 1C"
expect_error missing_rve "effective.json" -- \
  "$prm" --set "Positive electrode/Effective transport/Strategy=rve" \
  --set "Positive electrode/Effective transport/RVE file=$work/effective.json"
expect_error unknown_entry "Positive electrode" "Porosityy" -- \
  "$prm" --set "Positive electrode/Porosityy=0.3"

# A card without a kinetics block, asked for its kinetics.
python3 - "$source/inputs/materials/lifepo4.json" "$work/no_kinetics.json" <<'PY'
import json, sys
card = json.load(open(sys.argv[1]))
card.pop("kinetics"); card.pop("uncertainty", None)
json.dump(card, open(sys.argv[2], "w"), indent=2)
PY
expect_error no_kinetics "no_kinetics.json" "kinetics" -- \
  "$prm" --set "Positive electrode/Material card=$work/no_kinetics.json" \
  --set "Positive electrode/Exchange-current density=card"

expect_error missing_file "nothing.prm" -- "$work/nothing.prm"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
