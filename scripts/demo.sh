#!/usr/bin/env bash
# Installs what is missing, builds (Release) and runs the main ScaleBridge job
# on the shipped inputs, the whole chain from atomistic cards to a cell:
#   1. continuum parameters of every material card (scalebridge-properties)
#   2. RVE homogenization of a LiFePO4 / carbon-binder / electrolyte
#      electrode microstructure: effective stiffness, conductivity and the
#      transport-efficiency tensors of electrolyte and solid (scalebridge-rve)
#   3. a LiFePO4 half cell whose particles come from the card and whose
#      effective transport comes from step 2 (scalebridge-electrode)
#   4. the Marquis et al. (2019) graphite | LCO cell, 1C discharge
# Results go to output/ in the repository (OUTPUT_DIR overrides).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
bin="$build_dir/bin"
out="${OUTPUT_DIR:-$repo/output}"
ranks="${RANKS:-$(($(nproc) < 2 ? 1 : 2))}"
mpirun=(mpirun -np "$ranks")
cd "$repo" # inputs name cards and files relative to the repository root
mkdir -p "$out"

echo
echo "== 1. continuum parameters from the material cards (T = 298.15 K)"
for card in inputs/materials/*.json; do
  name="$(basename "$card" .json)"
  "$bin/scalebridge-properties" --material "$card" --temperature 298.15 \
    --output "$out/properties/$name.json"
done

echo
echo "== 2. RVE homogenization of a LiFePO4 electrode microstructure ($ranks ranks)"
"${mpirun[@]}" "$bin/scalebridge-rve" inputs/rve/electrode.prm \
  --set "Output/Directory=$out/rve/electrode"

echo
echo "== 3. LiFePO4 half cell: particles from the card, transport from the RVE"
"$bin/scalebridge-electrode" inputs/electrode/lifepo4_half_cell_rve.prm \
  --set "Positive electrode/Effective transport/RVE file=$out/rve/electrode/effective_tensors.json" \
  --set "Output/Directory=$out/electrode/lifepo4_half_cell_rve"

echo
echo "== 3b. the same cell in 2D with chemo-mechanics: stiffness and swelling from the RVE ($ranks ranks)"
"${mpirun[@]}" "$bin/scalebridge-electrode" inputs/electrode/lifepo4_half_cell_mechanics.prm \
  --set "Positive electrode/Effective transport/RVE file=$out/rve/electrode/effective_tensors.json" \
  --set "Positive electrode/Effective mechanics/RVE file=$out/rve/electrode/effective_tensors.json" \
  --set "Output/Directory=$out/electrode/lifepo4_half_cell_mechanics"

echo
echo "== 4. Marquis et al. (2019) cell, 1C discharge"
"$bin/scalebridge-electrode" inputs/electrode/marquis2019.prm \
  --set "Output/Directory=$out/electrode/marquis2019"

echo
echo "== 5. FE2: the LiFePO4 half cell in 2D with a live RVE per macro cell ($ranks ranks)"
# The shipped case (200 macro cells, 24^3 RVEs) takes about 17 minutes on 2
# cores; the demo runs it on a coarser macro mesh to 20 minutes of 1C.
"${mpirun[@]}" "$bin/scalebridge-electrode" inputs/electrode/lifepo4_half_cell_fe2.prm \
  --set "Mesh/In-plane cells=2" \
  --set "Operating conditions/Protocol=Discharge at 1C for 20 min" \
  --set "Output/Profile times=0, 600, 1200" \
  --set "Output/Directory=$out/electrode/lifepo4_half_cell_fe2"

echo
echo "== results in $out:"
echo "   properties/*.json|csv|png        continuum parameters and curves per card"
echo "   rve/electrode/effective_tensors.json, fields_periodic.pvtu (ParaView)"
echo "   electrode/*/voltage.csv|png, summary.json, profiles/"
echo "   electrode/lifepo4_half_cell_mechanics/mechanics.csv|png (thickness change, stress)"
echo "   electrode/lifepo4_half_cell_fe2/: summary.json \"fe2\" (RVE solves, reuse), vtu/ with per-cell porosity and efficiencies"
