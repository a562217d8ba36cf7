//! The demo on the command line: `rectiflow demo` writes it and says what was published;
//! `rectiflow serve --demo` loads it (writing it first into an empty store) and serves it with
//! the clock parked at its end.

use std::sync::Arc;

use rectiflow_domain::clock::ManualClock;
use rectiflow_store::with_store;

use super::plan::Scale;
use crate::{Application, Config};

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
/// store is empty) and its clock parked at the demo's end.
pub async fn load(app: Application, config: &Config, seed: u64) -> anyhow::Result<Application> {
    let store = app.store().clone();
    let loaded = with_store!(store, store => super::load(&store, config, seed).await)?;
    print!("{}", super::report(&loaded));
    Ok(app.with_clock(Arc::new(ManualClock::starting_at(super::ends_at()))))
}
