#!/usr/bin/env bash
# Faults and hostile input of scalebridge-rve (1 and 2 ranks): PETSc options
# that nothing uses, sizes and counts no run can meet, an error on one rank
# only, SIGTERM while solving, output directories holding one complete
# result or none, and hostile names (command substitutions, back-quotes and
# ';' in the output directory, card files, card names and group names) that
# must execute nothing.
# Arguments: build dir, source dir, mpirun command (e.g. "mpiexec ... -np").
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-rve"
work="$build/tests/scratch/app.rve_faults"
cards="$source/inputs/materials"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
source "$source/tests/support/hostile_markers.sh"
source "$source/tests/support/expect_error.sh"

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
  set Deterministic = true
end
EOF

# --- bounds a run can meet, refused before anything is allocated -----------
expect_error voxels_above_4096 "Microstructure/Voxels per side" "4096" \
  -- laminate.prm --set "Microstructure/Voxels per side=5000"
expect_error voxels_minus_one "Microstructure/Voxels per side" \
  -- laminate.prm --set "Microstructure/Voxels per side=-1"
expect_error direction_above_4096 "Microstructure/Voxels per direction" \
  -- laminate.prm --set "Microstructure/Voxels per direction=16, 4097"
# 2000^3 voxels need about 20 TB: more than any machine this runs on.
expect_error memory "laminate.prm" "'Microstructure/Voxels per side'" "GB" "/proc/meminfo" \
  -- laminate.prm --set "Dimension=3" --set "Microstructure/Voxels per side=2000"
expect_error memory_direction "'Microstructure/Voxels per direction'" "GB" \
  -- laminate.prm --set "Dimension=3" --set "Microstructure/Voxels per direction=4000, 4000, 600"
expect_error iterations_minus_one "Solver/Max iterations" \
  -- laminate.prm --set "Solver/Max iterations=-1"
expect_error iterations_above_1000 "Solver/Max iterations" "1000" \
  -- laminate.prm --set "Solver/Max iterations=1001"
expect_error temperature "Materials/Temperature" \
  -- laminate.prm --set "Materials/Temperature=1e5"
expect_error seed "Microstructure/Seed" \
  -- laminate.prm --set "Microstructure/Seed=-1"
expect_error smoothing_range "Solver/Smoothing range" \
  -- laminate.prm --set "Solver/Smoothing range=1e300"

# --- PETSc options: nothing here uses them ----------------------------------
for ranks in 1 2; do
  PETSC_OPTIONS="-ksp_type cg -pc_type gamg" expect_ranks=$ranks \
    expect_error "petsc_$ranks" \
    "'PETSC_OPTIONS': option(s) -ksp_type, -pc_type not used" -- laminate.prm
  grep -q "WARNING" "$work/petsc_$ranks.out" "$work/petsc_$ranks.err" \
    && fail "petsc ($ranks ranks): PETSc printed its own warning"
done

# --- an error on one rank ends both, with one line ---------------------------
out="$work/out_one_rank"
start=$(date +%s.%N)
SCALEBRIDGE_THROW_ON_RANK=1 timeout 60 $mpirun 2 "$app" laminate.prm \
  --set "Output/Directory=$out" > one_rank.out 2> one_rank.err
code=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
[[ $code -ne 0 && $code -ne 124 ]] || fail "one rank: exit code $code"
awk -v t="$took" 'BEGIN { exit !(t < 20) }' || fail "one rank: took $took s"
[[ $(grep -c "scalebridge-rve: error" one_rank.err) -eq 1 ]] \
  || fail "one rank: not one error line: $(cat one_rank.err)"
grep -q "an error on rank 1 only" one_rank.err || fail "one rank: message lost"
[[ ! -e "$out" ]] || fail "one rank: output written"
# The ranks that went on were ended by MPI_Abort: the hidden staging folder
# of this directory may stay, and the next run into it removes it.
"$app" laminate.prm --set "Output/Directory=$out" > one_rank_next.log 2>&1 \
  || fail "one rank: the next run failed: $(tail -2 one_rank_next.log)"
