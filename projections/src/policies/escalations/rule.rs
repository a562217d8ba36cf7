//! The rule of the escalations policy, pure: which facts name a clue or an item to open
//! (DOMAIN.md, "Complaints": substantiated → a clue or an item, whose id the resolution names;
//! "Data alerts": escalated to a clue or an item).

use rectiflow_domain::alert::{AlertEvent, Triage};
use rectiflow_domain::complaint::{ComplaintEvent, FollowUp, Resolution};
use rectiflow_domain::values::{CaseId, ClueId, ItemCode, Text};
use rectiflow_engine::consumer::HandlerError;
use rectiflow_engine::LoggedEvent;

use crate::policies::acting::decode;

/// Where the escalation comes from: the stream whose receipt says the campaign, field and
/// summary of what is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A complaint found substantiated, with the finding.
    Complaint { complaint: String, finding: Text },
    /// A data alert triaged as escalated.
    Alert { alert: String },
}

/// What the origin names to open: its natural key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A clue registered on case stream `case`.
    Clue { clue: ClueId, case: CaseId },
    /// An item registered at `code`.
    Item { code: ItemCode },
}

/// A fact the policy acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub origin: Origin,
    pub target: Target,
}

const RESOLVED: &str = "rectiflow.complaint.resolved";
const TRIAGED: &str = "rectiflow.alert.triaged";

/// The escalation `logged` is, if any: an unsubstantiated complaint, a dismissed or merged
/// alert, and every other event call for nothing.
pub fn escalation(logged: &LoggedEvent) -> Result<Option<Escalation>, HandlerError> {
    let event = &logged.event;
    let stream_id = event.stream.stream_id.clone();
    match (event.stream.stream_type.as_str(), event.event_type.as_str()) {
        ("complaint", RESOLVED) => match decode::<ComplaintEvent>(logged)? {
            ComplaintEvent::Resolved {
                resolution: Resolution::Substantiated { finding, follow_up },
                ..
            } => Ok(Some(Escalation {
                origin: Origin::Complaint {
                    complaint: stream_id,
                    finding,
                },
                target: match follow_up {
                    FollowUp::Clue { clue, case } => Target::Clue { clue, case },
                    FollowUp::Item { code } => Target::Item { code },
                },
            })),
            _ => Ok(None),
        },
        ("alert", TRIAGED) => {
            let AlertEvent::Triaged { triage, .. } = decode::<AlertEvent>(logged)? else {
                return Ok(None);
            };
            let target = match triage {
                Triage::EscalatedToClue { clue, case } => Target::Clue { clue, case },
                Triage::EscalatedToItem { code } => Target::Item { code },
                Triage::Dismissed { .. } | Triage::Merged { .. } => return Ok(None),
            };
            Ok(Some(Escalation {
                origin: Origin::Alert { alert: stream_id },
                target,
            }))
        }
        _ => Ok(None),
    }
}
