#!/usr/bin/env bash
# Faults of scalebridge-electrode at 1 and 2 ranks: numbers that wrap or
# never end, include cycles, unused PETSc options, a current the cell cannot
# deliver, unusable output locations, an error on one rank only, SIGTERM,
# and outputs that are one complete result or none (stale files, a second
# run into a locked directory, a failed or stopped run, a restart into the
# directory of the stopped run).
# Arguments: build dir, source dir, mpirun command.
set -u
build="$1"
source="$2"
mpirun="$3"
app="$build/bin/scalebridge-electrode"
work="$build/tests/scratch/app.electrode_faults"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
prm="$source/inputs/electrode/marquis2019.prm"
small=(--set "Mesh/Cells in negative electrode=4"
       --set "Mesh/Cells in separator=2"
       --set "Mesh/Cells in positive electrode=4"
       --set "Mesh/Particle cells=4"
       --set "Mesh/In-plane cells=2"
       --set "Output/Plot=false"
       --set "Output/Deterministic output=true")

# run_app RANKS ARGS...: 1 runs the app directly, else through mpirun.
run_app() {
  local ranks="$1"; shift
  if [[ $ranks -eq 1 ]]; then timeout 60 "$app" "$@"
  else timeout 60 $mpirun "$ranks" "$app" "$@"; fi
}

# expect_error RANKS NAME CODE FRAGMENT... -- ARGS...: exit CODE within 20 s,
# our error line exactly once and containing every fragment, and no
# Output/Directory ($work/out_NAME) and no staging folder left.
expect_error() {
  local ranks="$1" name="$2" code="$3"; shift 3
  local fragments=()
  while [[ "$1" != "--" ]]; do fragments+=("$1"); shift; done
  shift
  local out="$work/out_$name"
  [[ $name == under_file_* ]] && out="$work/a_file/out_$name"
  local start=$SECONDS
  # (Output/Directory first: a case may give its own.)
  run_app "$ranks" "$1" --set "Output/Directory=$out" "${@:2}" \
    > "$work/$name.out" 2> "$work/$name.err"
  local got=$? took=$((SECONDS - start))
  [[ $got -eq $code ]] || fail "$name ($ranks ranks): exit code $got, expected $code"
  [[ $took -le 20 ]] || fail "$name ($ranks ranks): took $took s"
  local lines
  lines=$(grep -c "^scalebridge-electrode: error: " "$work/$name.err")
  [[ $lines -eq 1 ]] \
    || fail "$name ($ranks ranks): $lines error lines: $(head -c 600 "$work/$name.err")"
  for fragment in "${fragments[@]}"; do
    grep -qF -- "$fragment" "$work/$name.err" \
      || fail "$name ($ranks ranks): '$fragment' not in: $(head -c 600 "$work/$name.err")"
  done
  grep -q "options you set that were not used" "$work/$name.out" "$work/$name.err" \
    && fail "$name ($ranks ranks): PETSc's page about unused options"
  [[ ! -e "$out" ]] || fail "$name ($ranks ranks): $out was written"
  # (A run ended by MPI_Abort may leave its hidden staging folder; the next
  # run that publishes into the directory removes it.)
  [[ $name == one_rank_* ]] && return
  compgen -G "$work/.out_$name.*" > /dev/null \
    && fail "$name ($ranks ranks): staging folder or lock left behind"
}

# Include cycles (the app crashed with a stack overflow).
printf 'include %s\n' "$work/self.prm" > "$work/self.prm"
expect_error 1 include_cycle 2 "self.prm" "line 1: include" "cycle" -- "$work/self.prm"

# -1 for unsigned entries was 4294967295.
for entry in "Mesh/Cells in separator" "Mesh/In-plane cells" \
             "Mesh/Particle cells" "Time stepping/Maximum Newton iterations"; do
  expect_error 1 "minus_one_${entry//[^A-Za-z]/_}" 2 "${entry#*/}" -- \
    "$prm" --set "$entry=-1"
done
expect_error 1 memory 2 "Mesh/Cells in positive electrode" "GB of memory" -- \
  "$prm" --set "Cell/Dimension=3" --set "Mesh/In-plane cells=2000" \
  --set "Mesh/Cells in positive electrode=100000"
