//! The headers that make writes safe over HTTP: `ETag` (the stream's version), `If-Match`
//! (the version the sender decided on), `Idempotency-Key` (the same request sent twice is
//! carried out once).

use axum::http::{header, HeaderMap};
use rectiflow_engine::IdempotencyKey;

use super::problem::Problem;

/// The `Idempotency-Key` request header.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on a response that repeats the first outcome of a keyed request.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// The strong entity tag of a stream at `version`.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// What `If-Match` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// `If-Match: "N"`: the stream must be at version N.
    Version(u64),
    /// `If-Match: *`: whatever version the stream is at (the caller takes the latest state on
    /// purpose).
    Any,
}

impl Precondition {
    pub fn expected_version(self) -> Option<u64> {
        match self {
            Self::Version(v) => Some(v),
            Self::Any => None,
        }
    }
}

/// `If-Match`, which every change to an existing resource needs: missing → 428, unreadable →
/// 400. One strong tag or `*`; a weak tag never matches for a write (RFC 9110 §13.1.1): 412.
/// Unlike RFC 9110, `*` also passes for a stream not written yet: the registries' first
/// command creates the supplier's or care home's stream, named by the path.
pub fn if_match(headers: &HeaderMap) -> Result<Precondition, Problem> {
    let mut values = headers.get_all(header::IF_MATCH).iter();
    let Some(value) = values.next() else {
        return Err(Problem::new(
            axum::http::StatusCode::PRECONDITION_REQUIRED,
            "request.if_match_required",
            "缺少版本前提条件",
            "请在 If-Match 中发送所依据版本的 ETag（或发送 *，表示以当前版本为准）",
        )
        .field("If-Match"));
    };
    let unreadable = || {
        Problem::bad_request(
            "request.if_match_invalid",
            "If-Match 须为单个强 ETag（如 \"3\"）或 *",
        )
        .field("If-Match")
    };
    if values.next().is_some() {
        return Err(unreadable());
    }
    let text = value.to_str().map_err(|_| unreadable())?.trim();
    if text == "*" {
        return Ok(Precondition::Any);
    }
    if text.starts_with("W/") {
        return Err(Problem::new(
            axum::http::StatusCode::PRECONDITION_FAILED,
            "request.stale_version",
            "资源已被修改",
            "弱 ETag 不能用于修改（RFC 9110 §13.1.1）：请按原样发送 ETag",
        )
        .field("If-Match"));
    }
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse().ok())
        .map(Precondition::Version)
        .ok_or_else(unreadable)
}

/// `If-None-Match` on a read: whether the client's copy is the current one (→ 304).
pub fn not_modified(headers: &HeaderMap, version: u64) -> bool {
    let current = etag(version);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == current)
}

/// `Idempotency-Key`, if sent: 1 to 255 visible ASCII characters.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, Problem> {
    let mut values = headers.get_all(IDEMPOTENCY_KEY).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let invalid = |detail: String| {
        Problem::bad_request("request.idempotency_key_invalid", detail).field("Idempotency-Key")
    };
    if values.next().is_some() {
        return Err(invalid("只能发送一个 Idempotency-Key".into()));
    }
    let text = value
        .to_str()
        .map_err(|_| invalid("Idempotency-Key 须为可见 ASCII 字符".into()))?;
    IdempotencyKey::parse(text).map(Some).map_err(|_| {
        invalid(format!(
            "Idempotency-Key {text:?} 须为 1 至 255 个可见 ASCII 字符"
        ))
    })
}
