# Sourced by the app regression tests that run with hostile names (command
# substitutions in paths and card names): check_no_markers fails the test,
# through the caller's fail(), for every marker file such a name would have
# created in one of the given directories or anywhere below the first.
# Usage: check_no_markers LABEL "MARKER..." DIR...
check_no_markers() {
  local label="$1" markers="$2" m place
  shift 2
  for m in $markers; do
    for place in "$@"; do
      [[ -e "$place/$m" ]] && fail "$label: marker $place/$m was created"
    done
    find "$1" -name "$m" | grep -q . \
      && fail "$label: marker $m was created below $1"
  done
}
