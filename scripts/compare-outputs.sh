#!/usr/bin/env bash
# Runs two qcdc binaries on the same inputs and diffs what they print and write:
# the JSON summary, the long CSV and `validate --json` must be byte-identical (a reader or speed
# change must not move a figure). Usage, from the project root:
#   scripts/compare-outputs.sh OLD_QCDC NEW_QCDC [FOLDER...]
# Without folders: the sample period, examples/, and every bench data folder
# already generated under target/bench-data/, the foreign corpus and the fuzz
# regressions. A folder's inputs are its `nop/` if it has one; it may hold a registry (`units.csv` or `don-vi.csv`) and receipts
# (`so-den.csv`); the period is the sample's for tests/data/2022-H1, examples'
# 2024-Y, else 2024-H1.
set -euo pipefail
old=$1 new=$2
shift 2
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  dirs=(tests/data/2022-H1 examples tests/data/foreign tests/data/fuzz-regressions)
  for d in target/bench-data/*/*/; do [ -d "$d/nop" ] && dirs+=("${d%/}"); done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for dir in "${dirs[@]}"; do
  case $dir in
    *2022-H1) period=2022-H1 asof=2022-07-01 ;;
    examples) period=2024-Y asof=2025-01-15 ;;
    *) period=2024-H1 asof=2024-07-01 ;;
  esac
  inputs=$dir
  [ -d "$dir/nop" ] && inputs=$dir/nop
  args=(aggregate "$inputs" --period "$period" --as-of "$asof" --json)
  for units in "$dir/units.csv" "$dir/don-vi.csv"; do
    [ -f "$units" ] && args+=(--units "$units")
  done
  [ -f "$dir/so-den.csv" ] && args+=(--received "$dir/so-den.csv")
  for which in old new; do
    bin=${!which}
    mkdir -p "$tmp/$which"
    "$bin" "${args[@]}" --out "$tmp/$which/r.xlsx" --long "$tmp/$which/r.csv" \
      > "$tmp/$which/r.json" 2> /dev/null || true
    # Every file's findings, each naming its cell and the value seen.
    "$bin" validate "$inputs" --period "$period" --json > "$tmp/$which/v.json" 2> /dev/null || true
  done
  # A file neither binary wrote (no long CSV when there is nothing to judge) is the same.
  same() { { [ ! -e "$tmp/old/$1" ] && [ ! -e "$tmp/new/$1" ]; } || cmp -s "$tmp/old/$1" "$tmp/new/$1"; }
  if same r.json && same r.csv && same v.json; then
    echo "same: $dir ($(wc -c < "$tmp/new/r.json") B JSON, $(cat "$tmp/new/r.csv" 2>/dev/null | wc -l) CSV lines)"
  else
    echo "DIFFERENT: $dir"
    diff <(head -c 2000000 "$tmp/old/r.json") <(head -c 2000000 "$tmp/new/r.json") | head -20 || true
    diff "$tmp/old/r.csv" "$tmp/new/r.csv" | head -20 || true
    diff "$tmp/old/v.json" "$tmp/new/v.json" | head -20 || true
    status=1
  fi
  rm -rf "$tmp/old" "$tmp/new"
done
exit $status
