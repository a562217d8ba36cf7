//! A publication's downloads: the document as PDF (printed by headless Chromium, [`print`]),
//! and its figures as one table — the scope's totals, then each unit with its rank, whether it
//! was named, and for an assessment its score and grade — as CSV (UTF-8 with a BOM, so Excel
//! reads the Chinese) and as XLSX.
//!
//! [`print`]: crate::dashboard::print

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rectiflow_domain::publication::Counts;
use rectiflow_store::Store;
use rust_xlsxwriter::{Format, Workbook};

use super::document::{self, scope_name};
use super::{one, Published};
use crate::access::Principal;
use crate::api::problem::Problem;
use crate::api::Api;
use crate::dashboard::format;
use crate::dashboard::lens::Lens;
use crate::dashboard::names::unit_name;
use crate::dashboard::print::PrintError;
use crate::dashboard::session::Viewer;

/// `GET /publications/{id}/document.pdf`.
pub async fn pdf<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (published, lens) = one(&api, &viewer.principal, id).await?;
    let heading = document::heading(&api, &viewer.principal, &lens, &published).await?;
    let html = document::printable(&lens, &viewer.principal, &published, &heading);
    let bytes = api.printer.print(&html).await.map_err(|error| match error {
        PrintError::NoChromium => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "dashboard.pdf_unavailable",
            "无法生成 PDF",
            error.to_string(),
        ),
        PrintError::TimedOut(_) | PrintError::Failed(_) | PrintError::Busy => {
            tracing::warn!(%error, publication = %published.id, "a document could not be printed");
            Problem::unavailable("PDF 暂时无法生成，请稍后再试")
        }
    })?;
    Ok(download(bytes, "application/pdf", &published.id, "pdf"))
}

/// `GET /publications/{id}/figures.csv`.
pub async fn csv<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (published, lens) = one(&api, &viewer.principal, id).await?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        for row in table(&lens, &viewer.principal, &published) {
            let fields: Vec<String> = row.iter().map(Cell::text).collect();
            writer
                .write_record(&fields)
                .map_err(|e| Problem::internal(format!("the CSV could not be written: {e}")))?;
        }
        writer
            .flush()
            .map_err(|e| Problem::internal(format!("the CSV could not be written: {e}")))?;
    }
    Ok(download(
        out,
        "text/csv; charset=utf-8",
        &published.id,
        "csv",
    ))
}

/// `GET /publications/{id}/figures.xlsx`.
pub async fn xlsx<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (published, lens) = one(&api, &viewer.principal, id).await?;
    let rows = table(&lens, &viewer.principal, &published);
    let failed = |e: rust_xlsxwriter::XlsxError| {
        Problem::internal(format!("the workbook could not be written: {e}"))
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("统计").map_err(failed)?;
    let bold = Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Number(n) => sheet.write_number(r, c, *n).map(drop),
                Cell::Text(t) if r == 0 => sheet.write_string_with_format(r, c, t, &bold).map(drop),
                Cell::Text(t) => sheet.write_string(r, c, t).map(drop),
                Cell::Empty => Ok(()),
            }
            .map_err(failed)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    // Where the figures come from, so the workbook can be traced to its document and checked
    // against the log.
    let heading = document::heading(&api, &viewer.principal, &lens, &published).await?;
    let source = workbook.add_worksheet();
    source.set_name("来源").map_err(failed)?;
    let cut_off = format::local(published.period.cut_off, lens.tz);
    let period = format!(
        "{} 至 {cut_off}",
        format::local(published.period.start, lens.tz)
    );
    let digest = format!("sha256:{}", published.digest);
    let verify = format!(
        "rectiflow verify --digest {digest} --at {}",
        published.position
    );
    let position = published.position.to_string();
    let lines = [
        ("标题", document::title(&published)),
        ("发文机关", heading.issuer),
        ("发文字号", heading.number),
        ("编号", published.id.clone()),
        ("范围", scope_name(&lens, &published.scope)),
        ("统计时段", period),
        ("日志位置", position),
        ("链摘要", digest),
        ("核验", verify),
    ];
    for (r, (name, value)) in lines.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        source
            .write_string_with_format(r, 0, *name, &bold)
            .map_err(failed)?;
        source.write_string(r, 1, value).map_err(failed)?;
    }
    let bytes = workbook.save_to_buffer().map_err(failed)?;
    let media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(download(bytes, media, &published.id, "xlsx"))
}

