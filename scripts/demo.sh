#!/usr/bin/env bash
# Installs what is missing, builds (Release) and runs the main ScaleBridge job
# on the shipped inputs. Results go to output/ in the repository.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/setup.sh"
bin="$build_dir/bin"
out="${OUTPUT_DIR:-$repo/output}"
mkdir -p "$out"

echo "== continuum parameters from the shipped material cards (T = 298.15 K)"
for card in "$repo"/inputs/materials/*.json; do
  name="$(basename "$card" .json)"
  "$bin/scalebridge-properties" --material "$card" --temperature 298.15 \
    --output "$out/properties/$name.json"
done
echo "== results in $out"
