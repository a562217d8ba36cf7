//! Who sends a command, in which conversation, and the key that makes it safe to send twice.

use rectiflow_domain::values::PersonId;
use uuid::Uuid;

use crate::model::TraceContext;

/// A client-chosen key that makes a command safe to send twice (`Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// 1 to 255 visible ASCII characters.
    pub fn parse(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        if value.is_empty() || value.len() > 255 || !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(format!(
                "idempotency key {value:?} must be 1 to 255 visible ASCII characters"
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who sends a command and in which conversation; stamped into every event's metadata.
#[derive(Debug, Clone)]
pub struct CommandContext {
    pub actor: PersonId,
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
    pub trace: Option<TraceContext>,
    pub idempotency_key: Option<IdempotencyKey>,
}

impl CommandContext {
    pub fn new(actor: PersonId) -> Self {
        Self {
            actor,
            correlation_id: None,
            causation_id: None,
            trace: None,
            idempotency_key: None,
        }
    }

    pub fn with_idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}
