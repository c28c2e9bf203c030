#!/usr/bin/env bash
# scalebridge-electrode with Mechanics/Enabled: outputs (mechanics.csv, the
# summary block, displacement and stress in the VTU files), the free swelling
# of a discharging cell against the lithium it holds (no stress, thickness
# change = h eps*_xx (mean x - x0) per electrode), the same mechanics at 1, 2
# and 3 ranks, the stress feedback on the rest voltage against its closed
# form, and bad mechanics input refused with exit 2.
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.electrode_mechanics"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
prm="$source/inputs/electrode/marquis2019.prm"

common=(--set "Mesh/Cells in negative electrode=8"
        --set "Mesh/Cells in separator=3"
        --set "Mesh/Cells in positive electrode=8"
        --set "Mesh/Particle cells=6"
        --set "Mesh/In-plane cells=2"
        --set "Operating conditions/Protocol=Discharge at 1C for 900 s; Rest for 300 s"
        --set "Output/Profile times=0, 900"
        --set "Output/Plot=false"
        --set "Output/Deterministic output=true"
        --set "Mechanics/Enabled=true")

# 1. Swelling through the thickness only (compatible): no stress, and each
#    electrode's thickness change is h eps*_xx (mean x - x0), with the mean
#    lithium site fraction taken from the solid lithium of summary.json.
free=("${common[@]}"
      --set "Negative electrode/Effective mechanics/Swelling strain=0.06, 0, 0, 0, 0, 0"
      --set "Positive electrode/Effective mechanics/Swelling strain=-0.02, 0, 0, 0, 0, 0"
      --set "Negative electrode/Effective mechanics/Stiffness=4e9, 0.3"
      --set "Positive electrode/Effective mechanics/Stiffness=9e9, 0.25")
"$app" "$prm" "${free[@]}" --set "Output/Directory=$work/free" \
  > "$work/free.log" 2>&1 || { fail "free run: exit code $?"; tail "$work/free.log"; }
python3 - "$work/free" <<'PY' || fail "free swelling: see above"
import csv, json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
m = s["mechanics"]
rows = list(csv.DictReader(open(d + "/mechanics.csv")))
bad = 0
# Marquis et al. (2019): h, active fraction, c_max, x0 per electrode.
cells = {"negative": (100e-6, 0.6, 24983.2619938437, 0.8, 0.06, "negative_solid"),
         "positive": (100e-6, 0.5, 51217.9257309275, 0.6, -0.02, "positive_solid")}
for name, (h, eps_s, cmax, x0, e, key) in cells.items():
    lithium = s["lithium_mol_per_m2"]["end"][key]
    mean_x = lithium / (h * eps_s * cmax)
    expected = h * e * (mean_x - x0)
    got = float(rows[-1]["thickness_change_%s_m" % name])
    # The cell means of nodal particle averages against the lumped inventory:
    # the same trapezoidal rule on a uniform mesh, so round-off only.
    if abs(got - expected) > 1e-9 * abs(expected) + 1e-18:
        print("%s: thickness change %.12g, expected %.12g" % (name, got, expected)); bad = 1
if m["max_von_mises_Pa"] > 1e-6 * 4e9 * 0.06:
    print("compatible swelling is not stress free: %g Pa" % m["max_von_mises_Pa"]); bad = 1
for k in ("thickness_change_relative", "max_von_mises_Pa", "mean_hydrostatic_stress_Pa"):
    if k not in m: print("summary: no", k); bad = 1
for k in ("negative electrode", "separator", "positive electrode", "cell"):
    if k not in m["thickness_change_relative"]: print("summary: no relative change of", k); bad = 1
if len(rows) < 3 or abs(float(rows[0]["thickness_change_cell_m"])) > 1e-15:
    print("mechanics.csv: needs a zero first row and one per step"); bad = 1
if len(rows) != s["steps"]["accepted"] + 1:
    print("mechanics.csv: %d rows for %d accepted steps" % (len(rows), s["steps"]["accepted"])); bad = 1
sys.exit(bad)
PY

# 2. Isotropic swelling in 2D, clamped in-plane under stack pressure: the
#    same mechanics on 1, 2 and 3 processes; fields in the VTU records.
iso=("${common[@]}" --set "Cell/Dimension=2"
     --set "Negative electrode/Effective mechanics/Swelling strain=0.03"
     --set "Positive electrode/Effective mechanics/Swelling strain=0.01"
     --set "Mechanics/In-plane=clamped" --set "Mechanics/Stack pressure=2e5")
