//! Charts as SVG written on the server: the overdue ranking as bars, the monthly trends as
//! lines. Written as markup rather than drawn with a plotting crate because each bar must be
//! a link to its unit's items (a plotting backend draws shapes, not links) and the labels must
//! be text the browser sets in the page's CJK font (a backend measures text with font files
//! of its own at build time).

use maud::{html, Markup};

/// One bar: its label, its value, the text shown beside it, and where clicking it goes
/// (nowhere when its reader could not open a list that matches it).
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub caption: String,
    pub href: Option<String>,
}

const WIDTH: f64 = 720.0;
const LABEL_WIDTH: f64 = 180.0;
const ROW: f64 = 28.0;
const BAR: f64 = 18.0;

/// Horizontal bars, longest value the full width, one row per bar in the order given.
pub fn bars(title: &str, bars: &[Bar]) -> Markup {
    let height = ROW * bars.len().max(1) as f64 + 16.0;
    let most = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let room = WIDTH - LABEL_WIDTH - 90.0;
    html! {
        svg.chart.bars xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox=(format!("0 0 {WIDTH} {height}")) aria-label=(title) {
            title { (title) }
            @for (row, bar) in bars.iter().enumerate() {
                @let y = 8.0 + ROW * row as f64;
                @let length = if most > 0.0 { (bar.value / most * room).max(2.0) } else { 2.0 };
                @let drawn = html! {
                    text x=(LABEL_WIDTH - 8.0) y=(y + BAR - 4.0) text-anchor="end" { (bar.label) }
                    rect.bar x=(LABEL_WIDTH) y=(y) width=(format!("{length:.1}")) height=(BAR) {
                        title { (bar.label) "：" (bar.caption) }
                    }
                    text x=(LABEL_WIDTH + length + 6.0) y=(y + BAR - 4.0) { (bar.caption) }
                };
                @match &bar.href {
                    Some(href) => a href=(href) { (drawn) },
                    None => g { (drawn) },
                }
            }
        }
    }
}

/// One point of a trend: its label (a month) and each series' value there (`None`: not
/// applicable, left out of the line).
pub struct Point {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

const LINE_HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 24.0;
/// The series' classes (their colours in the stylesheet), in the legend's order.
const SERIES: [&str; 2] = ["line-a", "line-b"];

/// Lines over the same months on one scale from 0 to `top` (at least the largest value), each
/// series named by `legend`, in order (two at most).
pub fn lines(title: &str, legend: &[&str], top: f64, points: &[Point]) -> Markup {
    let top = points
        .iter()
        .flat_map(|p| p.values.iter().flatten())
        .fold(top.max(1.0), |m, v| m.max(*v));
    let plot_width = WIDTH - LEFT - 24.0;
    let plot_height = LINE_HEIGHT - TOP - BOTTOM;
    let step = plot_width / (points.len().max(2) - 1) as f64;
    let x = |i: usize| LEFT + step * i as f64;
    let y = |v: f64| TOP + plot_height * (1.0 - v.clamp(0.0, top) / top);
    let path = |series: usize| {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let v = p.values.get(series).copied().flatten()?;
                Some(format!("{:.1},{:.1}", x(i), y(v)))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        svg.chart.lines xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox=(format!("0 0 {WIDTH} {LINE_HEIGHT}")) aria-label=(title) {
            title { (title) }
            @for quarter in 0..=4 {
                @let tick = top * f64::from(quarter) / 4.0;
                line.axis x1=(LEFT) x2=(WIDTH - 24.0) y1=(y(tick)) y2=(y(tick)) stroke-opacity="0.3" {}
                text x=(LEFT - 6.0) y=(y(tick) + 4.0) text-anchor="end" { (format!("{tick:.0}")) }
            }
            @for (i, point) in points.iter().enumerate() {
                text x=(x(i)) y=(LINE_HEIGHT - BOTTOM + 18.0) text-anchor="middle" { (point.label) }
                @for (series, class) in SERIES.iter().enumerate() {
                    @if let Some(v) = point.values.get(series).copied().flatten() {
                        circle class=(class) cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(v))) r="3" {
                            title { (point.label) " " (legend.get(series).copied().unwrap_or_default()) "：" (format!("{v:.1}")) }
                        }
                    }
                }
            }
            @for (series, (class, name)) in SERIES.iter().zip(legend).enumerate() {
                polyline class=(class) points=(path(series)) {}
                text class=(format!("legend {class}")) x=(LEFT + 8.0 + 160.0 * series as f64) y=(TOP - 8.0) { "— " (name) }
            }
        }
    }
}
