//! 查阅记录 — reads of case files and accountability records, recorded as facts.
//!
//! A case file names the persons its findings accuse and an accountability record the person
//! held to account: who read them, when, and which version, is part of the record (issue #12:
//! "reads of case files and accountability records are recorded too"). Each subject has a
//! stream of its own (`reading`, id `case~<case id>` or `accountability~<id>`), so a read never
//! moves the subject's own version — a reader does not make a writer's `If-Match` stale — and
//! the reads of one file are one stream to audit.
//!
//! Who may read is the HTTP API's scope check; this aggregate records the read of whoever it
//! let through, and admits only the reader named in the command (nobody records a read under
//! another's name).

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::event::{PublicView, Scope};
use crate::failure::DomainError;
use crate::handling::Admission;
use crate::permission::Party;
use crate::services::DomainServices;
use crate::values::PersonId;
use crate::Command;

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A case file (案件), with the findings of both investigations.
    Case,
    /// An accountability record (问责).
    Accountability,
}

impl SubjectKind {
    /// Every kind of subject.
    pub const ALL: [SubjectKind; 2] = [SubjectKind::Case, SubjectKind::Accountability];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Case => "case",
            SubjectKind::Accountability => "accountability",
        }
    }

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            SubjectKind::Case => "案件",
            SubjectKind::Accountability => "问责案件",
        }
    }

    /// The name users read (中文) of the kind named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no kind is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .map_or(name, Self::label)
    }
}

/// Which part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadPart {
    /// Its state, as it stands.
    State,
    /// Its history: every event.
    History,
}

/// The stream the reads of `kind` `id` are recorded on.
pub fn reading_id(kind: SubjectKind, id: &str) -> String {
    format!("{}~{id}", kind.as_str())
}

/// The body of a reading command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReadingCommand {
    /// Records that `reader` read `part` of the subject at `version`.
    Record {
        kind: SubjectKind,
        subject: String,
        part: ReadPart,
        version: u64,
        reader: PersonId,
        /// The subject's scope (campaign, task force, field, units), so the record is
        /// filtered as the subject is.
        scope: Scope,
    },
}

/// The stream is [`reading_id`] of the subject, which the sender computes; a second subject
/// sent to a stream already holding reads of another is refused by `decide`.
impl crate::Addressed for ReadingCommand {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ReadingEvent {
    /// 查阅: `by` read `part` of the subject at `version`.
    Read {
        kind: SubjectKind,
        subject: String,
        part: ReadPart,
        version: u64,
        scope: Scope,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(ReadingEvent {
    Read => "rectiflow.reading.read",
});

crate::event::attributed!(ReadingEvent { Read });

/// A read record names the reader and what was read, never what the file says.
impl PublicView for ReadingEvent {}

/// Why a read was not recorded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadingError {
    #[error(
        "对{} {subject} 的查阅应记入查阅记录 {expected}，不能记入本记录",
        SubjectKind::label_of(kind)
    )]
    WrongStream {
        kind: &'static str,
        subject: String,
        expected: String,
    },
    #[error("查阅的版本为 0：{subject} 尚无内容可查阅")]
    NothingToRead { subject: String },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl DomainError for ReadingError {
    fn code(&self) -> &'static str {
        match self {
            ReadingError::WrongStream { .. } => "reading.wrong_stream",
            ReadingError::NothingToRead { .. } => "reading.nothing_to_read",
            ReadingError::Forbidden(_) => "reading.forbidden",
            ReadingError::Unavailable(_) => "reading.unavailable",
        }
    }

    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }
}

impl From<crate::permission::Refused> for ReadingError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}

/// The reads of one subject.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Readings {
    /// `case~<id>` or `accountability~<id>`, once read.
    pub stream: Option<String>,
    pub scope: Scope,
    pub reads: u64,
    pub last_read_by: Option<PersonId>,
    pub last_read_at: Option<DateTime<Utc>>,
}

impl Readings {
    pub fn decide(
        &self,
        command: Command<ReadingCommand>,
        _services: &DomainServices,
    ) -> Result<Vec<ReadingEvent>, ReadingError> {
        let Command { stamp, body } = command;
        let ReadingCommand::Record {
            kind,
            subject,
            part,
            version,
            reader: _,
            scope,
        } = body;
        let expected = reading_id(kind, &subject);
        if self.stream.as_ref().is_some_and(|s| *s != expected) {
            return Err(ReadingError::WrongStream {
                kind: kind.as_str(),
                subject,
                expected,
            });
        }
        if version == 0 {
            return Err(ReadingError::NothingToRead { subject });
        }
        Ok(vec![ReadingEvent::Read {
            kind,
            subject,
            part,
            version,
            scope,
            by: stamp.actor,
            at: stamp.at,
        }])
    }
}

impl Admission for Readings {
    type Body = ReadingCommand;
    type Error = ReadingError;

    fn request(_body: &ReadingCommand) -> &'static str {
        "record"
    }

    fn request_label(_body: &ReadingCommand) -> &'static str {
        "登记查阅记录"
    }

    /// The reader named, and only them.
    fn party_for(&self, body: &ReadingCommand, _services: &DomainServices) -> Option<Party> {
        let ReadingCommand::Record { reader, .. } = body;
        Some(Party::Person {
            person: reader.clone(),
        })
    }
}

impl crate::FoldVersion for Readings {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Readings {
    const TYPE: &'static str = "reading";
    type Command = Command<ReadingCommand>;
    type Event = ReadingEvent;
    type Error = ReadingError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(self, command, services, sink, Self::decide).await
    }

    fn apply(&mut self, event: Self::Event) {
        let ReadingEvent::Read {
            kind,
            subject,
            scope,
            by,
            at,
            ..
        } = event;
        self.stream = Some(reading_id(kind, &subject));
        self.scope = scope;
        self.reads = self.reads.saturating_add(1);
        self.last_read_by = Some(by);
        self.last_read_at = Some(at);
    }
}

impl crate::event::Scoped for Readings {
    fn scope(&self) -> Scope {
        self.scope.clone()
    }
}