expect_error 1 rest_forever 2 "Operating conditions/Protocol" "at most 1000 h" -- \
  "$prm" --set "Operating conditions/Protocol=Rest for 1e300 h"
expect_error 1 tolerance 2 "Time stepping/Tolerance" -- \
  "$prm" --set "Time stepping/Tolerance=1e-300"
expect_error 1 progress 2 "Output/Progress interval" -- \
  "$prm" --set "Output/Progress interval=1e-300"

# PETSc options that nothing uses: an error, not a page at the end.
expect_error 1 petsc_unused 2 "Time stepping/PETSc options" "-macro_pc_typo" \
  "-ksp_nothing" -- "$prm" "${small[@]}" \
  --set "Time stepping/PETSc options=-macro_pc_typo lu -ksp_nothing 3"

# A current the electrode cannot deliver, in the user's terms.
expect_error 1 huge_current 2 "Operating conditions/C-rate" "cannot deliver" -- \
  "$prm" "${small[@]}" --set "Operating conditions/C-rate=1e6"

# Unusable output locations, found before computing, on 1 and 2 ranks (2D).
touch "$work/a_file"
for ranks in 1 2; do
  expect_error "$ranks" "under_file_$ranks" 2 "Output/Directory" "a_file" -- \
    "$prm" "${small[@]}" --set "Cell/Dimension=2" \
    --set "Output/Directory=$work/a_file/out_under_file_$ranks"
  expect_error "$ranks" "checkpoint_under_file_$ranks" 2 "Checkpoint/Directory" -- \
    "$prm" "${small[@]}" --set "Cell/Dimension=2" --set "Checkpoint/Interval=600" \
    --set "Checkpoint/Directory=$work/a_file/checkpoints"
  # An error on the last rank only ends all, with one line and exit code 1.
  export SCALEBRIDGE_THROW_ON_RANK=$((ranks - 1))
  expect_error "$ranks" "one_rank_$ranks" 1 "on rank $((ranks - 1)) only" -- \
    "$prm" "${small[@]}" --set "Cell/Dimension=2"
  unset SCALEBRIDGE_THROW_ON_RANK
done

# SIGTERM to mpirun (2 ranks) and to the app (1 rank): all ranks stop at
# once, the output directory is not written, no staging folder stays.
long=("$prm" "${small[@]}" --set "Cell/Dimension=2"
      --set "Operating conditions/Protocol=Rest for 1000 h; Rest for 1000 h"
      --set "Time stepping/Maximum time step=1")
for ranks in 1 2; do
  out="$work/out_sigterm_$ranks"
  if [[ $ranks -eq 1 ]]; then
    "$app" "${long[@]}" --set "Output/Directory=$out" > "$out.log" 2>&1 &
  else
    $mpirun 2 "$app" "${long[@]}" --set "Output/Directory=$out" > "$out.log" 2>&1 &
  fi
  pid=$!
  for _ in $(seq 100); do
    grep -q "^Step 1/2" "$out.log" 2>/dev/null && break; sleep 0.1
  done
  sleep 1
  kill -TERM "$pid"
  start=$(date +%s.%N)
  wait "$pid"; code=$?
  took=$(echo "$(date +%s.%N) - $start" | bc)
  awk -v t="$took" 'BEGIN { exit !(t < 5) }' \
    || fail "sigterm ($ranks ranks): took $took s to stop"
  [[ $code -ne 0 ]] || fail "sigterm ($ranks ranks): exit code 0"
  [[ ! -e "$out" ]] || fail "sigterm ($ranks ranks): $out was written"
  compgen -G "$work/.out_sigterm_$ranks.partial-*" > /dev/null \
    && fail "sigterm ($ranks ranks): staging folder left behind"
  if [[ $ranks -eq 1 ]]; then
    grep -q "error: stopped by SIGTERM at t = " "$out.log" \
      || fail "sigterm: no stop line: $(tail -3 "$out.log")"
  fi
  echo "sigterm ($ranks ranks): stopped after $took s, exit code $code"
done

# One complete result or none: a rerun replaces stale files as a whole.
quick=("$prm" "${small[@]}" --set "Cell/Dimension=2"
       --set "Operating conditions/Protocol=Discharge at 1C for 600 s"
       --set "Output/Profile times=0, 600")