[[ -s "$out/effective_tensors.json" ]] || fail "one rank: the next run wrote nothing"
compgen -G "$work/.out_one_rank.*" > /dev/null \
  && fail "one rank: staging folder or lock left behind after the next run"

# --- one complete result or none ---------------------------------------------
# A rerun replaces the earlier result as a whole (no stale field pieces of
# another condition); a directory with other files is refused.
out="$work/out_rerun"
"$app" laminate.prm --set "Output/Directory=$out" > rerun1.log 2>&1 \
  || fail "rerun: first run failed: $(tail -2 rerun1.log)"
[[ -s "$out/fields_kubc.pvtu" ]] || fail "rerun: first run wrote no kubc fields"
"$app" laminate.prm --set "Output/Directory=$out" \
  --set "Boundary conditions/Type=periodic" > rerun2.log 2>&1 \
  || fail "rerun: second run failed: $(tail -2 rerun2.log)"
[[ -e "$out/fields_kubc.pvtu" || -e "$out/fields_kubc_0.vtu" ]] \
  && fail "rerun: stale kubc fields of the first run left"
[[ $(jq -r '.boundary_condition' "$out/effective_tensors.json") == periodic ]] \
  || fail "rerun: effective_tensors.json is not the second result"
compgen -G "$work/.out_rerun*" > /dev/null \
  && fail "rerun: hidden staging or lock files left: $(ls -a "$work" | grep out_rerun)"
mkdir -p "$work/foreign" && touch "$work/foreign/notes.txt"
"$app" laminate.prm --set "Output/Directory=$work/foreign" > foreign.out 2> foreign.err
code=$?
[[ $code -eq 2 ]] || fail "foreign: exit code $code, expected 2"
grep -q "'Output/Directory': .*holds 'notes.txt'" foreign.err \
  || fail "foreign: reason not named: $(cat foreign.err)"
[[ -e "$work/foreign/notes.txt" && ! -e "$work/foreign/effective_tensors.json" ]] \
  || fail "foreign: the directory was changed"

# --- SIGTERM while solving (2 ranks through mpirun, 1 rank directly) --------
cat > long.prm <<EOF
set Dimension = 3
subsection Microstructure
  set Generator       = sphere
  set Voxels per side = 40
  set Volume fraction = 0.2
end
subsection Materials
  set Phase cards = $cards/lifepo4.json, $cards/carbon_binder.json
end
subsection Boundary conditions
  set Type = all
end
subsection Solver
  set Tolerance = 1e-12
end
EOF
for ranks in 1 2; do
  out="$work/out_sigterm_$ranks"
  if ((ranks == 1)); then
    "$app" long.prm --set "Output/Directory=$out" > "$out.log" 2>&1 &
  else
    $mpirun 2 "$app" long.prm --set "Output/Directory=$out" > "$out.log" 2>&1 &
  fi
  pid=$!
  for _ in $(seq 300); do
    grep -q "elasticity: setting up" "$out.log" 2>/dev/null && break; sleep 0.1
  done
  sleep 1.5
  kill -TERM "$pid"
  start=$(date +%s.%N)
  wait "$pid"; code=$?
  took=$(echo "$(date +%s.%N) - $start" | bc)
  awk -v t="$took" 'BEGIN { exit !(t < 5) }' \
    || fail "sigterm ($ranks ranks): took $took s to stop"
  [[ $code -ne 0 ]] || fail "sigterm ($ranks ranks): exit code 0"
  [[ ! -e "$out" ]] || fail "sigterm ($ranks ranks): $out was written"
  compgen -G "$work/.out_sigterm_$ranks.*" > /dev/null \
    && fail "sigterm ($ranks ranks): staging folder or lock left behind"
  find "$work" -name "*.tmp.*" | grep -q . \
    && fail "sigterm ($ranks ranks): temporary files left behind"
  [[ $(grep -c "scalebridge-rve: error: stopped by SIGTERM" "$out.log") -eq 1 ]] \
    || fail "sigterm ($ranks ranks): not one stop line: $(tail -3 "$out.log")"
  echo "sigterm ($ranks ranks): stopped after $took s, exit code $code"
