#!/usr/bin/env bash
# Regression test of scalebridge-rve: --help, a 2D laminate under all three
# conditions (checked against the layered-composite formulas, stiffness and
# swelling) with Q1 and,
# periodic, with Q2 elements (fields on twice subdivided patches), a small 3D
# electrode with transport-efficiency groups on 1 and 2 ranks (same tensors),
# and bad input (one-line error naming file and entry, exit code 2, no
# output).
# Arguments: build dir, source dir, mpirun command (e.g. "mpiexec ... -np").
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-rve"
work="$build/tests/scratch/app.rve"
cards="$source/inputs/materials"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
source "$source/tests/support/hostile_markers.sh"
# near A B REL: |A - B| <= REL |B|
near() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= r * m) }'; }

# --help prints a documented default parameter file
"$app" --help > help.txt || fail "--help exit code $?"
for entry in "set Dimension" "subsection Microstructure" "set Phase cards" \
             "subsection Boundary conditions" "set Groups" "set Directory" \
             "set Element degree"; do
  grep -q "$entry" help.txt || fail "--help lacks '$entry'"
done

# --- 2D laminate, all conditions ------------------------------------------
# LiFePO4 layers (phase 0, y < 3/4) and electrolyte-filled pores (phase 1):
# the pores carry no load, so the periodic in-plane stiffness is the
# plane-strain-reduced C'_11 = f (C11 - C1b Cbb^-1 Cb1) and uniform
# tractions cannot act; the conductivity along the layers is the
# arithmetic mean, across them the harmonic mean.
cat > laminate.prm <<EOF
set Dimension = 2
subsection Microstructure
  set Generator       = laminate
  set Voxels per side = 16
  set Volume fraction = 0.25
  set Laminate normal = y
end
subsection Materials
  set Phase cards = $cards/lifepo4.json, $cards/electrolyte_pore.json
end
subsection Boundary conditions
  set Type = all
end
subsection Output
  set Directory     = laminate
  set Deterministic = true
