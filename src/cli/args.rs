//! Argument definitions (clap derive). Values are parsed into domain types here,
//! at the boundary.

use clap::{Args, Parser, Subcommand};
use qcdc::period::Period;
use std::path::PathBuf;

/// Tổng hợp báo cáo thực hiện dân chủ ở cơ sở (QCDC) của các đơn vị trong tỉnh.
#[derive(Parser, Debug)]
#[command(name = "qcdc", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tổng hợp một kỳ: trạng thái nộp của từng đơn vị, số liệu tổng hợp và
    /// biểu tổng hợp Excel gửi UBND tỉnh.
    ///
    /// Ví dụ: qcdc aggregate nop/ --period 2022-H1 --units don-vi.csv --received so-den.csv
    #[command(after_help = EXIT_CODES)]
    Aggregate(AggregateArgs),
    /// Kiểm tra các tệp báo cáo và chỉ ra chính xác ô nào sai (không lập biểu tổng hợp).
    ///
    /// Ví dụ: qcdc validate nop/ --period 2022-H1
    Validate(ValidateArgs),
    /// Xem nhanh tình hình nộp (ai đã nộp, ai còn nợ) mà không lập biểu; phù hợp
    /// chạy tự động mỗi sáng.
    ///
    /// Ví dụ: qcdc status nop/ --period 2024-Y --units don-vi.csv --reminders nhac-nop.csv
    #[command(after_help = EXIT_CODES)]
    Status(StatusArgs),
    /// Tạo biểu mẫu Excel để các đơn vị điền: một tệp cho mỗi đơn vị (với --units)
    /// hoặc một biểu trống.
    ///
    /// Ví dụ: qcdc template --period 2024-Y --units don-vi.csv --out-dir bieu-mau/
    Template(TemplateArgs),
    /// In script tự hoàn thành lệnh cho shell (bash, zsh, fish, powershell, elvish).
    ///
    /// Ví dụ: qcdc completions bash > /etc/bash_completion.d/qcdc
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// In trang hướng dẫn (man page) dạng roff.
    ///
    /// Ví dụ: qcdc man > /usr/local/share/man/man1/qcdc.1
    Man,
}

/// What `aggregate` and `status` end with, for scripts and cron jobs.
const EXIT_CODES: &str = "Mã thoát: 0 đã xong (kể cả khi có đơn vị trễ hoặc chưa nộp); 1 không có gì để xét \
(thư mục trống hoặc chưa gắn ổ mạng, chỉ có báo cáo kỳ khác, hoặc không đơn vị nào phải nộp kỳ này: \
không ghi tệp kết quả nào), hoặc aggregate --strict gặp lỗi; 2 không chạy được (đối số sai, danh sách \
đơn vị hỏng, thư mục kết quả không có, tên tệp kết quả sai đuôi hoặc trùng nhau), báo trước khi đọc tệp.\n\
Tóm tắt in ra stderr; với -q chỉ một dòng. Tệp do qcdc tạo ra (biểu tổng hợp, số liệu dạng dài, danh \
sách nhắc nộp) nằm trong thư mục đầu vào được bỏ qua. Ctrl-C không để lại tệp tạm.";

/// Options shared by every command that reads submissions.
#[derive(Args, Debug)]
pub struct Common {
    /// Tệp hoặc thư mục báo cáo (thư mục được đọc đệ quy).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Danh sách đơn vị (CSV: ma_don_vi,ten_don_vi,loai_hinh[,email,bao_cao]).
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// Cấu trúc biểu (TOML) thay cho cấu trúc mặc định gắn trong chương trình.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// In một đối tượng JSON ra stdout (thông báo khác ra stderr).
    #[arg(long)]
    pub json: bool,
    /// Dung lượng tối đa của một tệp đầu vào, tính bằng MB (mặc định 100).
    #[arg(
        long,
        value_name = "MB",
        default_value_t = 100,
        hide_default_value = true
    )]
    pub max_file_mb: u64,
    /// Chỉ in một dòng tóm tắt (ra stderr) và lỗi; không có thanh tiến trình.
    #[arg(short, long)]
    pub quiet: bool,
}