for n in 1 2 3; do
  $mpirun $n "$app" "$prm" "${iso[@]}" --set "Output/Directory=$work/np$n" \
    > "$work/np$n.log" 2>&1 || { fail "2D run on $n: exit code $?"; tail "$work/np$n.log"; }
done
for n in 2 3; do
  python3 - "$work/np1/mechanics.csv" "$work/np$n/mechanics.csv" <<'PY' \
    || fail "mechanics on $n processes differs from 1"
import csv, sys
a = list(csv.reader(open(sys.argv[1]))); b = list(csv.reader(open(sys.argv[2])))
assert a[0] == b[0] and len(a) == len(b), "different tables"
# Empty cells (the potential shift without feedback) must match as empty.
num = lambda v: float(v) if v else 0.0
assert all((x == "") == (y == "") for ra, rb in zip(a[1:], b[1:]) for x, y in zip(ra, rb))
scale = [max(abs(num(r[k])) for r in a[1:]) or 1 for k in range(len(a[0]))]
worst = max(abs(num(x) - num(y)) / scale[k]
            for ra, rb in zip(a[1:], b[1:]) for k, (x, y) in enumerate(zip(ra, rb)))
print("largest relative difference", worst)
sys.exit(0 if worst < 1e-8 else 1)
PY
done
grep -q "displacement_m" "$work/np2/vtu/solution_0001.pvtu" || fail "no displacement in the VTU"
grep -q "von_mises_stress_Pa" "$work/np2/vtu/solution_0001.pvtu" || fail "no stress in the VTU"
awk -F, 'NR > 1 && $6 <= 0 { bad = 1 } END { exit bad }' "$work/np1/mechanics.csv" \
  && true
python3 - "$work/np1/summary.json" <<'PY' || fail "clamped 2D: implausible stress"
import json, sys
m = json.load(open(sys.argv[1]))["mechanics"]
# A clamped electrode whose swelling changes by ~1 % carries ~E eps ~ 1e7 Pa.
sys.exit(0 if 1e5 < m["max_von_mises_Pa"] < 1e9 else 1)
PY

# 2b. Stress feedback at rest under a stack pressure P, clamped in-plane: the
#     stress is uniform, sigma_xx = -P and sigma_yy = sigma_zz = nu/(1-nu)
#     sigma_xx, so sigma_h = -P (1+nu) / (3 (1-nu)) in each electrode, and
#     the rest voltage moves by (Omega_p sigma_h,p - Omega_n sigma_h,n) / F
#     against the same run without feedback; in 1D on one process and in 2D
#     on two (the nodal stress is an average over cells of both processes).
rest=("${common[@]}"
      --set "Operating conditions/Protocol=Rest for 600 s"
      --set "Output/Profile times=0"
      --set "Negative electrode/Effective mechanics/Stiffness=4e9, 0.3"
      --set "Positive electrode/Effective mechanics/Stiffness=9e9, 0.2"
      --set "Negative electrode/Partial molar volume=3.2e-6"
      --set "Positive electrode/Partial molar volume=-1.1e-6"
      --set "Mechanics/In-plane=clamped" --set "Mechanics/Stack pressure=5e7")
for case in "1 1" "2 2"; do
  set -- $case
  dim=$1; n=$2
  for fb in false true; do
    $mpirun $n "$app" "$prm" "${rest[@]}" --set "Cell/Dimension=$dim" \
      --set "Mechanics/Stress feedback=$fb" --set "Output/Directory=$work/rest${dim}d_$fb" \
      > "$work/rest${dim}d_$fb.log" 2>&1 || { fail "rest ${dim}D feedback=$fb: exit code $?"; tail "$work/rest${dim}d_$fb.log"; }
  done
  python3 - "$work/rest${dim}d_false" "$work/rest${dim}d_true" <<'PY' || fail "stress feedback at rest in ${dim}D"
