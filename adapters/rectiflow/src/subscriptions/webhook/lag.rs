//! `rectiflow_webhook_lag{subscription}` — how far each subscription is behind the log's head
//! — read from the database when `/metrics` is scraped, as the consumers' lags are: every
//! process reports the same whichever one delivers, a paused subscription's lag keeps growing
//! where an operator sees it, and a removed one stops being reported as behind.

use std::collections::HashSet;
use std::sync::Mutex;

use rectiflow_engine::StoreError;
use rectiflow_store::{Store, WebhookBook};

/// Records each subscription's lag behind `head`. A subscription reported before and removed
/// since is set to 0: the recorder cannot forget a series, and 0 is what "owes nothing" reads.
pub async fn record<S: Store>(store: &S, head: u64) -> Result<(), StoreError> {
    static REPORTED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let subscriptions = WebhookBook::new(store.clone()).list(None).await?;
    let live: HashSet<&str> = subscriptions.iter().map(|s| s.id.as_str()).collect();
    for subscription in &subscriptions {
        metrics::gauge!("rectiflow_webhook_lag", "subscription" => subscription.id.clone())
            .set(head.saturating_sub(subscription.position) as f64);
    }
    let Ok(mut reported) = REPORTED.lock() else {
        return Ok(());
    };
    for gone in reported.iter().filter(|id| !live.contains(id.as_str())) {
        metrics::gauge!("rectiflow_webhook_lag", "subscription" => gone.clone()).set(0.0);
    }
    for id in live {
        if !reported.iter().any(|r| r == id) {
            reported.push(id.to_owned());
        }
    }
    Ok(())
}
