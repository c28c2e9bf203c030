#!/usr/bin/env bash
# scalebridge-study, small: an RVE-size study of random spheres (means obey
# KUBC >= PBC >= TUBC per realization, the spread falls with size, a
# one-phase medium has no spread, 1 and 2 ranks give the same study.json, a
# second run reuses every item and a changed card is solved again), an
# uncertainty study of the Marquis cell with a microstructure input and one
# of the LiFePO4 half cell with its card's covariance (every block of
# study.json present and finite), and bad input (exit 2, one line, nothing
# written).
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-study"
work="$build/tests/scratch/app.study"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cd "$source" || exit 1

# --- RVE size ------------------------------------------------------------
# Spheres of radius 1.5 voxels (20 %) at a contrast of 10 in stiffness and
# conductivity, cells of 6 and 15 voxels per side: both hold several spheres,
# so the spread of the apparent tensors falls as V^-1/2 (Kanit et al. 2003),
# by 1/sqrt(15.6) here. With 6 realizations a sample sd that does not fall
# has a probability P(F(5,5) > 15.6) = 0.4 % per component. (At the cards'
# own contrast, 1e8 in ionic conductivity, TUBC converges far more slowly.)
cat > "$work/matrix.json" <<'JSON'
{
  "name": "Matrix of the size study test",
  "elastic": {"symmetry": "isotropic", "units": "GPa", "E": 1.0, "nu": 0.3},
  "transport": {"units": "S/m", "conductivity": 0.1}
}
JSON
cat > "$work/inclusion.json" <<'JSON'
{
  "name": "Inclusion of the size study test (contrast 10)",
  "elastic": {"symmetry": "isotropic", "units": "GPa", "E": 10.0, "nu": 0.3},
  "transport": {"units": "S/m", "conductivity": 1.0}
}
JSON
size=(--set "RVE size/Sizes=6, 15" --set "RVE size/Realizations=6"
      --set "RVE size/Overrides=Microstructure/Radius=0.09375; Materials/Phase cards=$work/matrix.json, $work/inclusion.json"
      --set "Output/Plot=false" --set "Output/Deterministic output=true")
prm=inputs/study/rve_size.prm
for np in 1 2; do
  if ! $mpirun $np "$app" "$prm" "${size[@]}" \
      --set "Output/Directory=$work/size_np$np" > "$work/size_np$np.log" 2>&1; then
    fail "rve size on $np ranks: exit code"; cat "$work/size_np$np.log"
  fi
done
python3 - "$work" <<'PY' || failures=$((failures + 1))
import json, sys
w = sys.argv[1]
a = json.load(open(w + "/size_np1/study.json"))
b = json.load(open(w + "/size_np2/study.json"))
ok = True
def check(cond, text):
    global ok
    if not cond:
        print("FAIL:", text); ok = False
check({k: v for k, v in a.items() if k != "work"} == {k: v for k, v in b.items() if k != "work"},
      "study.json differs between 1 and 2 ranks")
check(a["work"]["solved"] == 36, "36 RVE solves expected, got %s" % a["work"]["solved"])
for comp in ["C11", "C22", "C44", "k11", "k33"]:
    for s in range(2):
        for r in range(6):
            k = a["kubc"][comp]["values"][s][r]
            p = a["periodic"][comp]["values"][s][r]
            t = a["tubc"][comp]["values"][s][r]
            # Bounds of the same cell (Huet 1990), up to the solver tolerance.
            check(k >= p * (1 - 1e-6) and p >= t * (1 - 1e-6),
                  "%s size %d realization %d: kubc %g periodic %g tubc %g" % (comp, s, r, k, p, t))
    for c in ["periodic", "kubc", "tubc"]:
        sd = a[c][comp]["sd"]
        check(sd[1] < sd[0], "%s %s: sd does not fall with size: %s" % (c, comp, sd))
    check(a["kubc_tubc_gap"][comp][1]["relative"] < a["kubc_tubc_gap"][comp][0]["relative"],
          "KUBC-TUBC gap of %s does not shrink" % comp)
for key in ["variance_fit_K", "variance_fit_alpha", "required_edge", "extrapolated"]:
    check(key in a["periodic"]["C11"], "periodic C11 lacks " + key)
sys.exit(0 if ok else 1)
PY

# Continue: a second run solves nothing; a changed card is solved again.
$mpirun 2 "$app" "$prm" "${size[@]}" --set "Output/Directory=$work/size_np2" \
  > "$work/again.log" 2>&1 || fail "second run: exit code"
grep -q '"solved": 0' "$work/size_np2/study.json" || fail "second run solved items"
grep -q "36 of 36 items kept" "$work/again.log" || fail "no reuse line"
python3 - "$work/matrix.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d["description"] = d.get("description", "") + " (changed)"
json.dump(d, open(p, "w"), indent=1)
PY
$mpirun 2 "$app" "$prm" "${size[@]}" --set "Output/Directory=$work/size_np2" \
  > "$work/changed.log" 2>&1 || fail "run after a card change: exit code"
grep -q '"solved": 36' "$work/size_np2/study.json" \
  || fail "a changed card did not make the items be solved again"

# One phase: the same card for both phases, no spread.
$mpirun 2 "$app" "$prm" "${size[@]}" --set "Output/Directory=$work/one_phase" \
  --set "RVE size/Overrides=Microstructure/Radius=0.12; Materials/Phase cards=inputs/materials/carbon_binder.json, inputs/materials/carbon_binder.json" \
  > "$work/one.log" 2>&1 || { fail "one phase: exit code"; cat "$work/one.log"; }