/// A cell of the figures' table.
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    /// The cell as CSV text. A text starting as a formula would (`=`, `+`, `-`, `@`, a tab or
    /// a carriage return) gets a
    /// leading `'`, so a spreadsheet opening the file shows a unit's name rather than running
    /// it; numbers are written to two decimals at most.
    fn text(&self) -> String {
        match self {
            Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => format!("{n:.2}")
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_owned(),
            Cell::Empty => String::new(),
        }
    }
}

const HEADER: [&str; 19] = [
    "单位编号",
    "单位",
    "本期登记",
    "累计登记",
    "按期销号（累计）",
    "逾期销号（累计）",
    "在办",
    "待销号",
    "逾期（全额）",
    "逾期（减轻）",
    "逾期（免责）",
    "加权逾期",
    "逾期天数",
    "整改完成率（%）",
    "按期完成率（%）",
    "逾期排名",
    "点名",
    "得分",
    "等次",
];

/// The header, the scope's totals, then each unit.
fn table(lens: &Lens, principal: &Principal, published: &Published) -> Vec<Vec<Cell>> {
    let figures = &published.figures;
    let mut rows = vec![HEADER.iter().map(|h| Cell::Text((*h).to_owned())).collect()];
    let mut totals = counts(&figures.totals);
    totals.splice(
        0..0,
        [Cell::Empty, Cell::Text(scope_name(lens, &published.scope))],
    );
    totals.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    rows.push(totals);
    for unit in &figures.units {
        let mut row = vec![
            Cell::Text(unit.unit.to_string()),
            Cell::Text(unit_name(principal, &unit.unit)),
        ];
        row.extend(counts(&unit.counts));
        let rank = figures.ranking.iter().position(|r| r.unit == unit.unit);
        row.push(rank.map_or(Cell::Empty, |r| Cell::Number((r + 1) as f64)));
        row.push(match figures.named.contains(&unit.unit) {
            true => Cell::Text("是".to_owned()),
            false => Cell::Empty,
        });
        let score = figures.scores.iter().find(|s| s.unit == unit.unit);
        row.push(
            score
                .and_then(|s| s.score.as_ref())
                .map_or(Cell::Empty, |s| Cell::Number(s.get())),
        );
        row.push(
            score
                .and_then(|s| s.grade)
                .map_or(Cell::Empty, |g| Cell::Text(g.label().to_owned())),
        );
        rows.push(row);
    }
    rows
}

fn counts(c: &Counts) -> Vec<Cell> {
    let number = |n: u64| Cell::Number(n as f64);
    let percent = |r: Option<rectiflow_domain::assessment::Rate>| {
        r.and_then(|r| r.percent())
            .map_or(Cell::Empty, |p| Cell::Number((p * 10.0).round() / 10.0))
    };
    vec![
        number(c.registered.in_period),
        number(c.registered.to_date),
        number(c.closed_on_time.to_date),
        number(c.closed_late.to_date),
        number(c.open),
        number(c.pending_sign_off),
        number(u64::from(c.overdue.full)),
        number(u64::from(c.overdue.mitigated)),
        number(u64::from(c.overdue.exempted)),
        Cell::Number(c.overdue.weighted),
        number(c.days_overdue),
        percent(c.completion_rate),
        percent(c.on_time_rate),
    ]
}

/// An attachment named after the publication: its id is ASCII (`bulletin~…`), so the name
/// needs no encoding beyond replacing what a file name should not hold.
fn download(body: Vec<u8>, media_type: &'static str, id: &str, extension: &str) -> Response {
    let name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = ([(header::CONTENT_TYPE, media_type)], body).into_response();
    let disposition = format!("attachment; filename=\"{name}.{extension}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