done

# --- SIGTERM during the mesh build (2 ranks) --------------------------------
# No safe point comes before mpirun kills the ranks (about 2 s after it
# forwards the signal): the still empty staging folder and the lock went at
# the signal, not by the next run.
sed -e 's/Voxels per side = 40/Voxels per side = 128/' \
  -e 's/Type = all/Type = periodic/' long.prm > mesh.prm
out="$work/out_sigterm_mesh"
$mpirun 2 "$app" mesh.prm --set "Output/Directory=$out" > "$out.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
  grep -q "^scalebridge-rve: " "$out.log" 2>/dev/null && break; sleep 0.1
done
sleep 0.5
kill -TERM "$pid"
wait "$pid"; code=$?
[[ $code -ne 0 ]] || fail "sigterm in the mesh build: exit code 0"
[[ ! -e "$out" ]] || fail "sigterm in the mesh build: $out was written"
compgen -G "$work/.out_sigterm_mesh.*" > /dev/null \
  && fail "sigterm in the mesh build: left $(cd "$work" && echo .out_sigterm_mesh.*)"

# --- hostile names execute nothing (1 and 2 ranks) ---------------------------
# Output directory, card file and card name with $(...), back-quotes and ';';
# they end up in paths and in effective_tensors.json only, never in a shell
# or a plotting script. Group names are refused unless plain words.
markers="sb_rvef_dir_dollar sb_rvef_dir_bq sb_rvef_dir_semi sb_rvef_card_dollar
         sb_rvef_card_bq sb_rvef_name_dollar sb_rvef_name_bq sb_rvef_name_semi
         sb_rvef_group"
for m in $markers; do rm -f "/tmp/$m"; done
hdir="$work/cards \$(touch sb_rvef_card_dollar) \`touch sb_rvef_card_bq\`"
mkdir -p "$hdir"
jq '.name = "LFP $(touch /tmp/sb_rvef_name_dollar) `touch sb_rvef_name_bq`; touch sb_rvef_name_semi"' \
  "$cards/lifepo4.json" > "$hdir/lfp;touch sb_rvef_card_semi.json"
for ranks in 1 2; do
  hostile="$work/out$ranks \$(touch sb_rvef_dir_dollar) \`touch sb_rvef_dir_bq\`; touch sb_rvef_dir_semi"
  args=(laminate.prm --set "Output/Directory=$hostile"
        --set "Materials/Phase cards=$hdir/lfp;touch sb_rvef_card_semi.json, $cards/electrolyte_pore.json"
        --set "Transport efficiency/Groups=electrolyte: 1"
        --set "Transport efficiency/Required directions=x")
  if ((ranks == 1)); then
    "$app" "${args[@]}" > "hostile_$ranks.log" 2>&1
  else
    $mpirun 2 "$app" "${args[@]}" > "hostile_$ranks.log" 2>&1
  fi
  code=$?
  if [[ $code -eq 0 ]]; then
    jq -e '.phases[0].name | contains("touch sb_rvef_name_bq")' \
      "$hostile/effective_tensors.json" > /dev/null \
      || fail "hostile ($ranks ranks): card name not kept verbatim"
    [[ -s "$hostile/fields_periodic.pvtu" ]] || fail "hostile ($ranks ranks): no fields"
  else
    fail "hostile ($ranks ranks): exit code $code"; cat "hostile_$ranks.log"
  fi
done
expect_error hostile_group "Transport efficiency/Groups" \
  -- laminate.prm --set 'Transport efficiency/Groups=a$(touch sb_rvef_group)`touch sb_rvef_group`: 1'
check_no_markers "hostile" "$markers sb_rvef_card_semi" "$work" "$source" /tmp

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "all rve fault checks passed"
