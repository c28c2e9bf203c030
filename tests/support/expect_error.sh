# Sourced by app regression tests of bad input. expect_error runs "$app"
# with the given arguments and Output/Directory=$work/out_NAME, and fails the
# test (through the caller's fail()) unless it exits with code 2, writes one
# error line that holds every fragment, and leaves no output directory.
# With expect_ranks=N (N > 1, e.g. as a prefix of the call) the app runs on
# N ranks through "$mpirun N"; mpirun adds its own lines about the exit
# code to stderr, so then exactly one line must hold ": error: ".
# Usage: [expect_ranks=N] expect_error NAME FRAGMENT... -- ARGS...
expect_error() {
  local name="$1"; shift
  local fragments=()
  while [[ "$1" != "--" ]]; do fragments+=("$1"); shift; done
  shift
  local out="$work/out_$name" ranks="${expect_ranks:-1}"
  if ((ranks > 1)); then
    $mpirun "$ranks" "$app" "$@" --set "Output/Directory=$out" \
      > "$work/$name.out" 2> "$work/$name.err"
  else
    "$app" "$@" --set "Output/Directory=$out" > "$work/$name.out" \
      2> "$work/$name.err"
  fi
  local code=$? errors="$work/$name.err"
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  if ((ranks > 1)); then
    grep -F ": error: " "$work/$name.err" > "$work/$name.err_lines"
    errors="$work/$name.err_lines"
  fi
  [[ $(wc -l < "$errors") -eq 1 ]] \
    || fail "$name: error is not one line: $(cat "$work/$name.err")"
  for fragment in "${fragments[@]}"; do
    grep -qF -- "$fragment" "$errors" \
      || fail "$name: '$fragment' not in: $(cat "$work/$name.err")"
  done
  [[ ! -e "$out" ]] || fail "$name: outputs written despite the error"
}