end
EOF
if "$app" laminate.prm > laminate.log 2>&1; then
  json=laminate/effective_tensors.json
  for key in volume_fractions bounds phases microstructure boundary_conditions; do
    jq -e ".$key" "$json" > /dev/null || fail "laminate: top-level $key missing"
  done
  for bc in periodic kubc tubc; do
    for key in stiffness_voigt_Pa stiffness_mandel_Pa conductivity volume_fractions \
               hill_mandel_relative_residual boundary_condition voxels dofs \
               iterations wall_time_s eigenstress_voigt_Pa swelling_strain_voigt; do
      jq -e ".$bc.$key" "$json" > /dev/null || fail "laminate: $bc.$key missing"
    done
    [[ -s laminate/fields_$bc.pvtu && -s laminate/fields_${bc}_0.vtu ]] \
      || fail "laminate: fields_$bc missing"
    hm=$(jq ".$bc.hill_mandel_relative_residual" "$json")
    awk -v h="$hm" 'BEGIN { exit !(h < 1e-6) }' || fail "laminate: $bc Hill-Mandel $hm"
  done
  # C'_11 = 0.75 (C11 - C12^2 / C22) for orthorhombic LiFePO4 (GPa), in-plane
  # block 11, 22, 12 without coupling: C1b Cbb^-1 Cb1 = C12^2 / C22.
  expected=$(awk 'BEGIN { printf "%.10e", 0.75 * (138.9e9 - 72.8e9 * 72.8e9 / 198.0e9) }')
  near "$(jq '.periodic.stiffness_voigt_Pa[0][0]' "$json")" "$expected" 1e-8 \
    || fail "laminate: periodic C11 $(jq '.periodic.stiffness_voigt_Pa[0][0]' "$json") != $expected"
  awk -v a="$(jq '.periodic.stiffness_voigt_Pa[1][1]' "$json")" -v b="$expected" \
    'BEGIN { if (a < 0) a = -a; exit !(a <= 1e-8 * b) }' \
    || fail "laminate: periodic C22 across a void layer is not 0"
  [[ $(jq '.tubc.stiffness_voigt_Pa | flatten | map(. * .) | add' "$json") == 0 ]] \
    || fail "laminate: tubc stiffness with pores on the boundary is not 0"
  arith=$(awk 'BEGIN { printf "%.10e", 0.75 * 1e-9 + 0.25 * 1.1046 }')
  harm=$(awk 'BEGIN { printf "%.10e", 1 / (0.75 / 1e-7 + 0.25 / 1.1046) }')
  near "$(jq '.periodic.conductivity[0][0]' "$json")" "$arith" 1e-8 || fail "laminate: periodic along"
  near "$(jq '.periodic.conductivity[1][1]' "$json")" "$harm" 1e-6 || fail "laminate: periodic across"
  near "$(jq '.kubc.conductivity[0][0]' "$json")" "$arith" 1e-8 || fail "laminate: kubc along"
  near "$(jq '.tubc.conductivity[1][1]' "$json")" "$harm" 1e-6 || fail "laminate: tubc across"
  # energy ordering on the diagonal: tubc <= periodic <= kubc
  for i in 0 1; do
    t=$(jq ".tubc.conductivity[$i][$i]" "$json"); p=$(jq ".periodic.conductivity[$i][$i]" "$json")
    k=$(jq ".kubc.conductivity[$i][$i]" "$json")
    awk -v t="$t" -v p="$p" -v k="$k" 'BEGIN { exit !(t <= p * (1 + 1e-9) && p <= k * (1 + 1e-9)) }' \
      || fail "laminate: ordering tubc $t periodic $p kubc $k"
  done
  # Swelling of the LiFePO4 layers at x = 1 (2D: 3 entries 11, 22, 12, as
  # the stiffness). Periodic: the layer is held at eps_11 = 0 (it spans x)
  # and eps_33 = 0 (plane strain) and is free across (sigma_22 = 0, the pore
  # layer), so with s = C eps* the eigenstress is tau_11 = -0.75 (s1 - C12
  # s2 / C22) and the free swelling s(1 - C12 s2 / C22) / (C11 - C12^2 /
  # C22); across the pore layer the swelling costs nothing and is 0; uniform
  # tractions cannot act on the cell (zeros).
  for bc in periodic kubc tubc; do
    for key in eigenstress_voigt_Pa swelling_strain_voigt; do
      [[ $(jq ".$bc.$key | length" "$json") == 3 ]] || fail "laminate: $bc.$key is not 3 numbers"
    done
  done
  swell=$(awk 'BEGIN { e1 = 0.05183; e2 = 0.03729; e3 = -0.01984
    s1 = 138.9 * e1 + 72.8 * e2 + 52.5 * e3; s2 = 72.8 * e1 + 198.0 * e2 + 46.2 * e3
    printf "%.12e %.12e", (s1 - 72.8 * s2 / 198.0) / (138.9 - 72.8 * 72.8 / 198.0), -0.75e9 * (s1 - 72.8 * s2 / 198.0) }')
  near "$(jq '.periodic.swelling_strain_voigt[0]' "$json")" "${swell% *}" 1e-8 \
    || fail "laminate: periodic swelling_11 $(jq '.periodic.swelling_strain_voigt[0]' "$json") != ${swell% *}"
  near "$(jq '.periodic.eigenstress_voigt_Pa[0]' "$json")" "${swell#* }" 1e-8 \
    || fail "laminate: periodic eigenstress_11 $(jq '.periodic.eigenstress_voigt_Pa[0]' "$json") != ${swell#* }"
  awk -v a="$(jq '.periodic.swelling_strain_voigt[1]' "$json")" 'BEGIN { exit !(a < 1e-12 && a > -1e-12) }' \
    || fail "laminate: periodic swelling across the pore layer is not 0"
  [[ $(jq '.tubc.swelling_strain_voigt | map(. * .) | add' "$json") == 0 ]] \
    || fail "laminate: tubc swelling with pores on the boundary is not 0"
  [[ $(jq '.phases[0].swells' "$json") == true && $(jq '.phases[1].swells' "$json") == false ]] \
    || fail "laminate: phases[].swells wrong"
  jq -e '.periodic.solver.swelling.iterations' "$json" > /dev/null \
    || fail "laminate: periodic.solver.swelling missing"
  grep -q "\[setup" laminate.log && fail "laminate: timings on screen despite Deterministic"
  ls laminate | grep -q "\.tmp" && fail "laminate: temporary file left behind"
  [[ $(jq '.element_degree' "$json") == 1 ]] || fail "laminate: element_degree is not 1"
else
  fail "laminate run failed"; cat laminate.log
fi