import csv, json, sys
F, P = 96485.33212, 5e7
def sigma_h(nu): return -P * (1 + nu) / (3 * (1 - nu))
dn, dp = 3.2e-6 * sigma_h(0.3) / F, -1.1e-6 * sigma_h(0.2) / F
last = lambda d: float(list(csv.DictReader(open(d + "/voltage.csv")))[-1]["voltage_V"])
dv = last(sys.argv[2]) - last(sys.argv[1])
m = json.load(open(sys.argv[2] + "/summary.json"))["mechanics"]
s = m.get("stress_potential_shift_V", {})
print("rest voltage shift %.9e V, closed form %.9e V; electrode shifts %s" % (dv, dp - dn, s))
bad = 0
# The mechanics is exact for this uniform state (round-off); the voltage
# carries the Newton tolerance of the cell solve (well below 1e-9 V at rest).
if abs(dv - (dp - dn)) > 1e-9: print("voltage shift off"); bad = 1
if not m.get("stress_feedback") or abs(s["negative electrode"] - dn) > 1e-12 \
   or abs(s["positive electrode"] - dp) > 1e-12: print("summary shifts off"); bad = 1
if json.load(open(sys.argv[1] + "/summary.json"))["mechanics"].get("stress_feedback"):
    print("feedback reported without it"); bad = 1
sys.exit(bad)
PY
done

# 2c. Strategy card: the separator card gives the same mechanics as its
#     numbers typed in as a constant (E = 0.5 GPa, nu = 0.35).
sep=("${common[@]}" --set "Operating conditions/Protocol=Discharge at 1C for 300 s"
     --set "Output/Profile times=0" --set "Mechanics/In-plane=clamped"
     --set "Mechanics/Stack pressure=1e6"
     --set "Negative electrode/Effective mechanics/Swelling strain=0.03")
"$app" "$prm" "${sep[@]}" --set "Separator/Effective mechanics/Stiffness=0.5e9, 0.35" \
  --set "Output/Directory=$work/sep_constant" > "$work/sep_constant.log" 2>&1 \
  || fail "separator constant: exit code $?"
"$app" "$prm" "${sep[@]}" --set "Separator/Effective mechanics/Strategy=card" \
  --set "Separator/Effective mechanics/Material card=$source/inputs/materials/separator_polypropylene.json" \
  --set "Output/Directory=$work/sep_card" > "$work/sep_card.log" 2>&1 \
  || fail "separator card: exit code $?"
# The card builds C from E and nu in GPa, the constant from Pa: the two
# stiffnesses differ in the last bits, so the columns agree to round-off
# (1e-12 of each column's largest value), not bit for bit.
python3 - "$work/sep_constant/mechanics.csv" "$work/sep_card/mechanics.csv" <<'PY' \
  || fail "separator card: mechanics differs from the same constants"
import csv, sys
a, b = (list(csv.reader(open(f))) for f in sys.argv[1:3])
if a[0] != b[0] or len(a) != len(b):
    sys.exit("different columns or rows")
for j, name in enumerate(a[0]):
    x = [r[j] for r in a[1:]]
    y = [r[j] for r in b[1:]]
    if any((u == "") != (v == "") for u, v in zip(x, y)):
        sys.exit(name + ": empty cells differ")
    pairs = [(float(u), float(v)) for u, v in zip(x, y) if u != ""]
    scale = max([abs(u) for u, _ in pairs] + [1e-300])
    worst = max([abs(u - v) for u, v in pairs] + [0.0])
    if worst > 1e-12 * scale:
        sys.exit("%s: difference %g of %g" % (name, worst, scale))
PY

# The shipped input: C_eff and eps*_eff of the positive electrode from the RVE
# (a coarse 16^3 electrode microstructure here); LiFePO4 grows on lithiation.
(cd "$source" && "$build/bin/scalebridge-rve" inputs/rve/electrode.prm \
  --set "Microstructure/Voxels per side=16" --set "Output/Write fields=false" \
  --set "Output/Directory=$work/rve") > "$work/rve.log" 2>&1 || fail "rve: exit code $?"
(cd "$source" && $mpirun 2 "$app" inputs/electrode/lifepo4_half_cell_mechanics.prm \
  --set "Positive electrode/Effective transport/RVE file=$work/rve/effective_tensors.json" \
  --set "Positive electrode/Effective mechanics/RVE file=$work/rve/effective_tensors.json" \
  --set "Operating conditions/Protocol=Discharge at 1C for 600 s" \
  --set "Output/Plot=false" --set "Output/Directory=$work/shipped") \
  > "$work/shipped.log" 2>&1 || { fail "shipped input: exit code $?"; tail "$work/shipped.log"; }
