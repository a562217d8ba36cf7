//! 登录 — signing in to the dashboard: a leadership or secretariat API token, pasted once into
//! the login page, is exchanged for a session — a token of its own ([`DASHBOARD_SESSION`]),
//! acting for the same person in the same role for at most 12 hours, good for the dashboard's
//! pages and refused by the API — whose secret is kept in a cookie the page's scripts cannot
//! read (`HttpOnly`) and the browser never sends from another site (`SameSite=Strict`). The
//! API token itself is kept nowhere. The session is checked against the token book and the
//! organisation on every page as a bearer token is: a role taken away, or the session revoked
//! (by logging out, or `rectiflow token revoke`, on any node), signs the reader out at their
//! next click.
//!
//! Logging out is a `POST` carrying a token derived from the session (a form on another site
//! can neither send the cookie nor know the token); it revokes the session. A `POST` whose
//! `Origin` is another site's is refused outright. The cookie is `Secure` when the login form
//! was posted from an `https` origin, so a county gateway terminating TLS gets it without
//! configuration, while a plain-HTTP intranet still works.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use cookie::{Cookie, SameSite};
use maud::{html, Markup};
use rectiflow_domain::organisation::Acting;
use rectiflow_store::Store;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::lens::Lens;
use super::page;
use crate::access::{self, Denied, Principal, DASHBOARD_SESSION};
use crate::api::problem::Problem;
use crate::api::Api;

/// The session cookie's name.
pub const COOKIE: &str = "rectiflow_session";
/// The longest a session lasts (the token's own expiry shortens it).
const SESSION_SECONDS: i64 = 12 * 3600;
/// The longest token a login form may carry (a real one is 67 characters).
const MAX_TOKEN_LEN: usize = 256;

/// A signed-in reader: the token's principal, and the token that guards their logout.
pub struct Viewer {
    pub principal: Principal,
    pub csrf: String,
}

impl Viewer {
    /// The reader's line in the bar: their name and the role they read in.
    pub fn line(&self) -> String {
        let name = super::names::person_name(&self.principal, &self.principal.person);
        format!("{name}（{}）", self.principal.acting.label())
    }

    /// A page for this reader, its sections' links keeping `lens`'s campaign and instant.
    pub fn page(&self, title: &str, current: &str, lens: &Lens, body: Markup) -> Response {
        let line = self.line();
        let frame = page::Frame {
            who: &line,
            csrf: &self.csrf,
            nav: lens.query(&[]),
        };
        page::page(title, current, Some(&frame), body).into_response()
    }
}

/// Why a page is not shown: no session (go and sign in), or a problem to show.
pub enum Refused {
    SignIn,
    Problem(Problem),
}

impl From<Problem> for Refused {
    fn from(problem: Problem) -> Self {
        Refused::Problem(problem)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::SignIn => Redirect::to("/login").into_response(),
            Refused::Problem(problem) => page::failure(&problem),
        }
    }
}

impl<S: Store> FromRequestParts<Arc<Api<S>>> for Viewer {
    type Rejection = Refused;

    async fn from_request_parts(
        parts: &mut Parts,
        api: &Arc<Api<S>>,
    ) -> Result<Self, Self::Rejection> {
        let secret = session_secret(&parts.headers).ok_or(Refused::SignIn)?;
        let principal = match signed_in(api, &secret).await {
            Ok(principal) => principal,
            // An unknown, revoked or expired token, or a role taken away: sign in again.
            Err(SignInError::Denied(
                Denied::Unauthenticated | Denied::Expired { .. } | Denied::RoleNoLongerHeld { .. },
            )) => return Err(Refused::SignIn),
            Err(error) => return Err(Refused::Problem(error.problem())),
        };
        // Only a session signs a reader in (an API token set as the cookie by hand does not),
        // and only while the token it was opened with still acts: revoking that token ends
        // its sessions too.
        let Some(parent) = &principal.session_of else {
            return Err(Refused::SignIn);
        };
        let parent = api
            .tokens
            .get(parent)
            .await
            .map_err(|e| Problem::store(&e))?;
        let parent_acts =
            parent.is_some_and(|t| t.revoked_at.is_none() && !t.expired_at(Utc::now()));
        if !parent_acts {
            return Err(Refused::SignIn);
        }
        api.rates.admit(&principal.token_id, "本令牌")?;
        Ok(Viewer {
            principal,
            csrf: csrf_token(&secret),
        })
    }
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    token: String,
}

