#!/usr/bin/env bash
# Installs what is missing (Debian packages), then configures and builds
# ScaleBridge into build/ (Release). Sourced or called by demo.sh and test.sh.
# Environment: BUILD_DIR (default <repo>/build), BUILD_TYPE (default Release),
# JOBS (default: number of cores).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$repo/build}"
build_type="${BUILD_TYPE:-Release}"
jobs="${JOBS:-$(nproc)}"

packages=(
  cmake make g++ pkg-config
  libdeal.ii-dev petsc-dev libopenmpi-dev openmpi-bin
  libboost-serialization-dev nlohmann-json3-dev
  libgtest-dev googletest
  gnuplot-nox jq
  libfftw3-dev libtiff-dev zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing missing packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    sudo=sudo
  else
    sudo=
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > "${TMPDIR:-/tmp}/scalebridge-apt.log" \
    || { tail -n 30 "${TMPDIR:-/tmp}/scalebridge-apt.log"; exit 1; }
fi

# OpenMPI refuses to start as root unless told that this is intended.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Keep MPI from spinning on idle ranks and from probing absent networks.
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1

echo "== configuring ($build_type) in $build_dir"
mkdir -p "$build_dir"
cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" \
  > "$build_dir/configure.log" 2>&1 \
  || { cat "$build_dir/configure.log"; exit 1; }
echo "== building with $jobs jobs"
cmake --build "$build_dir" --parallel "$jobs"