python3 - "$work/shipped/summary.json" <<'PY' || fail "shipped input: the positive electrode does not grow, or no compressive stress shift"
import json, sys
m = json.load(open(sys.argv[1]))["mechanics"]
# The clamped coating grows against its foil: compressed, so the stress
# feedback lowers the positive electrode's potential.
grows = m["thickness_change_relative"]["positive electrode"] > 0
shift = m["stress_feedback"] and m["stress_potential_shift_V"]["positive electrode"] < 0
sys.exit(0 if grows and shift else 1)
PY

# 3. Bad mechanics input: exit 2, one line naming the entry, no outputs.
source "$source/tests/support/expect_error.sh"
mech=("$prm" --set "Mechanics/Enabled=true")
stiffness="Positive electrode/Effective mechanics/Stiffness"
expect_error negative_modulus "$stiffness" "E > 0" -- "${mech[@]}" --set "$stiffness=-1e9, 0.3"
expect_error poisson "$stiffness" "nu < 0.5" -- "${mech[@]}" --set "$stiffness=1e9, 0.6"
expect_error count "$stiffness" "36" -- "${mech[@]}" --set "$stiffness=1e9, 0.3, 4"
indefinite="1e9 2e9 0 0 0 0 2e9 1e9 0 0 0 0 0 0 1e9 0 0 0 0 0 0 1e9 0 0 0 0 0 0 1e9 0 0 0 0 0 0 1e9"
expect_error indefinite "$stiffness" "positive definite" -- "${mech[@]}" --set "$stiffness=$indefinite"
expect_error swelling_count "Positive electrode/Effective mechanics/Swelling strain" -- "${mech[@]}" \
  --set "Positive electrode/Effective mechanics/Swelling strain=0.1, 0.2"
expect_error pressure "Mechanics/Stack pressure" -- "${mech[@]}" --set "Mechanics/Stack pressure=-1"
expect_error card_no_elastic "Separator/Effective mechanics/Material card" "elastic" -- \
  "${mech[@]}" --set "Separator/Effective mechanics/Strategy=card" \
  --set "Separator/Effective mechanics/Material card=$source/inputs/materials/electrolyte_pore.json"
expect_error feedback_alone "Mechanics/Stress feedback" "Enabled" -- "$prm" \
  --set "Mechanics/Stress feedback=true"
expect_error feedback_omega "Positive electrode/Partial molar volume" -- "${mech[@]}" \
  --set "Mechanics/Stress feedback=true" --set "Negative electrode/Partial molar volume=3e-6"
expect_error omega_range "Negative electrode/Partial molar volume" "1e-4" -- "${mech[@]}" \
  --set "Negative electrode/Partial molar volume=1"

# RVE files: without the swelling keys, a 2D stiffness, swelling without a
# reference state (computed at lithiation 0).
python3 - "$work" <<'PY'
import json, sys
c = [[0.0] * 6 for _ in range(6)]
for i in range(3):
    for j in range(3): c[i][j] = 4e9 if i == j else 1.5e9
for i in range(3, 6): c[i][i] = 1.2e9
w = sys.argv[1]
def block(**extra):
    b = {"stiffness_voigt_Pa": c, "lithiation": 1.0}; b.update(extra); return b
json.dump({"periodic": block()}, open(w + "/no_swelling.json", "w"))
json.dump({"periodic": block(stiffness_voigt_Pa=[[4e9, 1e9, 0], [1e9, 4e9, 0], [0, 0, 1e9]],
                             swelling_strain_voigt=[0.01] * 3 + [0] * 3)},
          open(w + "/two_d.json", "w"))
json.dump({"periodic": block(lithiation=0.0, swelling_strain_voigt=[0.01] * 3 + [0] * 3)},
          open(w + "/no_reference.json", "w"))
PY
rve=(--set "Positive electrode/Effective mechanics/Strategy=rve")
file="Positive electrode/Effective mechanics/RVE file"
expect_error rve_no_swelling "no_swelling.json" "swelling_strain_voigt" -- "${mech[@]}" \
  "${rve[@]}" --set "$file=$work/no_swelling.json"
expect_error rve_two_d "two_d.json" "stiffness_voigt_Pa" "3D" -- "${mech[@]}" \
  "${rve[@]}" --set "$file=$work/two_d.json"
expect_error rve_no_reference "no_reference.json" "lithiation" "reference" -- "${mech[@]}" \
  "${rve[@]}" --set "$file=$work/no_reference.json"

[[ $failures -eq 0 ]] && echo "electrode mechanics: all checks passed"
exit $((failures > 0))