python3 - "$work/one_phase/study.json" <<'PY' || failures=$((failures + 1))
import json, sys
a = json.load(open(sys.argv[1])); ok = True
for c in ["periodic", "kubc", "tubc"]:
    for comp in ["C11", "C12", "k11"]:
        m, sd = a[c][comp]["mean"][-1], max(a[c][comp]["sd"])
        if not sd <= 1e-8 * abs(m):
            print("FAIL: one phase %s %s sd %g mean %g" % (c, comp, sd, m)); ok = False
sys.exit(0 if ok else 1)
PY

# --- Uncertainty ---------------------------------------------------------
unc=(--set "Uncertainty/Samples=6" --set "Uncertainty/Time points=21"
     --set "Uncertainty/Bootstrap resamples=50"
     --set "Uncertainty/Microstructure/Overrides=Microstructure/Voxels per side=12; Microstructure/Radius=0.2"
     --set "Uncertainty/Microstructure/Realizations=2"
     --set "Uncertainty/Overrides=Mesh/Cells in negative electrode=10; Mesh/Cells in separator=5; Mesh/Cells in positive electrode=10; Mesh/Particle cells=8"
     --set "Output/Deterministic output=true")
for np in 1 2; do
  $mpirun $np "$app" inputs/study/uncertainty.prm "${unc[@]}" \
    --set "Output/Directory=$work/unc_np$np" > "$work/unc_np$np.log" 2>&1 \
    || { fail "uncertainty on $np ranks: exit code"; cat "$work/unc_np$np.log"; }
done
half=(--set "Uncertainty/Cell file=inputs/electrode/lifepo4_half_cell.prm"
      --set "Uncertainty/Cards=Positive electrode/Material card"
      --set "Uncertainty/Parameters=" --set "Uncertainty/Microstructure/Region="
      --set "Uncertainty/Samples=6" --set "Uncertainty/Time points=21"
      --set "Uncertainty/Bootstrap resamples=50"
      --set "Uncertainty/Overrides=Operating conditions/Protocol=Discharge at 1C until 3.0 V; Output/Profile times=0"
      --set "Output/Directory=$work/card")
$mpirun 2 "$app" inputs/study/uncertainty.prm "${half[@]}" > "$work/card.log" 2>&1 \
  || { fail "card covariance study: exit code"; cat "$work/card.log"; }
python3 - "$work" <<'PY' || failures=$((failures + 1))
import json, math, sys
w = sys.argv[1]; ok = True
def check(cond, text):
    global ok
    if not cond:
        print("FAIL:", text); ok = False
a = json.load(open(w + "/unc_np1/study.json"))
b = json.load(open(w + "/unc_np2/study.json"))
check({k: v for k, v in a.items() if k != "work"} == {k: v for k, v in b.items() if k != "work"},
      "uncertainty study.json differs between 1 and 2 ranks")
for s in (a, json.load(open(w + "/card/study.json"))):
    for key in ["first_order", "monte_carlo", "sobol_first", "sobol_total",
                "variance_split", "identifiability"]:
        check(key in s, "study.json lacks " + key)
    check(s["first_order"]["error_check_passed"], "finite-difference check failed")
    for q in ["capacity_Ah_per_m2", "energy_Wh_per_m2"]:
        mc = s["monte_carlo"][q]
        check(math.isfinite(mc["mean"]) and mc["sd"] >= 0 and mc["q05"] <= mc["q95"], q)
        v = s["variance_split"][q]
        check(abs(v["epistemic"] + v["aleatoric"] - v["variance"]) <= 1e-12 * max(v["variance"], 1e-300), "split " + q)
    check(len(s["monte_carlo"]["voltage_mean_V"]) == 21, "V(t) grid")
c = json.load(open(w + "/card/study.json"))
check(c["factors"] == ["diffusion.migration_barrier_eV + thermodynamics.omega_eV", "kinetics.i0_A_per_m2"],
      "card factors: %s" % c["factors"])
check(a["factors"][-1] == "microstructure (aleatoric)", "no microstructure factor")
check(a["variance_split"]["capacity_Ah_per_m2"]["aleatoric"] >= 0, "aleatoric variance")
check(len(c["identifiability"]["table"]) == 3, "identifiability table")
sys.exit(0 if ok else 1)
PY

# --- Bad input -------------------------------------------------------------
expect_bad() {
  local name="$1" entry="$2"; shift 2
  local out="$work/bad_$name"
  "$app" inputs/study/uncertainty.prm --set "Output/Directory=$out" "$@" \
    > "$work/bad_$name.log" 2>&1
  local code=$?
  [ $code -eq 2 ] || fail "$name: exit code $code, expected 2"
  [ "$(wc -l < "$work/bad_$name.log")" -eq 1 ] || fail "$name: not one line"
  grep -q "$entry" "$work/bad_$name.log" || fail "$name: does not name $entry"
  [ ! -e "$out" ] || fail "$name: wrote $out"
}
expect_bad distribution "Uncertainty/Parameters" \
  --set "Uncertainty/Parameters=Positive electrode/Particle radius: normal(1e-5, -1)"
expect_bad entry "Uncertainty/Parameters" \
  --set "Uncertainty/Parameters=Positive electrode/Radius: normal(1e-5, 1e-6)"
expect_bad cell_file "Uncertainty/Cell file" --set "Uncertainty/Cell file=nowhere.prm"
expect_bad type "Study/Type" --set "Study/Type=size"
expect_bad conditions "RVE size/Conditions" --set "Study/Type=rve size" \
  --set "RVE size/RVE file=inputs/study/spheres_rve.prm" --set "RVE size/Conditions=periodic, dirichlet"

[ $failures -eq 0 ] && echo "all study app checks passed"
exit $failures