/// The logout form's fields.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// `GET /login`.
pub async fn form() -> Response {
    login_page(StatusCode::OK, None)
}

/// `POST /login`: a leadership or secretariat token signs in; anything else is told why.
pub async fn login<S: Store>(
    State(api): State<Arc<Api<S>>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    if let Err(problem) = same_origin(&headers) {
        return page::failure(&problem);
    }
    let Ok(Form(LoginForm { token })) = form else {
        return login_page(StatusCode::BAD_REQUEST, Some("请填写令牌"));
    };
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_TOKEN_LEN || !token.bytes().all(cookie_safe) {
        return login_page(StatusCode::UNAUTHORIZED, Some("令牌无效、已撤销或已过期"));
    }
    let principal = match signed_in(&api, token).await {
        Ok(principal) => principal,
        Err(SignInError::Denied(Denied::Store(_) | Denied::Unavailable(_))) => {
            return page::failure(&Problem::unavailable("令牌暂时无法核验，请稍后再试"));
        }
        Err(SignInError::Denied(denied)) => {
            return login_page(StatusCode::UNAUTHORIZED, Some(&denied.to_string()));
        }
        Err(SignInError::Role(acting)) => {
            let message = format!(
                "以{}身份不能查看驾驶舱：请用领导小组或专班办公室的令牌",
                acting.label()
            );
            return login_page(StatusCode::FORBIDDEN, Some(&message));
        }
    };
    if principal.session_of.is_some() {
        return login_page(
            StatusCode::UNAUTHORIZED,
            Some("请用 API 令牌登录，而非驾驶舱会话"),
        );
    }
    let session = match open_session(&api, token, &principal).await {
        Ok(session) => session,
        Err(error) => {
            tracing::warn!(%error, "a dashboard session could not be opened");
            return page::failure(&Problem::unavailable("暂时无法登录，请稍后再试"));
        }
    };
    tracing::info!(token = %principal.token_id, session = %session.token.id, person = %principal.person, "signed in to the dashboard");
    let lifetime = session
        .token
        .expires_at
        .map_or(0, |at| (at - Utc::now()).num_seconds().max(0));
    let secure = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|o| o.starts_with("https://"));
    let cookie = Cookie::build((COOKIE, session.secret))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(lifetime))
        .build();
    with_cookie(Redirect::to("/"), &cookie)
}

