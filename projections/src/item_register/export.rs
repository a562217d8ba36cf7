//! The ledger's exports (台账导出, issue #10): CSV (UTF-8 with a BOM, so Excel opens the
//! Chinese text as such; RFC 4180 quoting) and XLSX (dates as Excel dates), with the same
//! columns and Chinese headers, the read-time values judged at `as_of`.
//!
//! Instants are shown in UTC (the row does not carry the campaign's time zone); deadlines are
//! the local dates the items were given.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rectiflow_domain::item::{Colour, ItemState, Severity};
use rectiflow_domain::values::Yuan;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::ItemEntry;

/// One cell of the ledger, typed so the XLSX writes numbers and dates as such.
enum Cell {
    Text(String),
    Number(i64),
    Money(Yuan),
    At(DateTime<Utc>),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    fn opt_text(value: Option<&String>) -> Self {
        value.map_or(Self::Empty, |v| Self::Text(v.clone()))
    }

    fn opt_at(value: Option<DateTime<Utc>>) -> Self {
        value.map_or(Self::Empty, Self::At)
    }

    fn yes_no(value: bool) -> Self {
        Self::text(if value { "是" } else { "否" })
    }

    fn opt_yes_no(value: Option<bool>) -> Self {
        value.map_or(Self::Empty, Self::yes_no)
    }

    /// The cell as CSV text.
    fn render(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Number(n) => n.to_string(),
            Self::Money(yuan) => yuan.to_string(),
            Self::At(at) => at.format("%Y-%m-%d %H:%M:%S").to_string(),
            Self::Date(date) => date.format("%Y-%m-%d").to_string(),
            Self::Empty => String::new(),
        }
    }
}

type Extract = fn(&ItemEntry, DateTime<Utc>) -> Cell;

/// The ledger's columns: header and value.
const COLUMNS: &[(&str, Extract)] = &[
    ("问题编号", |e, _| Cell::text(&e.code)),
    ("专项行动", |e, _| Cell::text(&e.campaign)),
    ("专班", |e, _| Cell::text(&e.task_force)),
    ("问题标题", |e, _| Cell::text(&e.title)),
    ("问题类别", |e, _| Cell::text(&e.category)),
    ("严重程度", |e, _| Cell::text(severity(e.severity))),
    ("状态", |e, _| Cell::text(state_label(e.state))),
    ("登记时间(UTC)", |e, _| Cell::At(e.registered_at)),
    ("责任单位", |e, _| {
        Cell::opt_text(e.responsible_unit.as_ref())
    }),
    ("责任人", |e, _| {
        Cell::opt_text(e.responsible_person.as_ref())
    }),
    ("监督单位", |e, _| {
        Cell::opt_text(e.supervising_unit.as_ref())
    }),
    ("原定时限", |e, _| {
        e.original_deadline
            .map_or(Cell::Empty, |d| Cell::Date(d.date()))
    }),
    ("现行时限", |e, _| {
        e.deadline.map_or(Cell::Empty, |d| Cell::Date(d.date()))
    }),
    ("预警颜色", |e, at| {
        Cell::text(colour_label(e.colour_at(at)))
    }),
    ("是否逾期", |e, at| Cell::yes_no(e.overdue_at(at))),
    ("逾期天数", |e, at| Cell::Number(e.days_overdue_at(at))),
    ("是否免责", |e, at| Cell::yes_no(e.exempt_at(at))),
    ("签收期限(UTC)", |e, _| {
        Cell::opt_at(e.acknowledgement_due_at)
    }),
    ("签收时间(UTC)", |e, _| Cell::opt_at(e.acknowledged_at)),
    ("超期签收", |e, _| Cell::yes_no(e.acknowledgement_late)),
    ("最近进展(%)", |e, _| {
        e.last_progress_percent
            .map_or(Cell::Empty, |p| Cell::Number(i64::from(p.get())))
    }),
    ("最近进展时间(UTC)", |e, _| {
        Cell::opt_at(e.last_progress_at)
    }),
    ("申请销号时间(UTC)", |e, _| {
        Cell::opt_at(e.sign_off_requested_at)
    }),
    ("销号时间(UTC)", |e, _| Cell::opt_at(e.closed_at)),
    ("按期销号", |e, _| Cell::opt_yes_no(e.closed_on_time)),
    ("超原定时限销号", |e, _| {
        Cell::opt_yes_no(e.closed_after_original_deadline)
    }),
    ("回头看时间(UTC)", |e, _| {
        Cell::opt_at(e.reinspection_due_at)
    }),
    ("撤销时间(UTC)", |e, _| Cell::opt_at(e.withdrawn_at)),
    ("结转自", |e, _| {
        Cell::opt_text(e.carried_over_from.as_ref())
    }),
    ("延期次数", |e, _| Cell::Number(e.extensions)),
    ("退回次数", |e, _| Cell::Number(e.send_backs)),
    ("复发次数", |e, _| Cell::Number(e.relapses)),
    ("追回资金(元)", |e, _| Cell::Money(e.funds_recovered)),
    ("惠及群众(人)", |e, _| Cell::Number(e.people_affected)),
    ("退还补贴(元)", |e, _| {
        Cell::Money(e.subsidies_returned)
    }),
];

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "一般",
        Severity::Medium => "较重",
        Severity::High => "严重",
        Severity::Critical => "特别严重",
    }
}

