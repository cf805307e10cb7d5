#!/usr/bin/env python3
"""Regenerates examples/: an annual period (2024-Y) of a small fictional province.

Needs openpyxl (pip install openpyxl). The generated files are committed, so
running the examples needs only Rust; this script documents how they were made.
"""
import csv, os, random, unicodedata
from datetime import datetime
import openpyxl

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")
spec = list(csv.DictReader(open(os.path.join(os.path.dirname(__file__), "..", "tests", "data", "indicators.csv"), encoding="utf-8")))
random.seed(2024)
units = [
    ("S01", "Sở Nội vụ", "SO_NGANH"), ("S02", "Sở Tài chính", "SO_NGANH"), ("S03", "Sở Y tế", "SO_NGANH"),
    ("X01", "Phường Đông Hà", "UBND_XA"), ("X02", "Xã Gio Linh", "UBND_XA"), ("X03", "Xã Cam Lộ", "UBND_XA"),
    ("X04", "Xã Hướng Hóa", "UBND_XA"), ("DV01", "Bệnh viện Đa khoa tỉnh", "DVSN"),
]
with open(os.path.join(root, "don-vi.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(["ma_don_vi", "ten_don_vi", "loai_hinh", "email"])
    for c, n, t in units: w.writerow([c, n, t, f"qcdc.{c.lower()}@example.gov.vn"])

def values(kind):
    out = {}
    for ind in spec:
        if ind["kind"] != "count" or not (ind["applies_to"] == "ALL" or kind in ind["applies_to"].split(",")):
            continue
        out[ind["code"]] = random.randint(5, 400)
    for a, b in [("HN02", "HN01"), ("KN02", "KN01"), ("HS02", "HS01"), ("HS03", "HS02"), ("HG03", "HG02"), ("DV02", "DV01"), ("DV03", "DV02")]:
        if a in out and b in out and out[a] > out[b]: out[a], out[b] = out[b], out[a]
    return out

def form(path, code, name, kind, date, overrides=None, nfd=False, plain_labels=False):
    wb = openpyxl.Workbook(); guide = wb.active; guide.title = "Hướng dẫn"
    guide["A1"] = "Điền số liệu vào cột Số liệu; '-' là không phát sinh, '...' là có phát sinh nhưng chưa thống kê."
    ws = wb.create_sheet("BaoCao")
    t = (lambda s: unicodedata.normalize("NFD", s)) if nfd else (lambda s: s)
    lab = (lambda s: "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")) if plain_labels else t
    ws["A1"] = name.upper(); ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"; ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = "BIỂU SỐ LIỆU KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ NĂM 2024"
    for r, (l, v) in enumerate([("Mã đơn vị:", code), ("Tên đơn vị:", t(name)), ("Kỳ báo cáo:", "Năm"), ("Năm báo cáo:", 2024), ("Ngày báo cáo:", date)], start=6):
        ws.cell(r, 1, lab(l)); ws.cell(r, 2, v)
    for c, h in enumerate(["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Số liệu", "Ghi chú"], start=1): ws.cell(12, c, lab(h))
    vals = values(kind); vals.update(overrides or {}); r = 13; group = None; n = 0
    for ind in spec:
        if ind["group"] != group:
            group = ind["group"]; ws.cell(r, 1, group); r += 1; n = 0
        n += 1; ws.cell(r, 1, n); ws.cell(r, 2, t(ind["label_vi"])); ws.cell(r, 3, ind["code"]); ws.cell(r, 4, ind["unit_vi"])
        if ind["kind"] == "text":
            ws.cell(r, 5, t("Đã tổ chức đối thoại định kỳ với Nhân dân; công khai đầy đủ thủ tục hành chính."))
        elif ind["code"] in vals:
            ws.cell(r, 5, vals[ind["code"]])
        r += 1
    ws.cell(r + 1, 1, lab("Người lập biểu:")); ws.cell(r + 1, 2, t("Trần Thị Lan"))
    wb.save(path)

nop = os.path.join(root, "nop")
form(os.path.join(nop, "S01_So_Noi_vu.xlsx"), "S01", "Sở Nội vụ", "SO_NGANH", datetime(2024, 11, 4))
form(os.path.join(nop, "S02_So_Tai_chinh.xlsx"), "S02", "Sở Tài chính", "SO_NGANH", "14/11/2024", {"TD01": "1.234"})
form(os.path.join(nop, "X01_Phuong_Dong_Ha.xlsx"), "x01 ", "Phường Đông Hà", "UBND_XA", "08/11/2024", nfd=True, plain_labels=True)
form(os.path.join(nop, "DV01_Benh_vien_Da_khoa_tinh.xlsx"), "DV01", "Bệnh viện Đa khoa tỉnh", "DVSN", "07/11/2024", {"TT01": "12,5", "KT03": "-"})
with open(os.path.join(nop, "cac-xa-gui-chung.csv"), "w", encoding="utf-8-sig", newline="") as f:
    codes = [i["code"] for i in spec if i["kind"] == "count"]
    w = csv.writer(f, delimiter=";"); w.writerow(["ma_don_vi", "ten_don_vi", "ky_bao_cao", "nam", "ngay_bao_cao"] + codes)
    for c, n, d in [("X02", "Xã Gio Linh", "06/11/2024"), ("X03", "Xã Cam Lộ", "09/11/2024")]:
        v = values("UBND_XA"); w.writerow([c, n, "Năm", 2024, d] + [v.get(k, "") for k in codes])
open(os.path.join(nop, "X04_Xa_Huong_Hoa.xlsx"), "wb").write(b"<html><body><table><tr><td>Bao cao</td></tr></table></body></html>")
open(os.path.join(nop, "doc-truoc.txt"), "w", encoding="utf-8").write("Danh sách văn bản đến năm 2024\n")
with open(os.path.join(root, "so-den.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(["tep", "ma_don_vi", "ngay_nhan"])
    for row in [("S01_So_Noi_vu.xlsx", "S01", "05/11/2024"), ("S02_So_Tai_chinh.xlsx", "S02", "15/11/2024"),
                ("X01_Phuong_Dong_Ha.xlsx", "X01", "08/11/2024"), ("cac-xa-gui-chung.csv", "X02", "10/11/2024"),
                ("cac-xa-gui-chung.csv", "X03", "10/11/2024"), ("X04_Xa_Huong_Hoa.xlsx", "X04", "09/11/2024"),
                ("DV01_Benh_vien_Da_khoa_tinh.xlsx", "DV01", "07/11/2024")]:
        w.writerow(row)