out="$work/result"
$mpirun 2 "$app" "${quick[@]}" --set "Output/Directory=$out" > "$out.1.log" 2>&1 \
  || fail "first run failed: $(tail -3 "$out.1.log")"
touch "$out/vtu/solution_0099.pvtu" "$out/profiles/profile_12345s.csv"
$mpirun 2 "$app" "${quick[@]}" --set "Output/Directory=$out" > "$out.2.log" 2>&1 \
  || fail "second run failed: $(tail -3 "$out.2.log")"
[[ -e "$out/vtu/solution_0099.pvtu" || -e "$out/profiles/profile_12345s.csv" ]] \
  && fail "stale files of the earlier result survived the rerun"
for f in voltage.csv summary.json profiles/profile_600s.csv vtu/solution_0001.pvtu; do
  [[ -s "$out/$f" ]] || fail "rerun: $f missing"
done
grep -q ",nan" "$out"/profiles/*.csv && fail "profiles hold the literal nan"
grep -q ",," "$out/profiles/profile_600s.csv" \
  || fail "separator rows: solid columns not empty"
find "$work" -name "*.tmp.*" | grep -q . && fail "temporary files left"

# A directory with files of something else is never replaced.
mkdir -p "$work/foreign" && touch "$work/foreign/notes.txt"
"$app" "${quick[@]}" --set "Output/Directory=$work/foreign" > "$work/foreign.log" 2>&1
[[ $? -eq 2 ]] || fail "foreign directory: not refused with exit code 2"
grep -q "holds 'notes.txt'" "$work/foreign.log" || fail "foreign: $(cat "$work/foreign.log")"
[[ -e "$work/foreign/notes.txt" ]] || fail "foreign: notes.txt removed"

# A second run into a directory that a running one holds is refused.
flock "$work/.result.lock" sleep 20 &
holder=$!
sleep 0.3
"$app" "${quick[@]}" --set "Output/Directory=$out" > "$work/locked.log" 2>&1
[[ $? -eq 2 ]] || fail "locked directory: not refused with exit code 2"
grep -q "another run .* is writing into" "$work/locked.log" \
  || fail "locked: $(cat "$work/locked.log")"
[[ -s "$out/summary.json" ]] || fail "locked: the earlier result was touched"
kill "$holder"; wait "$holder" 2> /dev/null

# A run killed while writing its 2nd checkpoint (SIGKILL, 2D, 2 ranks)
# leaves no result; its restart into the same directory holds every VTU
# record that summary.json lists, also those written before the checkpoint.
out="$work/killed"
cp_args=("$prm" "${small[@]}" --set "Cell/Dimension=2"
         --set "Operating conditions/Protocol=Discharge at 1C for 1800 s"
         --set "Output/Profile times=0, 300, 900, 1500"
         --set "Checkpoint/Interval=600" --set "Checkpoint/Directory=$out/checkpoints"
         --set "Output/Directory=$out")
SCALEBRIDGE_KILL_IN_CHECKPOINT=2 $mpirun 2 "$app" "${cp_args[@]}" > "$out.log" 2>&1
[[ -e "$out/summary.json" || -e "$out/vtu" ]] && fail "killed run: a result was published"
first=("$out"/checkpoints/t_*)
[[ -d "${first[0]}" ]] || fail "killed run: no checkpoint"
$mpirun 2 "$app" "${cp_args[@]}" --restart "${first[0]}" > "$out.restart.log" 2>&1 \
  || fail "restart into the same directory failed: $(tail -3 "$out.restart.log")"
for f in $(jq -r '.vtu[]' "$out/summary.json" 2>/dev/null); do
  [[ -s "$out/$f" ]] || fail "restart: $f listed but missing"
done
[[ $(jq '.vtu | length' "$out/summary.json") -eq 5 ]] \
  || fail "restart: $(jq -c '.vtu' "$out/summary.json") instead of 5 records"
[[ -d "$out/checkpoints" ]] || fail "restart: the checkpoints inside the output were lost"
compgen -G "$work/.killed.partial-*" > /dev/null \
  && fail "restart: staging folder of the killed run left behind"

[[ $failures -eq 0 ]] && echo "all checks passed"
exit $failures
