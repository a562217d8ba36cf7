//! The rule of the repair-items policy, pure: which facts it follows, and which command each
//! calls for given what the case has already recorded (DOMAIN.md, "Cases": system repair).

use chrono::{DateTime, Utc};
use rectiflow_domain::case::{CaseCommand, CaseEvent};
use rectiflow_domain::item::ItemEvent;
use rectiflow_domain::values::{ItemCode, Text, UnitId};
use rectiflow_engine::consumer::HandlerError;
use rectiflow_engine::LoggedEvent;

use crate::policies::acting::decode;

/// A fact the policy acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    /// A case spawned a repair item: register it at the code the case names and assign it to
    /// the supervising department the case names.
    Spawned {
        case: String,
        code: ItemCode,
        unit: UnitId,
        title: Text,
        at: DateTime<Utc>,
    },
    /// An item's fate, to be noted on the case whose repair item it is (if it is one).
    Item { code: String, fate: Fate },
}

/// What happened to an item, as the case records it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// 销号; `version` is the closure's version in the item's stream, from which the relapses
    /// before it are counted.
    Closed {
        version: u64,
    },
    /// 回头看 found a relapse: the item's `relapses`-th.
    Reopened {
        relapses: u32,
    },
    Withdrawn {
        reason: Text,
    },
}

const SPAWNED: &str = "rectiflow.case.repair_item_spawned";
const CLOSED: &str = "rectiflow.item.closed";
const REOPENED: &str = "rectiflow.item.reopened";
const WITHDRAWN: &str = "rectiflow.item.withdrawn";

/// The cause `logged` is, if the policy follows it. Only the events it follows are decoded.
pub fn cause(logged: &LoggedEvent) -> Result<Option<Cause>, HandlerError> {
    let event = &logged.event;
    let stream_id = event.stream.stream_id.clone();
    match (event.stream.stream_type.as_str(), event.event_type.as_str()) {
        ("case", SPAWNED) => match decode::<CaseEvent>(logged)? {
            CaseEvent::RepairItemSpawned {
                code,
                unit,
                title,
                at,
                ..
            } => Ok(Some(Cause::Spawned {
                case: stream_id,
                code,
                unit,
                title,
                at,
            })),
            _ => Ok(None),
        },
        ("item", CLOSED | REOPENED | WITHDRAWN) => {
            let fate = match decode::<ItemEvent>(logged)? {
                ItemEvent::ItemClosed { .. } => Fate::Closed {
                    version: event.stream_version,
                },
                ItemEvent::ItemReopened { relapses, .. } => Fate::Reopened { relapses },
                ItemEvent::ItemWithdrawn { reason, .. } => Fate::Withdrawn { reason },
                _ => return Ok(None),
            };
            Ok(Some(Cause::Item {
                code: stream_id,
                fate,
            }))
        }
        _ => Ok(None),
    }
}

/// What a case has recorded of one repair item: the natural key's memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Noted {
    pub spawned: bool,
    pub closed: u32,
    pub reopened: u32,
    pub withdrawn: bool,
}

/// What the case's events record of repair item `code`.
pub fn noted<'a>(events: impl IntoIterator<Item = &'a CaseEvent>, code: &ItemCode) -> Noted {
    let mut noted = Noted::default();
    for event in events {
        match event {
            CaseEvent::RepairItemSpawned { code: c, .. } if c == code => noted.spawned = true,
            CaseEvent::RepairItemClosed { code: c, .. } if c == code => noted.closed += 1,
            CaseEvent::RepairItemReopened { code: c, .. } if c == code => noted.reopened += 1,
            CaseEvent::RepairItemWithdrawn { code: c, .. } if c == code => noted.withdrawn = true,
            _ => {}
        }
    }
    noted
}

/// The relapses an item had before its event at `version`: which closure that event is (the
/// first closes episode 0, the one after the first relapse episode 1, …).
pub fn relapses_before<'a>(
    events: impl IntoIterator<Item = &'a (u64, ItemEvent)>,
    version: u64,
) -> u32 {
    events
        .into_iter()
        .filter(|(v, e)| *v < version && matches!(e, ItemEvent::ItemReopened { .. }))
        .count() as u32
}

/// The command that notes `fate` of repair item `code` on a case that has `noted` it so far,
/// or `None` when the case already says so — a replayed cause finds its effect there, however
/// old the cause: the `k`-th closure is noted once the case counts more than `k` closures, the
/// `n`-th relapse once it counts `n` reopenings. A relapse of an item the case recorded closed
/// also reopens a closed case (the case's rule, DOMAIN.md "Cases").
pub fn command(
    code: &ItemCode,
    fate: &Fate,
    relapses_before: u32,
    noted: Noted,
) -> Option<CaseCommand> {
    let code = code.clone();
    match fate {
        Fate::Closed { .. } => (noted.closed <= relapses_before)
            .then_some(CaseCommand::RecordRepairItemClosed { code }),
        Fate::Reopened { relapses } => {
            (noted.reopened < *relapses).then_some(CaseCommand::RecordRepairItemReopened { code })
        }
        Fate::Withdrawn { reason } => {
            (!noted.withdrawn).then(|| CaseCommand::RecordRepairItemWithdrawn {
                code,
                reason: reason.clone(),
            })
        }
    }
}
