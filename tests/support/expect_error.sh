# Sourced by app regression tests of bad input. expect_error runs "$app"
# with the given arguments and Output/Directory=$work/out_NAME, and fails the
# test (through the caller's fail()) unless it exits with code 2, writes one
# error line that holds every fragment, and leaves no output directory.
# Usage: expect_error NAME FRAGMENT... -- ARGS...
expect_error() {
  local name="$1"; shift
  local fragments=()
  while [[ "$1" != "--" ]]; do fragments+=("$1"); shift; done
  shift
  local out="$work/out_$name"
  "$app" "$@" --set "Output/Directory=$out" > "$work/$name.out" \
    2> "$work/$name.err"
  local code=$?
  [[ $code -eq 2 ]] || fail "$name: exit code $code, expected 2"
  [[ $(wc -l < "$work/$name.err") -eq 1 ]] \
    || fail "$name: error is not one line: $(cat "$work/$name.err")"
  for fragment in "${fragments[@]}"; do
    grep -qF -- "$fragment" "$work/$name.err" \
      || fail "$name: '$fragment' not in: $(cat "$work/$name.err")"
  done
  [[ ! -e "$out" ]] || fail "$name: outputs written despite the error"
}
