//! The frame every dashboard page shares: the document head (viewport, the stylesheet, the
//! error hook), the navigation, the failure page, and the headers that keep a page from being
//! framed, sniffed or cached.
//!
//! Pages carry no inline script or style: the Content-Security-Policy allows only the
//! service's own assets, so a name that slipped past escaping still could not run. Every
//! value is written through maud, which escapes it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use crate::api::problem::Problem;

/// The stylesheet's path.
pub const STYLE: &str = "/assets/dashboard.css";
/// The error hook's path.
pub const SCRIPT: &str = "/assets/dashboard.js";

const STYLESHEET: &str = concat!(
    include_str!("assets/dashboard.css"),
    include_str!("assets/document.css")
);
const ERROR_HOOK: &str = include_str!("assets/dashboard.js");

/// The sections of the navigation: path and name.
const SECTIONS: [(&str, &str); 7] = [
    ("/", "总览"),
    ("/ranking", "逾期排名"),
    ("/publications", "通报"),
    ("/assessments", "考核"),
    ("/admonishments", "约谈问责"),
    ("/complaints", "投诉"),
    ("/cases", "案件"),
];

/// What frames a signed-in reader's page: their line (name and role), the logout form's CSRF
/// token, and the query every section's link carries (the campaign and instant looked at).
pub struct Frame<'a> {
    pub who: &'a str,
    pub csrf: &'a str,
    pub nav: String,
}

/// A whole page: `title`, the navigation with `current` marked, and `body`; `frame`, for a
/// signed-in reader.
pub fn page(title: &str, current: &str, frame: Option<&Frame>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · 整改驾驶舱" }
                link rel="stylesheet" href=(STYLE);
                script src=(SCRIPT) {}
            }
            body {
                header.bar {
                    a.brand href="/" { "整改驾驶舱" }
                    nav {
                        @for (path, name) in SECTIONS {
                            @let href = match frame {
                                Some(frame) if !frame.nav.is_empty() => format!("{path}?{}", frame.nav),
                                _ => path.to_owned(),
                            };
                            a href=(href) aria-current=[(path == current).then_some("page")] { (name) }
                        }
                    }
                    @if let Some(frame) = frame {
                        form.who method="post" action="/logout" {
                            span { (frame.who) }
                            input type="hidden" name="csrf" value=(frame.csrf);
                            button type="submit" { "退出" }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// A failure as a page: the problem's title and detail, with its status. The code is shown
/// too, so a reader reporting it names what went wrong.
pub fn failure(problem: &Problem) -> Response {
    let details = problem.details();
    let markup = page(
        &details.title,
        "",
        None,
        html! {
            p.detail { (details.detail) }
            p.code { "代码：" code { (details.code) } }
            p { a href="/" { "返回总览" } }
        },
    );
    (problem.status(), markup).into_response()
}

/// The stylesheet (cached a day: it changes only with the binary).
pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

/// The error hook: collects the page's script errors where a test (or a curious reader at the
/// console) finds them.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", ERROR_HOOK)
}

fn asset(media_type: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// The headers every dashboard answer carries: only the service's own scripts, styles and
/// forms; never framed; never sniffed; pages (not assets) never cached, since each shows one
/// reader's scope.
pub async fn secured(request: Request<Body>, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !is_asset {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
