//! Who is asking: an API token resolved to the person it acts for and the role they act in,
//! checked against the organisation at its latest version on every request (DOMAIN.md,
//! "Roles and permissions") — a role revoked a moment ago, or a person who moved to another
//! unit, no longer acts, on every node.
//!
//! The bootstrap admin token acts for no person of the organisation: it acts as
//! [`BOOTSTRAP_ADMIN`], which may bootstrap the organisation (naming itself or another as its
//! first admin) and acts while the organisation grants it the admin role.

pub mod cli;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rectiflow_domain::directory::Directory;
use rectiflow_domain::organisation::{Acting, Organisation, Role};
use rectiflow_domain::values::PersonId;
use rectiflow_domain::PortUnavailable;
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::StoreError;
use rectiflow_store::tokens::Token;
use rectiflow_store::TokenBook;

/// The actor id of the person-less bootstrap admin token.
pub const BOOTSTRAP_ADMIN: &str = "bootstrap-admin";

/// What a dashboard session's token is labelled with, before the id of the API token it was
/// opened with (`dashboard session of <id>`): issued at sign-in, acting for the same person in
/// the same role, for hours, revoked at logout or with that token — and good for the
/// dashboard's pages only, never the API (so a cookie that leaks cannot write). No other token
/// may carry such a label (`rectiflow token create` refuses it).
pub const DASHBOARD_SESSION: &str = "dashboard session of ";

/// The label of the session opened with the token `parent`.
pub fn session_label(parent: &str) -> String {
    format!("{DASHBOARD_SESSION}{parent}")
}

/// An authenticated sender: one person acting in one role, through one token.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub token_id: String,
    pub person: PersonId,
    pub acting: Acting,
    /// The organisation at its latest version as this request found it: the one its role
    /// was checked against, and the one its command is decided with — read once per request.
    pub organisation: Arc<Organisation>,
    /// The token is a dashboard session's ([`DASHBOARD_SESSION`]): the id of the API token
    /// it was opened with.
    pub session_of: Option<String>,
}

impl Principal {
    /// Whether this reader drills into the items behind the figures of `task_force` (`None`:
    /// the county's) — a publication's or the figures so far. The items behind a figure are
    /// the campaign's work: a secretariat drills into its own task forces' figures only (a
    /// county-wide one names every task force's items); every other reader of figures, into
    /// all.
    pub fn drills_into(&self, task_force: Option<&str>) -> bool {
        match &self.acting {
            Acting::Secretariat { task_forces } => {
                task_force.is_some_and(|asked| task_forces.iter().any(|t| t.as_str() == asked))
            }
            _ => true,
        }
    }
}

/// Why a request is not let in.
#[derive(Debug, thiserror::Error)]
pub enum Denied {
    /// No token, an unknown one, or a revoked one: one answer for all, so a guesser learns
    /// nothing.
    #[error("没有有效的令牌")]
    Unauthenticated,
    /// A live token past its expiry (on the wall clock: a rehearsal's simulated time never
    /// stretches a token's life). Its presenter holds the secret, so saying so reveals nothing.
    #[error("令牌已于 {at} 过期")]
    Expired { at: DateTime<Utc> },
    /// A live token whose person no longer holds its role.
    #[error("{person} 已不再担任{acting}，该令牌不再有效")]
    RoleNoLongerHeld { person: PersonId, acting: Acting },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unavailable(#[from] PortUnavailable),
}

/// The bootstrap admin's actor id, as a person id.
pub fn bootstrap_admin() -> PersonId {
    // A constant that is a valid id: parsing it cannot fail.
    PersonId::parse(BOOTSTRAP_ADMIN).unwrap_or_else(|_| unreachable!("a valid id"))
}

/// Resolves `secret` to its principal at `now` (the wall clock), checked against the
/// organisation now.
pub async fn authenticate<S: ReadModelStore>(
    tokens: &TokenBook<S>,
    directory: &Arc<dyn Directory>,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Principal, Denied> {
    let token = tokens.find(secret).await?.ok_or(Denied::Unauthenticated)?;
    if let Some(at) = token.expires_at.filter(|_| token.expired_at(now)) {
        return Err(Denied::Expired { at });
    }
    let organisation = directory.organisation().await?;
    principal(token, organisation)
}

/// The principal of the token with id `id` at `now` (the wall clock): what a webhook
/// subscription acts as, long after the request that made it. A revoked or unknown token lets
/// no one in.
pub async fn authenticate_id<S: ReadModelStore>(
    tokens: &TokenBook<S>,
    directory: &Arc<dyn Directory>,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Principal, Denied> {
    let token = tokens
        .get(id)
        .await?
        .filter(|t| t.revoked_at.is_none())
        .ok_or(Denied::Unauthenticated)?;
    if let Some(at) = token.expires_at.filter(|_| token.expired_at(now)) {
        return Err(Denied::Expired { at });
    }
    let organisation = directory.organisation().await?;
    principal(token, organisation)
}

/// `token`'s principal when the organisation still lets it act.
pub fn principal(token: Token, organisation: Arc<Organisation>) -> Result<Principal, Denied> {
    let held = match &token.person {
        Some(person) => token.acting.is_held_by(&organisation, person),
        // The bootstrap token: before the organisation exists, or while it is an admin.
        None => {
            token.acting == Acting::Admin
                && (!organisation.is_bootstrapped()
                    || organisation.has_role(&bootstrap_admin(), &Role::Admin))
        }
    };
    let session_of = token
        .label
        .as_deref()
        .and_then(|label| label.strip_prefix(DASHBOARD_SESSION))
        .map(str::to_owned);
    let person = token.person.unwrap_or_else(bootstrap_admin);
    if !held {
        return Err(Denied::RoleNoLongerHeld {
            person,
            acting: token.acting,
        });
    }
    Ok(Principal {
        token_id: token.id,
        person,
        acting: token.acting,
        organisation,
        session_of,
    })
}
