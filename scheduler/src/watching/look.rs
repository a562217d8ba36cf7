//! One look of the deadline watcher: every due fact sent once to its stream.

use std::collections::HashSet;

use rectiflow_domain::alert::{Alert, AlertCommand};
use rectiflow_domain::complaint::{Complaint, ComplaintCommand};
use rectiflow_domain::item::{Item, ItemCommand};
use rectiflow_domain::values::PersonId;
use rectiflow_domain::{Command, DomainError};
use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, ExecuteError, Outcome, StoreError,
};

use tracing::Instrument as _;

use super::{Asked, DueFact, DueWork, WatchList, Watcher, ACTOR};

/// What one look did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watched {
    /// Facts recorded, by stream and fact.
    pub recorded: Vec<(String, DueFact)>,
    /// Facts the streams refused (already recorded by another process, a stopped clock, …),
    /// with the refusal's code.
    pub refused: Vec<(String, DueFact, String)>,
    /// Streams whose command could not be carried out now (a port or the store failed): tried
    /// again at the next look.
    pub failures: Vec<String>,
    /// Rows read.
    pub rows: usize,
}

impl<S, D> Watcher<S, D>
where
    S: EventStore + Clone,
    D: DueWork,
{
    /// Sends every fact due by now. Only a failure to read a watch list is an error.
    pub async fn look(&self, stop: &CancellationToken) -> Result<Watched, StoreError> {
        let now = self.exec.clock().now();
        let actor = PersonId::parse(ACTOR).map_err(|e| StoreError::ReadModel(e.to_string()))?;
        let context = CommandContext::new(actor);
        let mut watched = Watched::default();
        let mut seen = HashSet::new();
        for list in WatchList::ALL {
            let mut after = None;
            loop {
                let page = self.due.due(list, now, after.take(), self.page).await?;
                let full = page.len() == self.page as usize;
                for row in &page {
                    if stop.is_cancelled() {
                        return Ok(watched);
                    }
                    watched.rows += 1;
                    for &fact in &row.facts {
                        let key: Asked = (list, row.stream_id.clone(), row.position, fact);
                        seen.insert(key.clone());
                        if self.was_asked(&key) {
                            continue;
                        }
                        // Each fact begins a trace: what it sets moving (a policy's
                        // admonishment, a webhook) traces back to the deadline that passed.
                        let span = tracing::error_span!(
                            "due",
                            stream = %row.stream_id,
                            trace_id = tracing::field::Empty,
                        );
                        let mut context = context.clone();
                        context.trace = Some(rectiflow_engine::trace::begin(&span, None));
                        let sent = self
                            .send(&context, &row.stream_id, fact)
                            .instrument(span)
                            .await;
                        match sent {
                            Ok(()) => {
                                self.remember(key);
                                watched.recorded.push((row.stream_id.clone(), fact));
                            }
                            Err(Sent::Refused(code)) => {
                                self.remember(key);
                                watched.refused.push((row.stream_id.clone(), fact, code));
                            }
                            Err(Sent::Failed(reason)) => {
                                watched
                                    .failures
                                    .push(format!("{}: {reason}", row.stream_id));
                                // The stream's later facts wait for the earlier one.
                                break;
                            }
                        }
                    }
                }
                match page.last() {
                    Some(last) if full => after = Some((last.next_due_at, last.stream_id.clone())),
                    _ => break,
                }
            }
        }
        // What was asked is remembered only while its row stands as it was.
        if let Ok(mut asked) = self.asked.lock() {
            asked.retain(|key| seen.contains(key));
        }
        Ok(watched)
    }

    fn was_asked(&self, key: &Asked) -> bool {
        self.asked
            .lock()
            .map(|asked| asked.contains(key))
            .unwrap_or(false)
    }

    fn remember(&self, key: Asked) {
        if let Ok(mut asked) = self.asked.lock() {
            asked.insert(key);
        }
    }

    /// Sends `fact`'s command to `stream_id`.
    async fn send(
        &self,
        context: &CommandContext,
        stream_id: &str,
        fact: DueFact,
    ) -> Result<(), Sent> {
        match fact {
            DueFact::AcknowledgementOverdue => {
                self.to::<Item, _>(
                    context,
                    stream_id,
                    ItemCommand::RecordAcknowledgementOverdue,
                )
                .await
            }
            DueFact::DeadlineWarning => {
                self.to::<Item, _>(context, stream_id, ItemCommand::RecordDeadlineWarning)
                    .await
            }
            DueFact::Overdue => {
                self.to::<Item, _>(context, stream_id, ItemCommand::RecordOverdue)
                    .await
            }
            DueFact::ReinspectionDue => {
                self.to::<Item, _>(context, stream_id, ItemCommand::RecordReinspectionDue)
                    .await
            }
            DueFact::ResponseMissed => {
                self.to::<Complaint, _>(context, stream_id, ComplaintCommand::RecordResponseMissed)
                    .await
            }
            DueFact::TriageMissed => {
                self.to::<Alert, _>(context, stream_id, AlertCommand::RecordTriageMissed)
                    .await
            }
        }
    }

    async fn to<A, C>(&self, context: &CommandContext, stream_id: &str, body: C) -> Result<(), Sent>
    where
        A: cqrs_es::Aggregate<
                Command = Command<C>,
                Services = rectiflow_domain::services::DomainServices,
            > + rectiflow_domain::FoldVersion
            + rectiflow_domain::event::Scoped,
        A::Error: DomainError,
        C: serde::Serialize + Clone + rectiflow_domain::Addressed,
    {
        let sent: Result<Outcome<A::Event>, _> = self
            .exec
            .execute::<A, C>(context, stream_id, None, body, &self.services)
            .await;
        match sent {
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
