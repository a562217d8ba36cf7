//! Keyset pages over HTTP: the `Link: <…>; rel="next"` header a page names its successor in,
//! and the opaque cursor of a board's page (the hex of the last row's key — any id travels in
//! a query string unescaped, and a client has no reason to build one).

use axum::http::{header, HeaderValue};
use axum::response::Response;

use super::problem::Problem;

/// The longest cursor accepted (twice the longest key: ids are far shorter).
const MAX_CURSOR_LEN: usize = 1024;

/// Sets `Link: <path?query with after=cursor>; rel="next"` on `response`.
pub fn link_next(response: &mut Response, path: &str, raw_query: Option<&str>, cursor: &str) {
    let link = format!("<{path}?{}>; rel=\"next\"", with_after(raw_query, cursor));
    if let Ok(link) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LINK, link);
    }
}

/// The query string with `after` set to `cursor` (and any earlier `after` dropped).
fn with_after(raw: Option<&str>, cursor: &str) -> String {
    let mut parts: Vec<String> = raw
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("after="))
        .map(str::to_owned)
        .collect();
    parts.push(format!("after={cursor}"));
    parts.join("&")
}

/// The cursor after the row keyed `key`.
pub fn cursor_after(key: &str) -> String {
    hex::encode(key)
}

/// The key a cursor names; a cursor this service did not make is a 400 naming `after`.
pub fn key_of(cursor: &str) -> Result<String, Problem> {
    let invalid = || {
        Problem::bad_request(
            "request.invalid_parameter",
            "after 不是本列表给出的游标：请取上一页 next 中的值",
        )
        .field("after")
    };
    if cursor.len() > MAX_CURSOR_LEN {
        return Err(invalid());
    }
    let bytes = hex::decode(cursor).map_err(|_| invalid())?;
    let key = String::from_utf8(bytes).map_err(|_| invalid())?;
    // A key this service made holds no control character (no id does).
    if key.chars().any(char::is_control) {
        return Err(invalid());
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_names_the_key_it_was_made_from_and_nothing_else_passes() {
        assert_eq!(
            key_of(&cursor_after("alert~YB-17")).ok(),
            Some("alert~YB-17".into())
        );
        for foreign in ["zz", "abc", "ff", "00", &"a".repeat(MAX_CURSOR_LEN + 2)] {
            assert!(key_of(foreign).is_err(), "{foreign} was taken");
        }
    }

    #[test]
    fn the_next_link_replaces_the_cursor_and_keeps_the_filters() {
        assert_eq!(
            with_after(Some("campaign=c&after=00&limit=2"), "61"),
            "campaign=c&limit=2&after=61"
        );
        assert_eq!(with_after(None, "61"), "after=61");
    }
}
