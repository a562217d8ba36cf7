//! Errors as RFC 9457 problem details (`application/problem+json`): a title in Chinese for the
//! people reading it, a stable English `code` for the programs that branch on it, the field at
//! fault as a JSON Pointer into the request body, and for a stale `If-Match` the version the
//! resource is at now.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rectiflow_domain::DomainError;
use rectiflow_engine::{ExecuteError, StoreError};
use schemars::JsonSchema;
use serde::Serialize;

use crate::access::Denied;

/// A problem, boxed: handlers return it as their error, and a small `Err` keeps every
/// `Result` small.
#[derive(Debug, Clone)]
pub struct Problem(Box<ProblemDetails>);

/// Seconds a client waits before sending again a request the service was unavailable for.
pub const RETRY_UNAVAILABLE_SECONDS: u64 = 5;

/// A problem detail. `type` is a URI naming the code; `instance` is not used.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "Problem")]
pub struct ProblemDetails {
    #[serde(rename = "type")]
    pub kind: String,
    /// What went wrong, in Chinese.
    pub title: String,
    pub status: u16,
    /// This occurrence: what exactly was refused and why.
    pub detail: String,
    /// Stable, dotted, English: `item.invalid_transition`, `request.unknown_field`.
    pub code: String,
    /// The field at fault, as a JSON Pointer into the request body (`/evidence/0/uri`), or the
    /// header or query parameter by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With 412: the version the resource is at now (also its `ETag`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
    #[serde(skip)]
    #[schemars(skip)]
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Self(Box::new(ProblemDetails {
            kind: format!("https://rectiflow.dev/problems/{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            field: None,
            current_version: None,
            headers: Vec::new(),
        }))
    }

