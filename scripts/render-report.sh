#!/usr/bin/env bash
# Builds the report from the sample period, with a qcdc.toml naming the signer
# and the addressees, opens it in LibreOffice (as an officer's computer would)
# to make a PDF, and renders its first page to docs/report-page1.png and the
# page with the signature to docs/report-signature.png. Installs LibreOffice
# and poppler if absent (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui poppler-utils \
    fonts-liberation fonts-crosextra-carlito
fi
repo=$(pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/qcdc.toml" <<'TOML'
tinh = "Hòa Bình"
so_ky_hieu = "125/BC-SNV"
chuc_vu = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
nguoi_ky = "Nguyễn Văn An"
noi_nhan = ["UBND tỉnh (để báo cáo)", "Ban Dân vận Tỉnh ủy", "Các sở, ban, ngành", "UBND các xã, phường", "Lưu: VT, XDCQ"]
TOML
cargo build --release -q
(cd "$out" && "$repo/target/release/qcdc" aggregate "$repo/tests/data/2022-H1/nop" --period 2022-H1 \
  --units "$repo/tests/data/2022-H1/units.csv" --received "$repo/tests/data/2022-H1/so-den.csv" \
  --as-of 2022-07-05 -o tong-hop-2022-H1.xlsx >/dev/null)
soffice --headless --convert-to pdf --outdir "$out" "$out/tong-hop-2022-H1.xlsx" >/dev/null
pdf="$out/tong-hop-2022-H1.pdf"
test -s "$pdf"
mkdir -p docs
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$pdf" docs/report-page1
pages=$(pdfinfo "$pdf" | awk '/^Pages/ {print $2}')
for p in $(seq 1 "$pages"); do
  if pdftotext -f "$p" -l "$p" "$pdf" - | grep -q "Nơi nhận"; then
    pdftoppm -png -r 70 -f "$p" -l "$p" -singlefile "$pdf" docs/report-signature
    echo "PDF has $pages pages; page 1 is docs/report-page1.png, page $p (signature) docs/report-signature.png"
    exit 0
  fi
done
echo "no page with Nơi nhận" >&2
exit 1