/// What a period is judged by: shared by `aggregate` and `status`.
#[derive(Args, Debug)]
pub struct PeriodArgs {
    /// Kỳ báo cáo: 2022-H1, 2022-Y, 6T-2022, "6 tháng 2022", "năm 2022".
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    pub period: Period,
    /// Sổ nhận văn bản (CSV: tep,ma_don_vi,ngay_nhan).
    #[arg(long, value_name = "FILE")]
    pub received: Option<PathBuf>,
    /// Ngày xét trạng thái (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định hôm nay.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub period_args: PeriodArgs,
    /// Ghi danh sách đơn vị còn phải nộp để trộn thư nhắc: .csv (UTF-8 có BOM,
    /// Excel mở được ngay) hoặc .xlsx; "-" in CSV ra stdout. Cột:
    /// ma_don_vi,ten_don_vi,email,trang_thai,so_ngay_tre,ly_do. Không ghi khi
    /// không có gì để xét.
    #[arg(long, value_name = "FILE")]
    pub reminders: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// Kỳ báo cáo điền sẵn vào biểu.
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    pub period: Option<Period>,
    /// Danh sách đơn vị: tạo một biểu cho mỗi đơn vị, điền sẵn mã và tên.
    #[arg(long, value_name = "FILE", requires = "out_dir")]
    pub units: Option<PathBuf>,
    /// Thư mục ghi các biểu của từng đơn vị (dùng với --units).
    #[arg(long, value_name = "DIR", requires = "units")]
    pub out_dir: Option<PathBuf>,
    /// Tệp biểu trống; mặc định bieu-mau-<PERIOD>.xlsx.
    #[arg(short, long, value_name = "FILE", conflicts_with = "units")]
    pub out: Option<PathBuf>,
    /// Cấu trúc biểu (TOML) thay cho cấu trúc mặc định.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Không in thông báo khi xong (lỗi vẫn in ra stderr).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct AggregateArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub period_args: PeriodArgs,
    /// Tệp biểu tổng hợp (.xlsx); mặc định tong-hop-<PERIOD>.xlsx trong thư mục
    /// hiện tại. Không ghi khi không có gì để xét.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Ghi thêm số liệu dạng dài (.csv) cho kho dữ liệu.
    #[arg(long, value_name = "FILE")]
    pub long: Option<PathBuf>,
    /// Trả mã thoát 1 khi có lỗi trong các báo cáo.
    #[arg(long)]
    pub strict: bool,
    /// So sánh với một kỳ trước: biểu tổng hợp (.xlsx) hoặc tệp --long (CSV) mà qcdc
    /// đã lập cho kỳ đó; số liệu kỳ đó được đặt bên cạnh và dùng để soát số liệu bất thường.
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
    /// Tên tỉnh trên biểu ("ỦY BAN NHÂN DÂN TỈNH ..."); thay cho `tinh` trong qcdc.toml.
    #[arg(long, value_name = "TÊN")]
    pub tinh: Option<String>,
    /// Cơ quan lập biểu (mặc định SỞ NỘI VỤ); thay cho `co_quan` trong qcdc.toml.
    #[arg(long, value_name = "TÊN")]
    pub co_quan: Option<String>,
    /// Địa danh ở dòng ngày tháng; thay cho `dia_danh` trong qcdc.toml.
    #[arg(long, value_name = "TÊN")]
    pub dia_danh: Option<String>,
    /// Tệp cấu hình người lập biểu; mặc định qcdc.toml cạnh danh sách đơn vị
    /// (--units), rồi trong thư mục hiện tại.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub common: Common,
    /// Kỳ báo cáo cần kiểm tra; báo cáo của kỳ khác được ghi nhận.
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    pub period: Option<Period>,
}

fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
        .map_err(|e: qcdc::period::PeriodError| e.to_string())
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    qcdc::value::date_from_text(s)
        .ok_or_else(|| format!("ngày '{s}' không hợp lệ (viết dd/mm/yyyy hoặc yyyy-mm-dd)"))
}
