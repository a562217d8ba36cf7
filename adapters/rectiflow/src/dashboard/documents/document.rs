//! A publication as an official document, laid out as GB/T 9704 lays out 党政机关公文: the
//! issuing body's mark in red, the document number, the red rule, the title, the addressees,
//! the body with its tables, the signature and date — and, last, the log position and chain
//! digest its figures were read at, so a reader can check the log they came from was not
//! rewritten (`rectiflow verify`). Page numbers and the page count are printed by the page
//! margins of the stylesheet (`document.css`).

use maud::{html, Markup, DOCTYPE};
use rectiflow_domain::publication::{Counts, PublicationKind, PublicationScope, UnitRow};
use rectiflow_domain::values::UnitId;
use rectiflow_store::Store;

use super::super::format;
use super::super::lens::Lens;
use super::super::names::unit_name;
use super::Published;
use crate::access::Principal;
use crate::api::problem::Problem;
use crate::api::Api;

/// The document's stylesheet, inlined into the page printed to PDF.
pub const STYLESHEET: &str = include_str!("../assets/document.css");

/// The document's title: what it reports on, for which period.
pub fn title(published: &Published) -> String {
    let period = period_name(&published.label);
    let title = match published.kind {
        PublicationKind::Dispatch => format!("{period}整改工作调度情况"),
        PublicationKind::Bulletin => format!("关于{period}问题整改情况的通报"),
        PublicationKind::Assessment => format!("关于{period}整改工作考核结果的通报"),
    };
    match published.correction {
        0 => title,
        _ => format!("{title}（更正）"),
    }
}

/// A period's label as a document writes it: `2026-03` → 2026年3月, `2026-Q1` → 2026年第一季度,
/// a dispatch by its day (it may cover more than a week after downtime), `2026-03-09` →
/// 2026年3月9日.
fn period_name(label: &str) -> String {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(label, "%Y-%m-%d") {
        use chrono::Datelike;
        return format!("{}年{}月{}日", day.year(), day.month(), day.day());
    }
    let Some((year, rest)) = label.split_once('-') else {
        return label.to_owned();
    };
    let quarters = ["一", "二", "三", "四"];
    if let Some(q) = rest.strip_prefix('Q').and_then(|q| q.parse::<usize>().ok()) {
        if let Some(name) = quarters.get(q.wrapping_sub(1)) {
            return format!("{year}年第{name}季度");
        }
    }
    match rest.parse::<u32>() {
        Ok(month) => format!("{year}年{month}月"),
        Err(_) => label.to_owned(),
    }
}

/// The document's heading: the service's issuing body, and the document number (发文字号),
/// `整治办通〔2026〕3号` — the kind's character, the year, and the publication's place among
/// the campaign's publications of its kind that year, by the log position its figures were
/// read at (a fact of each, so the order never changes once a publication is recorded; ties
/// by id).
pub async fn heading<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    lens: &Lens,
    published: &Published,
) -> Result<Heading, Problem> {
    let year = published.label.get(..4).unwrap_or_default();
    let mut all = super::on_record(api, principal, lens, |p| {
        p.kind == published.kind && p.label.starts_with(year)
    })
    .await?;
    all.sort_by(|a, b| (a.position, &a.id).cmp(&(b.position, &b.id)));
    let place = all
        .iter()
        .position(|p| p.id == published.id)
        .map_or(0, |i| i + 1);
    let mark = match published.kind {
        PublicationKind::Dispatch => "调",
        PublicationKind::Bulletin => "通",
        PublicationKind::Assessment => "考",
    };
    Ok(Heading {
        number: format!("整治办{mark}〔{year}〕{place}号"),
        issuer: api.issuer.clone(),
    })
}

/// A scope as a document names it: 全县, or the task force's name.
pub fn scope_name(lens: &Lens, scope: &PublicationScope) -> String {
    match scope {
        PublicationScope::County => "全县".to_owned(),
        PublicationScope::TaskForce(id) => lens.task_force_name(id.as_str()),
    }
}

/// How a document is headed: its number (发文字号) and issuing body (发文机关).
pub struct Heading {
    pub number: String,
    pub issuer: String,
}

