//! `rectiflow token …`: issue, revoke and list API tokens.
//!
//! `token create` prints the secret alone on the last line of standard output — the only time
//! it is ever shown — so a script takes `| tail -n1`.

use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::{SecondsFormat, Utc};
use clap::{Subcommand, ValueEnum};
use rectiflow_domain::directory::Directory;
use rectiflow_domain::organisation::{Acting, IntegratorKind, SystemActor};
use rectiflow_domain::values::{PersonId, TaskForceId, UnitId};
use rectiflow_engine::directory::StoreDirectory;
use rectiflow_engine::Executor;
use rectiflow_store::{with_store, AnyStore, Store, TokenBook};

use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token acting for one person in one of their roles; prints the secret alone on
    /// the last line (shown once, never again).
    Create {
        #[arg(long, value_enum)]
        role: RoleName,
        /// The task force(s) of a secretariat token (repeat for several).
        #[arg(long = "task-force")]
        task_forces: Vec<String>,
        /// The unit of a unit token.
        #[arg(long)]
        unit: Option<String>,
        /// The kind of an integrator token.
        #[arg(long, value_enum)]
        kind: Option<KindName>,
        /// The person the token acts for, who must hold the role now. Omitted only for the
        /// bootstrap admin token.
        #[arg(long)]
        person: Option<String>,
        /// A note saying what the token is for.
        #[arg(long)]
        label: Option<String>,
        /// How many days the token acts for, from now (1 to 3650); it is refused as expired
        /// after that, and a new one is issued.
        #[arg(long, default_value_t = DEFAULT_VALID_DAYS,
              value_parser = clap::value_parser!(u32).range(1..=3650))]
        valid_days: u32,
    },
    /// Revoke a token by its id: requests with it are refused from now on.
    Revoke { id: String },
    /// List every token (never a secret): id, person, role, label, issued, revoked, expiry.
    List {
        #[arg(long)]
        json: bool,
    },
}

/// How long a token acts unless `--valid-days` says otherwise.
pub const DEFAULT_VALID_DAYS: u32 = 180;

