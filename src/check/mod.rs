//! Stage 3, check: a submission against the schema, the registry and the period.
//!
//! Value errors are found while parsing (they need the cell); here come the rules
//! between indicators, applicability to the unit's type (which needs the
//! registry), unknown units and wrong periods. Nothing here changes a value: an
//! `error` rule marks the submission, a `warning` only informs.

pub mod dates;

use crate::finding::{Finding, FindingKind};
use crate::parse::{SlotState, Submission};
use crate::period::Period;
use crate::registry::Registry;
use crate::schema::{IndicatorKind, Schema, Severity};
use crate::value::Reported;

/// What a submission is checked against.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub schema: &'a Schema,
    /// The registry, when the officer gave one.
    pub registry: Option<&'a Registry>,
    /// The period being consolidated or validated, when known.
    pub period: Option<Period>,
    /// The day the officer consolidates (`--as-of`), when there is one: a form
    /// date after it cannot be true.
    pub as_of: Option<chrono::NaiveDate>,
}

/// All findings about one submission that need more than its cells.
pub fn check(sub: &Submission, ctx: Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    if sub.unit.is_some() && sub.period.is_some() && !sub.is_usable() && !sub.slots.is_empty() {
        findings.push(at_sheet(
            sub,
            Severity::Error,
            FindingKind::NoValues,
            "biểu không có số liệu nào đọc được; biểu này không được tính".into(),
        ));
    }
    check_rules(sub, ctx.schema, &mut findings);
    if let (Some(registry), Some(unit)) = (ctx.registry, sub.unit.as_deref()) {
        match registry.get(unit) {
            Some(registered) => check_applicability(sub, ctx.schema, &registered.unit_type, &mut findings),
            None => findings.push(
                at_sheet(
                    sub,
                    Severity::Warning,
                    FindingKind::UnknownUnit,
                    format!("mã đơn vị {unit} không có trong danh sách đơn vị; số liệu không được cộng vào tổng hợp"),
                )
                .cell(sub.unit_cell.as_deref())
                .value(unit.to_string()),
            ),
        }
    }
    if let (Some(wanted), Some(got)) = (ctx.period, sub.period)
        && wanted != got
    {
        findings.push(
                at_sheet(
                    sub,
                    Severity::Warning,
                    FindingKind::WrongPeriod,
                    format!("biểu của kỳ {got}, không phải kỳ {wanted} đang tổng hợp; không được cộng vào tổng hợp"),
                )
                .cell(sub.period_cell.as_deref())
                .value(got.to_string()),
            );
    }
    findings
}

fn at_sheet(sub: &Submission, severity: Severity, kind: FindingKind, message: String) -> Finding {
    let f = match severity {
        Severity::Error => Finding::error(kind, &sub.file, message),
        Severity::Warning => Finding::warning(kind, &sub.file, message),
    };
    f.sheet(&sub.sheet).unit(sub.unit.as_deref())
}

fn check_rules(sub: &Submission, schema: &Schema, findings: &mut Vec<Finding>) {
    for ind in &schema.indicators {
        let Some(rule) = &ind.rule else { continue };
        let (Some(left), Some(right)) = (sub.count(&rule.left), sub.count(&rule.right)) else {
            continue;
        };
        if rule.op.holds(left, right) {
            continue;
        }
        let consequence = match rule.severity {
            Severity::Error => "biểu có lỗi, số liệu vẫn được tổng hợp",
            Severity::Warning => "đề nghị đơn vị kiểm tra lại",
        };
        let cell = sub.slot(&rule.left).map(|s| s.cell.as_str());
        findings.push(
            at_sheet(
                sub,
                rule.severity,
                FindingKind::RuleViolated,
                format!(
                    "{} ({left}) phải {} {} ({right}); {consequence}",
                    labelled(schema, &rule.left),
                    rule.op.words(),
                    labelled(schema, &rule.right)
                ),
            )
            .cell(cell)
            .indicator(&rule.left)
            .value(left.to_string()),
        );
    }
}

/// An indicator's code with its label, so that a message explains itself.
fn labelled(schema: &Schema, code: &str) -> String {
    match schema.indicator(code) {
        Some(ind) => format!("{code} \"{}\"", ind.label),
        None => code.to_string(),
    }
}

fn check_applicability(
    sub: &Submission,
    schema: &Schema,
    unit_type: &str,
    findings: &mut Vec<Finding>,
) {
    for ind in &schema.indicators {
        let slot = sub.slot(&ind.code);
        let applies = ind.applies_to(unit_type);
        match slot.map(|s| &s.state) {
            None | Some(SlotState::Empty) if applies => {
                let what = if ind.kind == IndicatorKind::Text { "chưa có nội dung" } else { "chưa có số liệu (ô trống, không tính là 0)" };
                findings.push(
                    at_sheet(sub, Severity::Warning, FindingKind::MissingValue, format!("chỉ tiêu {} {what}", ind.code))
                        .cell(slot.map(|s| s.cell.as_str()).or(sub.row_anchor()))
                        .indicator(&ind.code),
                );
            }
            Some(SlotState::NotApplicable) if applies => findings.push(
                at_sheet(
                    sub,
                    Severity::Warning,
                    FindingKind::MarkedNotApplicable,
                    format!(
                        "chỉ tiêu {} áp dụng cho loại hình {unit_type} nhưng đơn vị ghi \"không áp dụng\"; chỉ tiêu này được coi là chưa có số liệu, đề nghị đơn vị kiểm tra lại",
                        ind.code
                    ),
                )
                .cell(slot.map(|s| s.cell.as_str()))
                .indicator(&ind.code),
            ),
            Some(SlotState::Value(Reported::Count(n))) if !applies => findings.push(
                at_sheet(
                    sub,
                    Severity::Warning,
                    FindingKind::NotApplicable,
                    format!(
                        "chỉ tiêu {} không áp dụng cho loại hình {unit_type} nhưng đơn vị có báo cáo {n}; số liệu vẫn được cộng vào tổng hợp",
                        ind.code
                    ),
                )
                .cell(slot.map(|s| s.cell.as_str()))
                .indicator(&ind.code)
                .value(n.to_string()),
            ),
            _ => {}
        }
    }
}
