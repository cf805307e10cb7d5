#!/usr/bin/env bash
# Builds the report from the sample period, opens it in LibreOffice (as an
# officer's computer would) to make a PDF, and renders its first page to
# docs/report-page1.png. Installs LibreOffice and poppler if absent (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui poppler-utils
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release -q -- aggregate tests/data/2022-H1/nop --period 2022-H1 \
  --units tests/data/2022-H1/units.csv --received tests/data/2022-H1/so-den.csv \
  --as-of 2022-07-01 --tinh "Hòa Bình" -o "$out/tong-hop-2022-H1.xlsx"
soffice --headless --convert-to pdf --outdir "$out" "$out/tong-hop-2022-H1.xlsx" >/dev/null
test -s "$out/tong-hop-2022-H1.pdf"
mkdir -p docs
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$out/tong-hop-2022-H1.pdf" docs/report-page1
echo "PDF has $(pdfinfo "$out/tong-hop-2022-H1.pdf" | awk '/^Pages/ {print $2}') pages; page 1 is docs/report-page1.png"