/// The document itself; on screen (`links`), each unit's name leads to what is behind its
/// figures.
pub fn article(
    lens: &Lens,
    principal: &Principal,
    published: &Published,
    heading: &Heading,
    links: bool,
) -> Markup {
    let tz = lens.tz;
    let figures = &published.figures;
    let totals = &figures.totals;
    let scope = scope_name(lens, &published.scope);
    let name = |unit: &UnitId| unit_name(principal, unit);
    let assessment = published.kind == PublicationKind::Assessment;
    let eased: Vec<&UnitRow> = figures
        .units
        .iter()
        .filter(|row| row.counts.overdue.exempted > 0 || row.counts.overdue.mitigated > 0)
        .collect();
    html! {
        article.document data-publication=(published.id) {
            header.issuer {
                p.mark { (heading.issuer) }
                p.number { (heading.number) }
                hr.rule;
            }
            h1.title { (title(published)) }
            @if let Some(corrects) = &published.corrects {
                p.corrects { "本文更正 " (corrects) "，以本文为准。" }
            }
            p.addressees { "各专班，各责任单位：" }
            p.body {
                "现将" (scope) (period_name(&published.label))
                (match published.kind {
                    PublicationKind::Dispatch => "整改工作调度情况印发如下。",
                    PublicationKind::Bulletin => "问题整改情况通报如下。",
                    PublicationKind::Assessment => "整改工作考核结果通报如下。",
                })
                "本期统计时段为 "
                (format::local(published.period.start, tz)) " 至 " (format::local(published.period.cut_off, tz))
                "（截止时点），数据取自事件日志第 " (published.position) " 位。"
            }
            h2 { "一、总体情况" }
            p.body { (summary(&scope, totals)) }
            (totals_table(totals))
            @if !figures.units.is_empty() {
                h2 { "二、各单位情况" }
                div.table-wrap { table.units {
                    thead { tr {
                        th { "单位" } th.num { "累计登记" } th.num { "按期销号" } th.num { "逾期销号" }
                        th.num { "在办" } th.num { "逾期（全额/减轻/免责）" } th.num { "加权逾期" }
                        th.num { "逾期天数" } th.num { "完成率" } th.num { "按期率" }
                        @if assessment { th.num { "得分" } th { "等次" } }
                    } }
                    tbody {
                        @for row in &figures.units {
                            @let c = &row.counts;
                            tr data-unit=(row.unit) {
                                td {
                                    @if links {
                                        a href=(format!("/publications/{}/drill-down?unit={}", published.id, row.unit)) { (name(&row.unit)) }
                                    } @else {
                                        (name(&row.unit))
                                    }
                                }
                                td.num { (c.registered.to_date) }
                                td.num { (c.closed_on_time.to_date) }
                                td.num { (c.closed_late.to_date) }
                                td.num { (c.open) }
                                td.num { (c.overdue.full) "/" (c.overdue.mitigated) "/" (c.overdue.exempted) }
                                td.num { (format::weighted(c.overdue.weighted)) }
                                td.num { (c.days_overdue) }
                                td.num { (format::percent(c.completion_rate)) }
                                td.num { (format::percent(c.on_time_rate)) }
                                @if assessment {
                                    @let score = figures.scores.iter().find(|s| s.unit == row.unit);
                                    td.num { (score.and_then(|s| s.score.as_ref()).map_or_else(|| "—".to_owned(), |s| format!("{:.1}", s.get()))) }
                                    td { (score.and_then(|s| s.grade).map_or("—", |g| g.label())) }
                                }
                            }
                        }
                    }
                } }
            }
            h2 { "三、逾期排名" }
            @if figures.ranking.is_empty() {
                p.body { "本期无逾期未销号的单位。" }
            } @else {
                div.table-wrap { table.ranking {
                    thead { tr { th.num { "名次" } th { "单位" } th.num { "加权逾期" } th.num { "逾期天数" } th { "点名" } } }
                    tbody {
                        @for (place, ranked) in figures.ranking.iter().enumerate() {
                            tr data-unit=(ranked.unit) {
                                td.num { (place + 1) }
                                td { (name(&ranked.unit)) }
                                td.num { (format::weighted(ranked.overdue)) }
                                td.num { (ranked.days_overdue) }
                                td { @if figures.named.contains(&ranked.unit) { "是" } }
                            }
                        }
                    }
                } }
            }
            @if !figures.named.is_empty() {
                p.body.named {
                    "对以下单位予以点名通报："
                    (figures.named.iter().map(name).collect::<Vec<_>>().join("、"))
                    "。请被点名单位主要负责同志切实履行第一责任人职责，限期完成整改。"
                }
            }
            h2 { "四、容错纠错" }
            @if eased.is_empty() {
                p.body { "本期无经认定免责或减轻计算的逾期事项。" }
            } @else {
                p.body { "以下单位的逾期事项经容错纠错认定，免责的不计入逾期，减轻的按系数折算：" }
                ul.eased {
                    @for row in eased {
                        li { (name(&row.unit)) "：免责 " (row.counts.overdue.exempted) " 件，减轻 " (row.counts.overdue.mitigated) " 件" }
                    }
                }
            }
            @if let Some(lists) = &figures.dispatch {
                h2 { "五、调度事项" }
                p.body { "本周到期：" (codes(&lists.due_within_week)) }
                p.body { "已逾期：" (codes(&lists.overdue)) }
                p.body { "久无进展：" (codes(&lists.stalled)) }
            }
            footer.signature {
                p { (heading.issuer) }
                p.date { (format::date(published.recorded_at, tz)) }
            }
            p.verify {
                "核验：本文件数据取自事件日志第 " (published.position) " 位，该位置的链摘要为 "
                code.digest { "sha256:" (published.digest) }
                "。可执行 "
                code { "rectiflow verify --digest sha256:" (published.digest) " --at " (published.position) }
                " 核验所依据的日志未被改写。"
            }
        }
    }
}