# --- the same laminate with Q2 elements, periodic ---------------------------
# Q2 contains the piecewise linear exact field: the same C'_11 and means.
if "$app" laminate.prm --set "Discretization/Element degree=2" \
     --set "Boundary conditions/Type=periodic" --set "Output/Directory=laminate_q2" \
     > laminate_q2.log 2>&1; then
  json=laminate_q2/effective_tensors.json
  [[ $(jq '.element_degree' "$json") == 2 ]] || fail "laminate Q2: element_degree is not 2"
  near "$(jq '.stiffness_voigt_Pa[0][0]' "$json")" "$expected" 1e-8 \
    || fail "laminate Q2: C11 $(jq '.stiffness_voigt_Pa[0][0]' "$json") != $expected"
  near "$(jq '.conductivity[0][0]' "$json")" "$arith" 1e-8 || fail "laminate Q2: along"
  near "$(jq '.conductivity[1][1]' "$json")" "$harm" 1e-6 || fail "laminate Q2: across"
  # (2 x 2 patches per cell of the 16 x 16 voxels: the Q2 nodes are points)
  grep -a -q 'NumberOfCells="1024"' laminate_q2/fields_periodic_0.vtu \
    || fail "laminate Q2: fields not on subdivided patches"
else
  fail "laminate Q2 run failed"; cat laminate_q2.log
fi

# --- 3D electrode with transport efficiency, 1 and 2 ranks --------------------
cat > electrode.prm <<EOF
set Dimension = 3
subsection Microstructure
  set Generator        = electrode
  set Voxels per side  = 16
  set Phase fractions  = 0.5, 0.1, 0.4
  set Radius           = 0.15
  set Seed             = 3
end
subsection Materials
  set Phase cards = $cards/lifepo4.json, $cards/carbon_binder.json, $cards/electrolyte_pore.json
end
subsection Transport efficiency
  set Groups = electrolyte: 2; solid: 0, 1
end
subsection Output
  set Directory    = electrode1
  set Write fields = false
end
EOF
if "$app" electrode.prm > electrode1.log 2>&1 \
   && $mpirun 2 "$app" electrode.prm --set "Output/Directory=electrode2" > electrode2.log 2>&1; then
  for run in electrode1 electrode2; do
    json=$run/effective_tensors.json
    for group in electrolyte solid; do
      for key in phases volume_fraction tensor tortuosity_factor percolates; do
        jq -e ".transport_efficiency.$group.$key" "$json" > /dev/null \
          || fail "$run: transport_efficiency.$group.$key missing"
      done
      for d in 0 1 2; do
        tau=$(jq ".transport_efficiency.$group.tortuosity_factor[$d]" "$json")
        awk -v t="$tau" 'BEGIN { exit !(t >= 1) }' || fail "$run: $group tortuosity $tau < 1"
      done
    done
  done
  for run in electrode1 electrode2; do
    for key in eigenstress_voigt_Pa swelling_strain_voigt; do
      [[ $(jq ".$key | length" $run/effective_tensors.json) == 6 ]] || fail "$run: $key is not 6 numbers"
    done
  done
  for i in 0 1 2; do
    a=$(jq ".swelling_strain_voigt[$i]" electrode1/effective_tensors.json)
    b=$(jq ".swelling_strain_voigt[$i]" electrode2/effective_tensors.json)
    near "$a" "$b" 1e-7 || fail "electrode: swelling_strain_voigt[$i] differs on 1 and 2 ranks: $a $b"
  done
  for key in stiffness_mandel_Pa conductivity transport_efficiency.electrolyte.tensor; do
    for i in 0 1 2; do
      a=$(jq ".$key[$i][$i]" electrode1/effective_tensors.json)
      b=$(jq ".$key[$i][$i]" electrode2/effective_tensors.json)
      near "$a" "$b" 1e-8 || fail "electrode: $key[$i][$i] differs on 1 and 2 ranks: $a $b"
    done
  done
else
  fail "electrode runs failed"; cat electrode1.log electrode2.log
fi

# --- a hostile Output/Directory executes nothing ----------------------------
# The shipped 2D laminate (cards named relative to the source tree) writes
# into a directory named with $(...) and back-quotes.
markers="sb_rve_marker_dollar sb_rve_marker_bq"
for m in $markers; do rm -f "/tmp/$m"; done
hostile="$work/out \$(touch sb_rve_marker_dollar) \`touch sb_rve_marker_bq\` it's \"q\""
if (cd "$source" && "$app" inputs/rve/laminate_2d.prm \
      --set "Output/Directory=$hostile" \
      --set "Microstructure/Voxels per side=16") > hostile.log 2>&1; then
  jq -e '.periodic.conductivity' "$hostile/effective_tensors.json" > /dev/null \
    || fail "hostile directory: effective_tensors.json missing"
  [[ -s "$hostile/fields_periodic.pvtu" ]] || fail "hostile directory: no fields"
  ls "$hostile" | grep -q "\.tmp" && fail "hostile directory: temporary file left behind"
