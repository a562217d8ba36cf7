//! One look of the deadline watcher: every due fact sent once to its item.

use std::collections::HashSet;

use rectiflow_domain::item::{Item, ItemCommand};
use rectiflow_domain::values::PersonId;
use rectiflow_engine::{CancellationToken, CommandContext, EventStore, ExecuteError, StoreError};

use super::{DueFact, DueItems, Watcher, ACTOR};

/// What one look did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watched {
    /// Facts recorded, by item and fact.
    pub recorded: Vec<(String, DueFact)>,
    /// Facts the items refused (already recorded by another process, a stopped clock, …), by
    /// their refusal's code.
    pub refused: Vec<(String, DueFact, String)>,
    /// Items whose command could not be carried out now (a port or the store failed): tried
    /// again at the next look.
    pub failures: Vec<String>,
    /// Rows read.
    pub rows: usize,
}

impl<S, D> Watcher<S, D>
where
    S: EventStore + Clone,
    D: DueItems,
{
    /// Sends every fact due by now. Only a failure to read the due items is an error.
    pub async fn look(&self, stop: &CancellationToken) -> Result<Watched, StoreError> {
        let now = self.exec.clock().now();
        let actor = PersonId::parse(ACTOR).map_err(|e| StoreError::ReadModel(e.to_string()))?;
        let context = CommandContext::new(actor);
        let mut watched = Watched::default();
        let mut seen = HashSet::new();
        let mut after = None;
        loop {
            let page = self.due.due(now, after.take(), self.page).await?;
            let full = page.len() == self.page as usize;
            for row in &page {
                if stop.is_cancelled() {
                    return Ok(watched);
                }
                watched.rows += 1;
                for &fact in &row.facts {
                    let key = (row.item.clone(), row.position, fact);
                    seen.insert(key.clone());
                    if self.was_asked(&key) {
                        continue;
                    }
                    match self.send(&context, &row.item, fact).await {
                        Ok(()) => {
                            self.remember(key);
                            watched.recorded.push((row.item.clone(), fact));
                        }
                        Err(Sent::Refused(code)) => {
                            self.remember(key);
                            watched.refused.push((row.item.clone(), fact, code));
                        }
                        Err(Sent::Failed(reason)) => {
                            watched.failures.push(format!("{}: {reason}", row.item));
                            // The item's later facts wait for the earlier one.
                            break;
                        }
                    }
                }
            }
            match page.last() {
                Some(last) if full => after = Some((last.next_due_at, last.item.clone())),
                _ => break,
            }
        }
        // What was asked is remembered only while its row stands as it was.
        if let Ok(mut asked) = self.asked.lock() {
            asked.retain(|key| seen.contains(key));
        }
        Ok(watched)
    }

    fn was_asked(&self, key: &(String, i64, DueFact)) -> bool {
        self.asked
            .lock()
            .map(|asked| asked.contains(key))
            .unwrap_or(false)
    }

    fn remember(&self, key: (String, i64, DueFact)) {
        if let Ok(mut asked) = self.asked.lock() {
            asked.insert(key);
        }
    }

    async fn send(&self, context: &CommandContext, item: &str, fact: DueFact) -> Result<(), Sent> {
        let body = match fact {
            DueFact::AcknowledgementOverdue => ItemCommand::RecordAcknowledgementOverdue,
            DueFact::DeadlineWarning => ItemCommand::RecordDeadlineWarning,
            DueFact::Overdue => ItemCommand::RecordOverdue,
        };
        match self
            .exec
            .execute::<Item, _>(context, item, None, body, &self.services)
            .await
        {
            Ok(_) => Ok(()),
            Err(ExecuteError::Refused(error)) => Err(Sent::Refused(error.code().to_owned())),
            Err(error) if error.is_sender_fault() => Err(Sent::Refused(error.to_string())),
            Err(error) => Err(Sent::Failed(error.to_string())),
        }
    }
}

/// Why a fact was not recorded.
enum Sent {
    Refused(String),
    Failed(String),
}