/// An item's state as the ledger names it (待销号, 已销号…): [`ItemState::label`], so the
/// ledger and the refusals name states alike.
pub fn state_label(state: ItemState) -> &'static str {
    state.label()
}

/// A colour as the ledger names it (红, 黄, 绿).
pub fn colour_label(colour: Colour) -> &'static str {
    match colour {
        Colour::Red => "红",
        Colour::Yellow => "黄",
        Colour::Green => "绿",
    }
}

/// The rows as CSV: UTF-8 with a BOM, a header row, CRLF line ends, fields quoted where RFC
/// 4180 requires.
pub fn to_csv(rows: &[ItemEntry], as_of: DateTime<Utc>) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail, and every record has as many fields as the header.
        let _ = writer.write_record(COLUMNS.iter().map(|(header, _)| *header));
        for row in rows {
            let _ = writer.write_record(COLUMNS.iter().map(|(_, cell)| cell(row, as_of).render()));
        }
        let _ = writer.flush();
    }
    out
}

/// The rows as an XLSX workbook: one sheet, a bold frozen header row, instants and dates as
/// Excel dates, counts and amounts as numbers.
pub fn to_xlsx(rows: &[ItemEntry], as_of: DateTime<Utc>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let instant = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let money = Format::new().set_num_format("0.00");
    let sheet = workbook.add_worksheet();
    sheet.set_name("台账")?;
    for (col, (title, _)) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, col, *title, &header)?;
        sheet.set_column_width(col, 16)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, entry) in (1u32..).zip(rows) {
        for (col, (_, cell)) in (0u16..).zip(COLUMNS) {
            match cell(entry, as_of) {
                Cell::Text(text) => {
                    sheet.write_string(row, col, text)?;
                }
                Cell::Number(n) => {
                    // Counts and days: far below 2^53, exact as f64.
                    #[allow(clippy::cast_precision_loss)]
                    sheet.write_number(row, col, n as f64)?;
                }
                Cell::Money(yuan) => {
                    #[allow(clippy::cast_precision_loss)]
                    let value = yuan.fen() as f64 / 100.0;
                    sheet.write_number_with_format(row, col, value, &money)?;
                }
                Cell::At(at) => {
                    let value = ExcelDateTime::from_timestamp(at.timestamp())?;
                    sheet.write_datetime_with_format(row, col, value, &instant)?;
                }
                Cell::Date(day) => {
                    let value = ExcelDateTime::from_ymd(
                        u16::try_from(day.year()).map_err(|_| {
                            XlsxError::ParameterError(format!("year out of range: {day}"))
                        })?,
                        u8::try_from(day.month()).unwrap_or(1),
                        u8::try_from(day.day()).unwrap_or(1),
                    )?;
                    sheet.write_datetime_with_format(row, col, value, &date)?;
                }
                Cell::Empty => {}
            }
        }
    }
    workbook.save_to_buffer()
}
