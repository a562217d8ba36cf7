//! The caller of a request: the bearer token resolved to a [`Principal`] against the
//! organisation at its latest version, and held to the token's rate.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rectiflow_store::Store;

use super::problem::Problem;
use super::Api;
use crate::access::{self, Denied, Principal};

/// How many keys the limiter holds before it forgets those whose allowance is full again.
const FORGET_ABOVE: usize = 10_000;

/// Each token's allowance: a rate and a burst, per token id (not per secret, so a token's
/// history of use survives nothing but the process).
pub struct RateLimits {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl RateLimits {
    pub fn new(per_second: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
        }
    }

    /// `Ok` when `key` (a token id, a client address) may make one more request now; else
    /// 429 with `Retry-After`.
    pub fn admit(&self, key: &str, whose: &str) -> Result<(), Problem> {
        // Keys seen once and long full again are forgotten, so addresses cannot grow the map
        // without end.
        if self.limiter.len() > FORGET_ABOVE {
            self.limiter.retain_recent();
        }
        let Err(not_until) = self.limiter.check_key(&key.to_owned()) else {
            return Ok(());
        };
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let seconds = seconds.max(1);
        Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "auth.rate_limited",
            "请求过于频繁",
            format!("{whose}的请求次数已用完，请 {seconds} 秒后重试"),
        )
        .header(header::RETRY_AFTER, HeaderValue::from(seconds)))
    }
}

/// The authenticated sender of a request.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

impl<S: Store> FromRequestParts<Arc<Api<S>>> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        api: &Arc<Api<S>>,
    ) -> Result<Self, Self::Rejection> {
        let secret = bearer(&parts.headers).ok_or(Denied::Unauthenticated)?;
        let principal = access::authenticate(
            &api.tokens,
            &api.services.directory,
            secret,
            chrono::Utc::now(),
        )
        .await?;
        if principal.session_of.is_some() {
            return Err(Problem::forbidden(
                "auth.session_token",
                "这是驾驶舱的登录会话，只能用于查看驾驶舱；调用 API 请使用 API 令牌",
            ));
        }
        api.rates.admit(&principal.token_id, "本令牌")?;
        Ok(Caller(principal))
    }
}

/// The secret of the request's bearer token (`Authorization: Bearer …`), if it names one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, secret) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim())
        })
}

/// Holds each client address to its rate before anything else is done for the request —
/// before a token is looked up, so neither the public read model nor a flood of guessed
/// tokens costs the store more than the rate allows. The address is the peer's (the service
/// is meant to sit behind the county's own gateway, whose address it then is; `X-Forwarded-For`
/// is not trusted, since any client can send it). A request whose peer is unknown (served
/// without connection info) shares one key.
pub async fn per_address<S: Store>(
    State(api): State<Arc<Api<S>>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let key = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "address:unknown".to_owned(),
            |ConnectInfo(peer)| address_key(peer.ip()),
        );
    if let Err(problem) = api.address_rates.admit(&key, "本地址") {
        return problem.into_response();
    }
    next.run(request).await
}

/// The key an address is limited under: an IPv4 address, or an IPv6 address's /64 (one
/// host's share of a network, which it may rotate through at will).
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("address:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("address:{v4}"),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("address:{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
    }
}
