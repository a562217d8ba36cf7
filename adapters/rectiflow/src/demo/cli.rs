//! The demo on the command line: `rectiflow demo` writes it and says what was published;
//! `rectiflow serve --demo` loads it (writing it first into an empty store) and serves it in
//! rehearsal mode, from where its clock stands.

use chrono::Utc;
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::values::{PersonId, TaskForceId};
use rectiflow_store::{with_store, Store, TokenBook};

use super::plan::Scale;
use crate::{Application, Config, Serving};

/// `rectiflow demo`: writes the demo of `seed` at `items` listed items into the configured
/// (rehearsal) store and prints its summary, as JSON if asked.
pub async fn write(config: &Config, seed: u64, items: usize, json: bool) -> anyhow::Result<()> {
    let app = Application::build(config.clone()).await?;
    let scale = Scale::with_items(items);
    let summary =
        with_store!(app.store().clone(), store => super::write(&store, config, seed, scale).await)?;
    if json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        print!("{}", super::report(&summary));
    }
    Ok(())
}

/// `rectiflow serve --demo`: `app` with the demo loaded into its store (written first if the
/// store is empty), served as the rehearsal it is — its clock where the demo, or the last
/// move of the clock, left it.
pub async fn load(app: Application, config: &Config, seed: u64) -> anyhow::Result<Application> {
    let store = app.store().clone();
    let loaded = with_store!(store.clone(), store => super::load(&store, config, seed).await)?;
    print!("{}", super::report(&loaded));
    let base = format!("http://{}", config.listen);
    let tokens = with_store!(store, store => tokens(&store, &base).await)?;
    print!("{tokens}");
    Ok(app.serving(Serving::Rehearsal { clock_start: None }))
}

/// How long a demo token acts: the demo issues new ones at each start.
const DEMO_TOKEN_DAYS: i64 = 7;

/// Tokens for the demo's leading group, a secretariat, discipline inspection and the admin,
/// issued afresh at each start (a secret is shown once, each acts for a week), and how to use
/// one at `base`, where the service will listen.
async fn tokens<S: Store>(store: &S, base: &str) -> anyhow::Result<String> {
    let book = TokenBook::new(store.clone());
    let yibao = Acting::Secretariat {
        task_forces: [TaskForceId::parse("yibao")?].into(),
    };
    let mut lines =
        String::from("API tokens for this run (shown once; `rectiflow token` makes more):\n");
    let mut leader = String::new();
    for (who, acting, role) in [
        (
            super::cast::LEADER,
            Acting::Leadership,
            "leadership 领导小组",
        ),
        ("sec-li", yibao, "secretariat of yibao 医保专班"),
        (
            super::cast::INSPECTOR,
            Acting::DisciplineInspection,
            "discipline inspection 纪检监察",
        ),
        (super::cast::ADMIN, Acting::Admin, "admin"),
    ] {
        let label = Some("serve --demo".to_owned());
        let now = Utc::now();
        let expires = now + chrono::Duration::days(DEMO_TOKEN_DAYS);
        let issued = book
            .issue_until(
                Some(PersonId::parse(who)?),
                acting,
                label,
                now,
                Some(expires),
            )
            .await?;
        if leader.is_empty() {
            leader.clone_from(&issued.secret);
        }
        lines.push_str(&format!("  {role} ({who}): {}\n", issued.secret));
    }
    lines.push_str(&format!(
        "the dashboard: {base}/ (sign in with the leadership token)\n\
         try: curl -H 'Authorization: Bearer {leader}' {base}/api/v1/ledger?limit=5\n\
         the API's page: {base}/api/v1/docs/\n"
    ));
    Ok(lines)
}
