//! Generated bench data: a registry of N units and one filled form per unit, in
//! the province's form layout, with the schema's indicators.

use qcdc::schema::{IndicatorKind, Schema};
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// Writes `don-vi.csv` in `dir` and N forms in `nop`.
pub fn write(dir: &Path, nop: &Path, n: usize) {
    let schema = Schema::builtin();
    let types = [
        "SO_NGANH",
        "UBND_XA",
        "UBND_XA",
        "UBND_XA",
        "DVSN",
        "DOANH_NGHIEP",
    ];
    let mut registry = String::from("ma_don_vi,ten_don_vi,loai_hinh\n");
    for i in 0..n {
        let code = format!("U{i:05}");
        let name = format!("Xã Số {i}");
        let unit_type = types[i % types.len()];
        registry.push_str(&format!("{code},{name},{unit_type}\n"));
        let bytes = form(&schema, &code, &name, unit_type, i).expect("form is written");
        std::fs::write(nop.join(format!("{code}.xlsx")), bytes).expect("form saved");
    }
    std::fs::write(dir.join("don-vi.csv"), registry).expect("registry saved");
}

fn form(
    schema: &Schema,
    code: &str,
    name: &str,
    unit_type: &str,
    seed: usize,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("Hướng dẫn")?
        .write(0, 0, "Điền số liệu vào cột Số liệu.")?;
    let ws = wb.add_worksheet().set_name("BaoCao")?;
    ws.write(0, 0, name)?;
    ws.write(0, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")?;
    let day = 1 + seed % 20;
    for (r, (label, value)) in [
        ("Mã đơn vị:", code),
        ("Tên đơn vị:", name),
        ("Kỳ báo cáo:", "6 tháng"),
        ("Năm báo cáo:", "2024"),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write(5 + r as u32, 0, label)?;
        ws.write(5 + r as u32, 1, value)?;
    }
    ws.write(9, 0, "Ngày báo cáo:")?;
    ws.write(9, 1, format!("{day:02}/06/2024"))?;
    for (c, h) in ["STT", "Chỉ tiêu", "Mã", "Đơn vị tính", "Số liệu", "Ghi chú"]
        .into_iter()
        .enumerate()
    {
        ws.write(11, c as u16, h)?;
    }
    for (row, (i, ind)) in (12..).zip(schema.indicators.iter().enumerate()) {
        ws.write(row, 0, (i + 1) as u32)?;
        ws.write(row, 1, &ind.label)?;
        ws.write(row, 2, &ind.code)?;
        ws.write(row, 3, &ind.unit)?;
        match ind.kind {
            IndicatorKind::Count if ind.applies_to(unit_type) => {
                // Rules hold: each value is at most the one before it.
                ws.write(row, 4, (1000 - i * 30 + seed % 7) as u32)?;
            }
            IndicatorKind::Text => {
                ws.write(
                    row,
                    4,
                    "Đã tổ chức đối thoại định kỳ; công khai đầy đủ thủ tục hành chính.",
                )?;
            }
            IndicatorKind::Count => {}
        }
    }
    wb.save_to_buffer()
}