/// The roles a token may act in (DOMAIN.md, "Roles and permissions").
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum RoleName {
    Admin,
    Secretariat,
    Unit,
    Leadership,
    DisciplineInspection,
    CivilAffairs,
    Integrator,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum KindName {
    MedicalInsurancePlatform,
    MealApp,
    TradingPlatform,
    Notifier,
}

impl From<KindName> for IntegratorKind {
    fn from(kind: KindName) -> Self {
        match kind {
            KindName::MedicalInsurancePlatform => Self::MedicalInsurancePlatform,
            KindName::MealApp => Self::MealApp,
            KindName::TradingPlatform => Self::TradingPlatform,
            KindName::Notifier => Self::Notifier,
        }
    }
}

/// The role the flags name, each flag checked against it.
pub fn acting(
    role: RoleName,
    task_forces: &[String],
    unit: Option<&str>,
    kind: Option<KindName>,
) -> anyhow::Result<Acting> {
    if !task_forces.is_empty() && !matches!(role, RoleName::Secretariat) {
        bail!("--task-force is for a secretariat token only");
    }
    if unit.is_some() && !matches!(role, RoleName::Unit) {
        bail!("--unit is for a unit token only");
    }
    if kind.is_some() && !matches!(role, RoleName::Integrator) {
        bail!("--kind is for an integrator token only");
    }
    Ok(match role {
        RoleName::Admin => Acting::Admin,
        RoleName::Leadership => Acting::Leadership,
        RoleName::DisciplineInspection => Acting::DisciplineInspection,
        RoleName::CivilAffairs => Acting::CivilAffairs,
        RoleName::Secretariat => {
            if task_forces.is_empty() {
                bail!("a secretariat token needs --task-force (one or more)");
            }
            let task_forces = task_forces
                .iter()
                .map(|t| TaskForceId::parse(t.as_str()))
                .collect::<Result<_, _>>()
                .context("--task-force")?;
            Acting::Secretariat { task_forces }
        }
        RoleName::Unit => {
            let unit = unit.context("a unit token needs --unit")?;
            Acting::Unit {
                unit: UnitId::parse(unit).context("--unit")?,
            }
        }
        RoleName::Integrator => Acting::Integrator {
            kind: kind.context("an integrator token needs --kind")?.into(),
        },
    })
}

pub async fn run(config: &Config, command: TokenCommand) -> anyhow::Result<()> {
    let store = AnyStore::open_with_key(&config.database_url, config.fingerprint_key()?).await?;
    with_store!(store, store => run_on(&store, command).await)
}

async fn run_on<S: Store>(store: &S, command: TokenCommand) -> anyhow::Result<()> {
    let book = TokenBook::new(store.clone());
    match command {
        TokenCommand::Create {
            role,
            task_forces,
            unit,
            kind,
            person,
            label,
            valid_days,
        } => {
            if label
                .as_deref()
                .is_some_and(|l| l.starts_with(super::DASHBOARD_SESSION.trim_end()))
            {
                anyhow::bail!(
                    "--label: {:?} is how dashboard sessions are labelled; choose another",
                    super::DASHBOARD_SESSION.trim_end()
                );
            }
            let acting = acting(role, &task_forces, unit.as_deref(), kind)?;
            let person = person
                .map(|p| PersonId::parse(p).context("--person"))
                .transpose()?;
            check_holder(store, person.as_ref(), &acting).await?;
            let now = Utc::now();
            let expires = now + chrono::Duration::days(i64::from(valid_days));
            let issued = book
                .issue_until(person, acting, label, now, Some(expires))
                .await?;
            let token = &issued.token;
            let person = token
                .person
                .as_ref()
                .map_or(super::BOOTSTRAP_ADMIN, |p| p.as_str());
            println!("id: {}", token.id);
            println!("acts for: {person} as {}", token.acting);
            println!(
                "expires: {}",
                expires.to_rfc3339_opts(SecondsFormat::Secs, true)
            );
            println!("{}", issued.secret);
        }
        TokenCommand::Revoke { id } => {
            if !book.revoke(&id, Utc::now()).await? {
                bail!("no live token {id:?} (unknown, or revoked already)");
            }
            println!("revoked {id}");
        }
        TokenCommand::List { json } => {
            let tokens = book.list().await?;
            let now = Utc::now();
            let rows: Vec<serde_json::Value> = tokens
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "id": t.id,
                        "person": t.person.as_ref().map(|p| p.as_str()),
                        "acting": t.acting,
                        "label": t.label,
                        "created_at": t.created_at,
                        "revoked_at": t.revoked_at,
                        "expires_at": t.expires_at,
                    })
                })
                .collect();
            if json {
                println!("{}", serde_json::to_string(&rows)?);
            } else {
                for t in &tokens {
                    let person = t
                        .person
                        .as_ref()
                        .map_or(super::BOOTSTRAP_ADMIN, |p| p.as_str());
                    let state = match (t.revoked_at, t.expires_at) {
                        (Some(at), _) => format!("revoked {}", at.to_rfc3339()),
                        (None, Some(at)) if t.expired_at(now) => {
                            format!("expired {}", at.to_rfc3339())
                        }
                        (None, Some(at)) => format!("live until {}", at.to_rfc3339()),
                        (None, None) => "live".to_owned(),
                    };
                    let label = t.label.as_deref().unwrap_or("");
                    println!("{}\t{person}\t{}\t{state}\t{label}", t.id, t.acting);
                }
            }
        }
    }
    Ok(())
}

/// A token is issued only for a person who holds its role now, and a person-less one only as
/// the bootstrap admin; system actors never get one.
async fn check_holder<S: Store>(
    store: &S,
    person: Option<&PersonId>,
    acting: &Acting,
) -> anyhow::Result<()> {
    let Some(person) = person else {
        if *acting != Acting::Admin {
            bail!("--person is required for every token but the bootstrap admin's");
        }
        return Ok(());
    };
    if SystemActor::of(person).is_some() {
        bail!("{person} is a system actor: tokens act for persons");
    }
    let directory: Arc<dyn Directory> = Arc::new(StoreDirectory::new(Executor::new(
        store.clone(),
        Arc::new(crate::clock::SystemClock),
    )));
    let organisation = directory.organisation().await?;
    if !organisation.is_bootstrapped() {
        bail!("the organisation is not bootstrapped yet: issue the bootstrap admin token (--role admin, no --person) and bootstrap it through the API");
    }
    if organisation.person(person).is_none() && *acting != Acting::Admin {
        bail!("{person} is not a person of the organisation");
    }
    if !acting.is_held_by(&organisation, person) {
        bail!("{person} does not act as {acting} in the organisation now");
    }
    Ok(())
}
