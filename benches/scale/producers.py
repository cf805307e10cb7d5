#!/usr/bin/env python3
"""Re-writes qcdc's own bench forms the way other producers write them.

    producers.py PRODUCER SRC_DIR DST_DIR

Called by `cargo bench --bench scale` (benches/scale/producers.rs). Every
`.xlsx` of SRC_DIR is written to DST_DIR under the same name:

openpyxl     loaded and saved by openpyxl (3.1 writes inline strings, no
             sharedStrings part, its own styles).
excel        the openpyxl save turned into the shape Excel saves: shared
             strings, a large styles part (many number formats and cell
             formats, as years of editing leave), a theme, a calcChain,
             `spans` and `x14ac:dyDescent` on rows.
libreoffice  a few files converted by `soffice --headless --convert-to xlsx`
             (the real thing), and the rest given the same XML shape: each
             unit's values put into the converted file's sheet and
             shared strings, part by part, so every file still holds its own
             unit's figures.
"""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime
from multiprocessing import Pool

import openpyxl


def openpyxl_save(args):
    src, dst = args
    wb = openpyxl.load_workbook(src)
    wb.save(dst)


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_zip(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


CELL = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t([^>]*)>(.*?)</t></is></c>', re.S)

# Number formats as an office's workbooks accumulate them (dates among them).
EXTRA_FORMATS = [
    '#,##0', '#,##0.00', '0%', 'dd/mm/yyyy', 'd/m/yyyy', 'mm/dd/yy', '[$-42A]dd\\ mmmm\\ yyyy',
    '#,##0_);\\(#,##0\\)', '_-* #,##0\\ _₫_-;\\-* #,##0\\ _₫_-;_-* &quot;-&quot;\\ _₫_-;_-@_-',
    'h:mm:ss', '[h]:mm', '0.0', '#,##0.000', '@', 'yyyy-mm-dd hh:mm', '&quot;Tháng &quot;m',
]


def excel_shape(src, dst):
    files = parts(src)
    strings, index = [], {}

    def shared(m):
        text = m.group(4)
        if text not in index:
            index[text] = len(strings)
            strings.append((m.group(3), text))
        return b'<c ' + m.group(1) + b't="s"' + m.group(2) + b'><v>%d</v></c>' % index[text]

    sheets = [n for n in files if n.startswith("xl/worksheets/sheet")]
    total = 0
    for name in sheets:
        xml = files[name]
        total += len(CELL.findall(xml))
        xml = CELL.sub(shared, xml)
        xml = re.sub(rb'<row r="(\d+)"', rb'<row r="\1" spans="1:6" x14ac:dyDescent="0.25"', xml)
        xml = xml.replace(b'<worksheet ', b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" ', 1)
        files[name] = xml
    sst = [b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (total, len(strings))]
    for attrs, text in strings:
        sst.append(b'<si><t' + attrs + b'>' + text + b'</t></si>')
    sst.append(b'</sst>')
    files["xl/sharedStrings.xml"] = b"".join(sst)

    styles = files["xl/styles.xml"]
    fmts = b"".join(b'<numFmt numFmtId="%d" formatCode="%s"/>' % (200 + i, f.encode()) for i, f in enumerate(EXTRA_FORMATS))
    if b"<numFmts" in styles:
        styles = re.sub(rb'<numFmts count="\d+">', lambda m: m.group(0) + fmts, styles, count=1)
    else:
        styles = styles.replace(b"<fonts", b'<numFmts count="%d">%s</numFmts><fonts' % (len(EXTRA_FORMATS), fmts), 1)
    extra_xfs = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="center" vertical="center" wrapText="1"/><protection locked="0"/></xf>'
        % (200 + i % len(EXTRA_FORMATS)) for i in range(400))
    styles = re.sub(rb'(<cellXfs[^>]*>.*?)(</cellXfs>)', lambda m: m.group(1) + extra_xfs + m.group(2), styles, count=1, flags=re.S)
    files["xl/styles.xml"] = styles

    if "xl/theme/theme1.xml" not in files:
        files["xl/theme/theme1.xml"] = THEME
    chain = [b'<c r="%s" i="1"/>' % r for r in re.findall(rb'<c r="([A-Z]+\d+)"[^>]*><f>', files[sheets[0]])]
    files["xl/calcChain.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                 b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 + b"".join(chain or [b'<c r="A1" i="1"/>']) + b'</calcChain>')
    ct = files["[Content_Types].xml"]
    for part, typ in [("/xl/sharedStrings.xml", "sharedStrings"), ("/xl/calcChain.xml", "calcChain")]:
        if part.encode() not in ct:
            ct = ct.replace(b"</Types>", b'<Override PartName="%s" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.%s+xml"/></Types>' % (part.encode(), typ.encode()))
    if b"/xl/theme/theme1.xml" not in ct:
        ct = ct.replace(b"</Types>", b'<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/></Types>')
    files["[Content_Types].xml"] = ct
    rels = files["xl/_rels/workbook.xml.rels"]
    for rid, typ, target in [("rIdS", "sharedStrings", "sharedStrings.xml"), ("rIdC", "calcChain", "calcChain.xml"), ("rIdT", "theme", "theme/theme1.xml")]:
        if target.encode() not in rels:
            rels = rels.replace(b"</Relationships>", b'<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/></Relationships>' % (rid.encode(), typ.encode(), target.encode()))
    files["xl/_rels/workbook.xml.rels"] = rels
    write_zip(dst, files)


THEME = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements><a:clrScheme name="Office">'
         + b"".join(b'<a:%s><a:srgbClr val="%s"/></a:%s>' % (n, v, n) for n, v in [
             (b"dk1", b"000000"), (b"lt1", b"FFFFFF"), (b"dk2", b"44546A"), (b"lt2", b"E7E6E6"), (b"accent1", b"4472C4"), (b"accent2", b"ED7D31"),
             (b"accent3", b"A5A5A5"), (b"accent4", b"FFC000"), (b"accent5", b"5B9BD5"), (b"accent6", b"70AD47"), (b"hlink", b"0563C1"), (b"folHlink", b"954F72")])
         + b'</a:clrScheme><a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>'
         + b'<a:fmtScheme name="Office"><a:fillStyleLst/><a:lnStyleLst/><a:effectStyleLst/><a:bgFillStyleLst/></a:fmtScheme></a:themeElements></a:theme>')


def excel_save(args):
    src, dst = args
    with tempfile.TemporaryDirectory() as tmp:
        mid = os.path.join(tmp, "o.xlsx")
        openpyxl_save((src, mid))
        excel_shape(mid, dst)


def cell_texts(path):
    """Every cell's value of the form sheet, by coordinate, as text."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


class LibreOfficeShape:
    """A LibreOffice-converted form of one unit, rewritten for another unit."""

    def __init__(self, source, converted):
        self.values = cell_texts(source)
        self.files = parts(converted)
        self.sheet = "xl/worksheets/sheet1.xml"
        sst = self.files["xl/sharedStrings.xml"].decode()
        self.sst_head, body = sst.split("<si>", 1)[0], sst[len(sst.split("<si>", 1)[0]):]
        self.strings = re.findall(r"<si>(.*?)</si>", body, re.S)

    def make(self, source, dst):
        values = cell_texts(source)
        xml = self.files[self.sheet].decode()
        strings = list(self.strings)
        for coord, new in values.items():
            old = self.values.get(coord)
            if old == new:
                continue
            m = re.search(r'<c r="%s"([^>]*)>(?:<f[^<]*</f>)?<v>([^<]*)</v></c>' % coord, xml)
            if not m:
                raise SystemExit(f"{dst}: no cell {coord} in the LibreOffice shape")
            kind = re.search(r' t="(\w+)"', m.group(1))
            if kind and kind.group(1) == "s":
                strings.append("<t xml:space=\"preserve\">%s</t>" % html.escape(str(new), quote=False))
                xml = xml[:m.start(2)] + str(len(strings) - 1) + xml[m.end(2):]
            elif isinstance(new, datetime):
                serial = (new - datetime(1899, 12, 30)).total_seconds() / 86400
                xml = xml[:m.start(2)] + repr(int(serial) if serial == int(serial) else serial) + xml[m.end(2):]
            elif isinstance(new, (int, float)):
                xml = xml[:m.start(2)] + repr(new) + xml[m.end(2):]
            else:
                raise SystemExit(f"{dst}: {coord} changes type")
        files = dict(self.files)
        files[self.sheet] = xml.encode()
        files["xl/sharedStrings.xml"] = (self.sst_head + "".join("<si>%s</si>" % s for s in strings) + "</sst>").encode()
        write_zip(dst, files)


def libreoffice(src_dir, dst_dir, names):
    """Converts one file per unit type for real, shapes the rest after them."""
    with tempfile.TemporaryDirectory() as tmp:
        by_shape, samples = {}, []
        for n in names:
            key = tuple(sorted(cell_texts(os.path.join(src_dir, n)).keys()))
            if key not in by_shape:
                by_shape[key] = n
                samples.append(n)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "xlsx",
                        "--outdir", os.path.join(tmp, "lo")] + [os.path.join(src_dir, n) for n in samples],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shapes = {key: LibreOfficeShape(os.path.join(src_dir, n), os.path.join(tmp, "lo", n)) for key, n in by_shape.items()}
        for n in names:
            if n in samples:
                shutil.copy(os.path.join(tmp, "lo", n), os.path.join(dst_dir, n))
                continue
            key = tuple(sorted(cell_texts(os.path.join(src_dir, n)).keys()))
            shapes[key].make(os.path.join(src_dir, n), os.path.join(dst_dir, n))


def main():
    producer, src_dir, dst_dir = sys.argv[1:4]
    os.makedirs(dst_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(src_dir) if n.endswith(".xlsx"))
    if producer == "libreoffice":
        libreoffice(src_dir, dst_dir, names)
        return
    work = {"openpyxl": openpyxl_save, "excel": excel_save}[producer]
    with Pool() as pool:
        pool.map(work, [(os.path.join(src_dir, n), os.path.join(dst_dir, n)) for n in names], chunksize=16)


if __name__ == "__main__":
    main()