/// The totals in a sentence.
fn summary(scope: &str, totals: &Counts) -> String {
    format!(
        "截至本期截止时点，{scope}累计登记问题 {} 件（本期新增 {} 件），累计按期销号 {} 件、逾期销号 {} 件，\
         在办 {} 件（其中待销号 {} 件），逾期未销号 {} 件（加权 {}），整改完成率 {}，按期完成率 {}。",
        totals.registered.to_date,
        totals.registered.in_period,
        totals.closed_on_time.to_date,
        totals.closed_late.to_date,
        totals.open,
        totals.pending_sign_off,
        totals.overdue.items(),
        format::weighted(totals.overdue.weighted),
        format::rate(totals.completion_rate),
        format::rate(totals.on_time_rate),
    )
}

fn totals_table(totals: &Counts) -> Markup {
    html! {
        div.table-wrap { table.totals {
            thead { tr { th { "指标" } th.num { "本期" } th.num { "累计" } } }
            tbody {
                tr { td { "登记" } td.num { (totals.registered.in_period) } td.num { (totals.registered.to_date) } }
                tr { td { "按期销号" } td.num { (totals.closed_on_time.in_period) } td.num { (totals.closed_on_time.to_date) } }
                tr { td { "逾期销号" } td.num { (totals.closed_late.in_period) } td.num { (totals.closed_late.to_date) } }
                tr { td { "在办（截止时点）" } td.num { "—" } td.num { (totals.open) } }
                tr { td { "逾期未销号（加权）" } td.num { "—" } td.num { (format::weighted(totals.overdue.weighted)) } }
                tr { td { "整改完成率" } td.num { "—" } td.num { (format::rate(totals.completion_rate)) } }
                tr { td { "按期完成率" } td.num { "—" } td.num { (format::rate(totals.on_time_rate)) } }
                tr { td { "退回补正率" } td.num { (format::rate(totals.send_back_rate)) } td.num { "—" } }
                tr { td { "投诉按时响应率" } td.num { (format::rate(totals.response_rate)) } td.num { "—" } }
                tr { td { "回头看反弹" } td.num { (totals.relapses) } td.num { "—" } }
            }
        } }
    }
}

fn codes(codes: &[rectiflow_domain::values::ItemCode]) -> String {
    if codes.is_empty() {
        return "无".to_owned();
    }
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// The document alone, as a page of its own with its stylesheet inlined: what is printed to
/// PDF.
pub fn printable(
    lens: &Lens,
    principal: &Principal,
    published: &Published,
    heading: &Heading,
) -> String {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                // Printed from a file by a browser without a sandbox: nothing but its own styles
                // may load or run.
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                title { (title(published)) }
                style { (maud::PreEscaped(STYLESHEET)) }
            }
            body.print { (article(lens, principal, published, heading, false)) }
        }
    }
    .into_string()
}