else
  fail "hostile directory run failed"; cat hostile.log
fi
check_no_markers "hostile directory" "$markers" "$work" "$source" /tmp

# --- bad input: exit code 2, one line naming file and entry, no output -------
# expect_error NAME FRAGMENT ARGS...
expect_error() {
  local name="$1" fragment="$2"; shift 2
  local dir="bad_$name"
  "$app" "$@" --set "Output/Directory=$dir" > "$name.out" 2> "$name.err"
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  [[ $(wc -l < "$name.err") -eq 1 ]] || fail "$name: error is not one line: $(cat "$name.err")"
  grep -q -- "$fragment" "$name.err" || fail "$name: '$fragment' not in: $(cat "$name.err")"
  [[ ! -e "$dir" ]] || fail "$name: output written despite the error"
}
expect_error unknown_generator "Microstructure/Generator" laminate.prm --set "Microstructure/Generator=blob"
expect_error fraction_above_one "Microstructure/Volume fraction" laminate.prm --set "Microstructure/Volume fraction=1.5"
expect_error fraction_zero "laminate.prm: 'Microstructure/Volume fraction'" laminate.prm --set "Microstructure/Volume fraction=0"
expect_error empty_phase_list "laminate.prm: 'Materials/Phase cards'" laminate.prm --set "Materials/Phase cards="
expect_error missing_card "nothing.json" laminate.prm --set "Materials/Phase cards=nothing.json, $cards/lifepo4.json"
expect_error too_few_cards "Materials/Phase cards" laminate.prm --set "Materials/Phase cards=$cards/lifepo4.json"
head -c 100 /dev/zero > wrong_size.raw
expect_error raw_wrong_size "wrong_size.raw" laminate.prm --set "Microstructure/Generator=raw file" \
  --set "Microstructure/File=wrong_size.raw"
expect_error not_percolating "Transport efficiency/Groups" laminate.prm \
  --set "Transport efficiency/Groups=pore: 1"
expect_error unknown_group_phase "Transport efficiency/Groups" laminate.prm \
  --set "Transport efficiency/Groups=x: 7"
expect_error no_conducting_phase "Physics/Elasticity" laminate.prm \
  --set "Materials/Phase cards=$cards/electrolyte_pore.json, $cards/electrolyte_pore.json"
expect_error bad_set "Output/Nope" laminate.prm --set "Output/Nope=1"
expect_error missing_file "none.prm" none.prm

# --- output locations: refused before anything is computed -----------------
# expect_output_error NAME FRAGMENT DIRECTORY RANKS: exit code 2, one error
# line, no progress of a solve, no effective_tensors.json anywhere.
expect_output_error() {
  local name="$1" fragment="$2" dir="$3" ranks="$4"
  if ((ranks == 1)); then
    "$app" laminate.prm --set "Output/Directory=$dir" > "$name.out" 2> "$name.err"
  else
    $mpirun "$ranks" "$app" laminate.prm --set "Output/Directory=$dir" \
      > "$name.out" 2> "$name.err"
  fi
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  [[ $(grep -c "scalebridge-rve: error" "$name.err") -eq 1 ]] \
    || fail "$name: not exactly one error line: $(cat "$name.err")"
  grep -q -- "$fragment" "$name.err" || fail "$name: '$fragment' not in: $(cat "$name.err")"
  grep -q "laminate.prm: 'Output/Directory'" "$name.err" \
    || fail "$name: file and entry not named: $(cat "$name.err")"
  grep -q "setting up" "$name.out" && fail "$name: computed before refusing"
  [[ -e effective_tensors.json ]] && fail "$name: wrote into the working directory"
}
expect_output_error empty_directory "is empty" "" 1
touch a_file
expect_output_error directory_below_file "a file where a directory belongs" "a_file/out" 1
expect_output_error directory_below_file_np2 "a file where a directory belongs" "a_file/out" 2
mkdir -p taken/effective_tensors.json
expect_output_error directory_where_file_belongs "a directory where a file belongs" "taken" 1
if [[ -d /proc/self ]]; then
  expect_output_error unwritable "cannot be written" "/proc/scalebridge_out" 1
fi

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "all rve app checks passed"
