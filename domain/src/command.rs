//! The envelope every command travels in.
//!
//! A command's instant and actor are facts the server establishes, not claims of the caller:
//! the executor reads them from its clock and from the authenticated caller and wraps the body
//! in a [`Command`]. The aggregates take their decisions (deadlines, lateness, segregation of
//! duties) from the [`Stamp`], so a caller cannot backdate a sign-off or act as someone else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::values::PersonId;

/// When and by whom a command was issued, as stamped by the executor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stamp {
    /// The instant the executor accepted the command (from its [`crate::clock::Clock`]).
    pub at: DateTime<Utc>,
    /// The authenticated person (or system actor such as `system:scheduler`) who issued it.
    pub actor: PersonId,
}

/// A command body together with its [`Stamp`]. Every aggregate's `Command` type is
/// `Command<TheirBody>`, which lets one generic executor serve them all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Command<C> {
    pub stamp: Stamp,
    pub body: C,
}

impl<C> Command<C> {
    pub fn new(stamp: Stamp, body: C) -> Self {
        Self { stamp, body }
    }
}

/// A command body that names the stream it is meant for — a registration carries the new
/// item's code, a receipt the complaint's id. The executor refuses such a command sent to
/// another stream, so a body cannot create a second stream under a code it does not own
/// (which would defeat "a duplicate code is refused by the store").
pub trait Addressed {
    /// The stream id the body names, if it names one.
    fn addressed_to(&self) -> Option<&str> {
        None
    }
}