    /// What is sent.
    pub fn details(&self) -> &ProblemDetails {
        &self.0
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.0.field = Some(field.into());
        self
    }

    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.0.headers.push((name, value));
        self
    }

    /// 400: the request is malformed (a header, a parameter, the JSON's syntax).
    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, "请求格式错误", detail)
    }

    /// 422: well-formed, but a value is wrong or unknown.
    pub fn invalid(code: &str, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            "请求内容无效",
            detail,
        )
    }

    pub fn not_found(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, "未找到", detail)
    }

    pub fn forbidden(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, "无权执行此操作", detail)
    }

    /// 5xx: the operator's to fix; the detail names the failure, never the request's data.
    /// With `Retry-After`: what makes a service unavailable passes (a database restarting, a
    /// read model rebuilt aside after an upgrade, a port reconnecting), and nothing was written.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service.unavailable",
            "服务暂时不可用",
            detail,
        )
        .header(
            header::RETRY_AFTER,
            HeaderValue::from(RETRY_UNAVAILABLE_SECONDS),
        )
    }

    /// 500: a fault that waiting will not mend (a log the code cannot read, a row of a read
    /// model that does not parse) — the operator's to fix, so no `Retry-After`.
    pub fn internal(detail: impl Into<String>) -> Self {
        let detail = detail.into();
        tracing::error!(%detail, "a request met a fault");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "service.internal",
            "服务内部错误",
            detail,
        )
    }

    pub fn store(error: &StoreError) -> Self {
        tracing::error!(%error, "the store failed a request");
        Self::unavailable(
            "the event store failed; nothing was written, the request may be sent again",
        )
    }

    /// What a handler that panicked answers (a bug, never the sender's mistake): a 500
    /// problem, the panic logged, the connection kept — instead of a dropped connection and
    /// no answer. Nothing a panicking handler was writing committed (a command commits in one
    /// transaction, or not at all).
    pub fn for_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(panic = %message, "a request's handler panicked");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "service.internal",
            "服务内部错误",
            "the service failed on this request; it was logged",
        )
        .into_response()
    }

    /// A rule's refusal by its stable code: who may not (403), what does not exist (404),
    /// what the resource's state does not allow (409), or what the rules do not accept (422).
    pub fn refused(code: &str, detail: impl Into<String>) -> Self {
        let reason = code.rsplit('.').next().unwrap_or(code);
        let (status, title) = match reason {
            "forbidden" | "segregation_of_duties" | "not_admin" => {
                (StatusCode::FORBIDDEN, "无权执行此操作")
            }
            "not_found" => (StatusCode::NOT_FOUND, "未找到"),
            "invalid_transition" | "already_exists" | "already_registered" => {
                (StatusCode::CONFLICT, "当前状态不允许此操作")
            }
            _ if reason.starts_with("already_") => (StatusCode::CONFLICT, "当前状态不允许此操作"),
            _ => (StatusCode::UNPROCESSABLE_ENTITY, "不符合整治规则"),
        };
        Self::new(status, code, title, detail)
    }

    /// What a command's failure means over HTTP.
    pub fn from_execute<E: DomainError>(error: ExecuteError<E>) -> Self {
        match error {
            ExecuteError::Refused(refusal) => Self::refused(refusal.code(), refusal.to_string()),
            ExecuteError::RefusalReplayed { code } => Self::refused(
                &code,
                format!("以此 Idempotency-Key 首次发送时已被拒绝（{code}），本次未重新执行"),
            ),
            ExecuteError::Conflict { actual, .. } => Self::stale(actual),
            ExecuteError::IdempotencyKeyReused { key } => Self::invalid(
                "request.idempotency_key_reused",
                format!("Idempotency-Key {key:?} 已用于另一请求"),
            )
            .field("Idempotency-Key"),
            ExecuteError::WrongStream { stream, named } => Self::invalid(
                "request.wrong_stream",
                format!(
                    "请求体写明的是 {named}，与路径中的 {} 不符",
                    stream.stream_id
                ),
            ),
            ExecuteError::NulCharacter { pointer, .. } => Self::invalid(
                "request.nul_character",
                "字符串含 U+0000（NUL）字符，无法保存",
            )
            .field(pointer),
            ExecuteError::Unavailable(port) => {
                tracing::error!(%port, "a port failed a command");
                Self::unavailable(format!("{}; nothing was written", port.port))
            }
            ExecuteError::Store(StoreError::Conflict { actual, .. }) => Self::stale(actual),
            ExecuteError::Store(error) => Self::store(&error),
        }
    }

    /// 412: `If-Match` named another version than the resource's.
    pub fn stale(current: u64) -> Self {
        let mut problem = Self::new(
            StatusCode::PRECONDITION_FAILED,
            "request.stale_version",
            "资源已被修改",
            format!("该资源已更新至第 {current} 版：请重新读取后再作决定"),
        )
        .field("If-Match");
        problem.0.current_version = Some(current);
        if let Ok(etag) = HeaderValue::from_str(&super::conditional::etag(current)) {
            problem = problem.header(header::ETAG, etag);
        }
        problem
    }
}

impl From<Denied> for Problem {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Unauthenticated => Self::new(
                StatusCode::UNAUTHORIZED,
                "auth.unauthenticated",
                "未认证",
                "请以 `Authorization: Bearer <token>` 形式发送有效的 API 令牌",
            )
            .header(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"rectiflow\""),
            ),
            Denied::RoleNoLongerHeld { .. } => {
                Self::forbidden("auth.role_not_held", denied.to_string())
            }
            Denied::Expired { at } => Self::new(
                StatusCode::UNAUTHORIZED,
                "auth.token_expired",
                "令牌已过期",
                format!(
                    "该令牌已于 {} 过期，请系统管理员重新签发",
                    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
            )
            .header(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer realm=\"rectiflow\", error=\"invalid_token\", error_description=\"the token expired\"",
                ),
            ),
            Denied::Store(error) => Self::store(&error),
            Denied::Unavailable(port) => Self::unavailable(port.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&*self.0).unwrap_or_default();
        let mut response = (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            )],
            body,
        )
            .into_response();
        for (name, value) in self.0.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unavailable_service_says_when_to_try_again() {
        let response = Problem::unavailable("the store is restarting").into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from(RETRY_UNAVAILABLE_SECONDS))
        );
    }
}
