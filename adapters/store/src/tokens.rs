//! API tokens: the bearer secrets the HTTP API is used with, each acting for one person in one
//! role (DOMAIN.md, "Roles and permissions").
//!
//! A token is 256 random bits, shown once when issued and never again: the database keeps only
//! its SHA-256. A secret that random needs no slow password hash — nobody can guess it, so
//! there is nothing to slow down — and finding a token is one probe of a unique index on the
//! digest, not a comparison per stored token: the lookup takes the same time whichever secret
//! is presented, and a leaked table gives no usable secret. Revoking stamps the token; its row
//! stays so the audit trail can still say whose token did what. A token issued with an expiry
//! is found after it, with it: whoever checks the token tells an expired one apart (the
//! presenter holds its secret, so saying so reveals nothing).
//!
//! Written once for both backends through the store's [`ReadModelStore`] port; the table comes
//! with the store's migrations.

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::OsRng;
use chrono::{DateTime, Utc};
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::readmodel::{ReadModelStore, Row, Statement};
use rectiflow_engine::StoreError;
use sea_query::{Expr, Iden, Order, Query};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::columns::{self, instant};

/// What every secret starts with, so a token pasted where it should not be is recognisable
/// (secret scanners, log filters).
pub const SECRET_PREFIX: &str = "rft_";

#[derive(Iden)]
enum ApiTokens {
    Table,
    Id,
    SecretSha256,
    Person,
    Acting,
    Label,
    CreatedAt,
    RevokedAt,
    ExpiresAt,
}

/// A token as stored: whom it acts for and in which role. Never its secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub id: String,
    /// The person it acts for; `None` only for the bootstrap admin token, which acts as the
    /// organisation's bootstrap actor until persons exist.
    pub person: Option<PersonId>,
    pub acting: Acting,
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it stops acting (on the wall clock, also in a rehearsal); `None` for a token
    /// issued before tokens expired.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Token {
    /// Whether it has expired at `now`.
    pub fn expired_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A token just issued: its record and the secret, which exists nowhere else.
#[derive(Debug)]
pub struct Issued {
    pub token: Token,
    pub secret: String,
}

/// The store's API tokens.
#[derive(Clone)]
pub struct TokenBook<S> {
    store: S,
}

impl<S: ReadModelStore> TokenBook<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// Issues a token for `person` acting in `acting` that does not expire.
    pub async fn issue(
        &self,
        person: Option<PersonId>,
        acting: Acting,
        label: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Issued, StoreError> {
        self.issue_until(person, acting, label, now, None).await
    }

    /// Issues a token for `person` acting in `acting`, acting until `expires_at` when given.
    pub async fn issue_until(
        &self,
        person: Option<PersonId>,
        acting: Acting,
        label: Option<String>,
        now: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<Issued, StoreError> {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let secret = format!("{SECRET_PREFIX}{}", hex::encode(bytes));
        let token = Token {
            id: Uuid::now_v7().to_string(),
            person,
            acting,
            label,
            created_at: now,
            revoked_at: None,
            expires_at,
        };
        let acting = serde_json::to_string(&token.acting)?;
        let insert = Query::insert()
            .into_table(ApiTokens::Table)
            .columns([
                ApiTokens::Id,
                ApiTokens::SecretSha256,
                ApiTokens::Person,
                ApiTokens::Acting,
                ApiTokens::Label,
                ApiTokens::CreatedAt,
                ApiTokens::ExpiresAt,
            ])
            .values([
                token.id.clone().into(),
                digest(&secret).into(),
                token.person.as_ref().map(|p| p.as_str().to_owned()).into(),
                acting.into(),
                token.label.clone().into(),
                instant(now).into(),
                expires_at.map(instant).into(),
            ])
            .map_err(|e| StoreError::ReadModel(e.to_string()))?
            .to_owned();
        self.store.execute(Statement::Insert(insert)).await?;
        Ok(Issued { token, secret })
    }

    /// The token `secret` is, unless it is unknown or revoked (both `None`); an expired one is
    /// found, to be told apart ([`Token::expired_at`]).
    pub async fn find(&self, secret: &str) -> Result<Option<Token>, StoreError> {
        if !secret.starts_with(SECRET_PREFIX) {
            return Ok(None);
        }
        let select = Self::select()
            .and_where(Expr::col(ApiTokens::SecretSha256).eq(digest(secret)))
            .and_where(Expr::col(ApiTokens::RevokedAt).is_null())
            .to_owned();
        let rows = self.store.fetch(select).await?;
        rows.first().map(read).transpose()
    }

    /// Token `id`, live, revoked or expired (whoever acts on it checks which).
    pub async fn get(&self, id: &str) -> Result<Option<Token>, StoreError> {
        let select = Self::select()
            .and_where(Expr::col(ApiTokens::Id).eq(id))
            .to_owned();
        self.store
            .fetch(select)
            .await?
            .first()
            .map(read)
            .transpose()
    }

    /// Revokes token `id` at `now`; `false` when there is no such live token.
    pub async fn revoke(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let update = Query::update()
            .table(ApiTokens::Table)
            .value(ApiTokens::RevokedAt, instant(now))
            .and_where(Expr::col(ApiTokens::Id).eq(id))
            .and_where(Expr::col(ApiTokens::RevokedAt).is_null())
            .to_owned();
        Ok(self.store.execute(Statement::Update(update)).await? == 1)
    }

    /// Every token, live and revoked, oldest first.
    pub async fn list(&self) -> Result<Vec<Token>, StoreError> {
        let select = Self::select()
            .order_by(ApiTokens::Id, Order::Asc)
            .to_owned();
        self.store.fetch(select).await?.iter().map(read).collect()
    }

    fn select() -> sea_query::SelectStatement {
        Query::select()
            .columns([
                ApiTokens::Id,
                ApiTokens::Person,
                ApiTokens::Acting,
                ApiTokens::Label,
                ApiTokens::CreatedAt,
                ApiTokens::RevokedAt,
                ApiTokens::ExpiresAt,
            ])
            .from(ApiTokens::Table)
            .to_owned()
    }
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn read(row: &Row) -> Result<Token, StoreError> {
    let id = text(row, "id")?.unwrap_or_default();
    let corrupt = |what: String| StoreError::corrupt(format!("API token {id}"), what);
    let person = text(row, "person")?
        .map(PersonId::parse)
        .transpose()
        .map_err(|e| corrupt(format!("person: {e}")))?;
    let acting = text(row, "acting")?.unwrap_or_default();
    let acting = serde_json::from_str(&acting).map_err(|e| corrupt(format!("role: {e}")))?;
    let time = |name: &str| columns::time(row, "API token", name);
    Ok(Token {
        person,
        acting,
        label: text(row, "label")?,
        created_at: time("created_at")?.ok_or_else(|| corrupt("no creation time".into()))?,
        revoked_at: time("revoked_at")?,
        expires_at: time("expires_at")?,
        id,
    })
}

fn text(row: &Row, name: &str) -> Result<Option<String>, StoreError> {
    columns::text(row, "API token", name)
}