/// `POST /logout`: revokes the session and clears its cookie, when the form carries the
/// session's token — a forged logout (another site's form, a link) ends nothing.
pub async fn logout<S: Store>(
    State(api): State<Arc<Api<S>>>,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    if let Err(problem) = same_origin(&headers) {
        return page::failure(&problem);
    }
    let Some(secret) = session_secret(&headers) else {
        return Redirect::to("/login").into_response();
    };
    let carried = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !same_bytes(carried.as_bytes(), csrf_token(&secret).as_bytes()) {
        return page::failure(&Problem::forbidden(
            "auth.csrf",
            "退出请求缺少本会话的校验码：请从驾驶舱页面上的“退出”按钮退出",
        ));
    }
    match api.tokens.find(&secret).await {
        Ok(Some(token))
            if token
                .label
                .as_deref()
                .is_some_and(|l| l.starts_with(DASHBOARD_SESSION)) =>
        {
            if let Err(error) = api.tokens.revoke(&token.id, Utc::now()).await {
                tracing::warn!(%error, "a dashboard session could not be revoked");
                return page::failure(&Problem::unavailable("暂时无法退出，请稍后再试"));
            }
            tracing::info!(session = %token.id, "signed out of the dashboard");
        }
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "a dashboard session could not be read");
            return page::failure(&Problem::unavailable("暂时无法退出，请稍后再试"));
        }
    }
    let cleared = Cookie::build((COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build();
    with_cookie(Redirect::to("/login"), &cleared)
}

enum SignInError {
    Denied(Denied),
    /// A valid token of a role the dashboard is not for.
    Role(Acting),
}

impl SignInError {
    fn problem(self) -> Problem {
        match self {
            SignInError::Denied(denied) => Problem::from(denied),
            SignInError::Role(acting) => Problem::forbidden(
                "auth.out_of_scope",
                format!("以{}身份不能查看驾驶舱", acting.label()),
            ),
        }
    }
}

/// The principal of `secret` if it may read the dashboard: leadership or a secretariat.
async fn signed_in<S: Store>(api: &Api<S>, secret: &str) -> Result<Principal, SignInError> {
    let principal = access::authenticate(&api.tokens, &api.services.directory, secret, Utc::now())
        .await
        .map_err(SignInError::Denied)?;
    match principal.acting {
        Acting::Leadership | Acting::Secretariat { .. } => Ok(principal),
        ref other => Err(SignInError::Role(other.clone())),
    }
}

/// Issues the session `principal` signs in to: acting as they do, until 12 hours from now or
/// the expiry of the token they signed in with, whichever comes first.
async fn open_session<S: Store>(
    api: &Api<S>,
    secret: &str,
    principal: &Principal,
) -> Result<rectiflow_store::tokens::Issued, rectiflow_engine::StoreError> {
    let now = Utc::now();
    let signed_in_with = api.tokens.find(secret).await?.and_then(|t| t.expires_at);
    let until = signed_in_with.map_or(now + chrono::Duration::seconds(SESSION_SECONDS), |at| {
        at.min(now + chrono::Duration::seconds(SESSION_SECONDS))
    });
    api.tokens
        .issue_until(
            Some(principal.person.clone()),
            principal.acting.clone(),
            Some(access::session_label(&principal.token_id)),
            now,
            Some(until),
        )
        .await
}

/// Whether two byte strings are equal, taking as long whatever their first difference.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// The session's token, from the request's cookies.
fn session_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

/// The token a session's logout form carries: derived from its secret, so a page of another
/// site cannot know it, and the same on every page of the session.
fn csrf_token(secret: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"rectiflow dashboard logout\n")
        .chain_update(secret.as_bytes())
        .finalize();
    hex::encode(&digest[..16])
}

/// Refuses a `POST` sent from another site's page (its `Origin` names another host). A
/// request without `Origin` (a command-line client) is let through: it carries no cookie of
/// a browser's.
fn same_origin(headers: &HeaderMap) -> Result<(), Problem> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    if origin_host.is_some() && origin_host == host {
        return Ok(());
    }
    Err(Problem::forbidden(
        "auth.cross_site",
        "此请求来自其他网站的页面，已拒绝",
    ))
}

/// Bytes a cookie value may hold unquoted (RFC 6265 `cookie-octet`).
fn cookie_safe(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

fn with_cookie(redirect: Redirect, cookie: &Cookie<'_>) -> Response {
    let mut response = redirect.into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        form.login method="post" action="/login" {
            p { "请用领导小组或专班办公室的 API 令牌登录（令牌由管理员以 " code { "rectiflow token" } " 签发）。" }
            label for="token" { "令牌" }
            input #token type="password" name="token" autocomplete="off" required;
            @if let Some(error) = error {
                p.error role="alert" { (error) }
            }
            button type="submit" { "登录" }
        }
    };
    (status, page::page("登录", "", None, body)).into_response()
}
