//! An item as it stood at a cut-off, as of a log position: the facts at positions ≤ P that
//! took effect before the cut-off, folded in log order (DOMAIN.md "Publications as facts").
//! Later facts — a closure recorded after the cut-off, a ruling recorded after it — do not
//! exist for it, so a publication recomputed later from the log gives the same figures.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Episode, FaultDecision, ItemState};

use super::fact::{Fact, FactKind};
use crate::deadline_clock::DeadlineClock;
use crate::item_register::EpisodeRuling;

/// 销号 as it stood at the cut-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub at: DateTime<Utc>,
    /// As the aggregate judged it: the accepted request came before the deadline in force.
    pub on_time: bool,
    /// The deadline episode in force when it closed, whose exemption also makes it on time.
    pub deadline_number: i64,
    pub position: u64,
}

/// A fact that publications count by the instant it happened ("in the period"), with the unit
/// responsible when it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happening {
    SignOffRequested,
    SentBack,
    /// 回头看 found a relapse.
    Relapse,
    /// 签收 past its window.
    LateAcknowledgement,
}

/// A [`Happening`] with its instant, position and the unit it counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Happened {
    pub what: Happening,
    pub at: DateTime<Utc>,
    pub position: u64,
    pub unit: Option<String>,
}

/// One item at a cut-off, with the positions behind each of its standings (the drill-down).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemAsOf {
    pub code: String,
    pub campaign: String,
    pub task_force: String,
    pub category: String,
    pub state: ItemState,
    pub registered_at: DateTime<Utc>,
    pub registered_position: u64,
    pub unit: Option<String>,
    pub person: Option<String>,
    /// The number of the deadline in force (0 before assignment) and where it was set.
    pub deadline_number: i64,
    pub passes_at: Option<DateTime<Utc>>,
    pub deadline_position: Option<u64>,
    /// The pending sign-off request, while one is pending.
    pub requested: Option<(DateTime<Utc>, u64)>,
    pub closure: Option<Closure>,
    pub withdrawn: bool,
    /// Rulings recorded by the cut-off, and the position of each.
    pub rulings: Vec<EpisodeRuling>,
    pub ruling_positions: Vec<u64>,
    /// The latest progress report, 签收 or assignment: what "no progress for N days" counts
    /// from.
    pub last_activity_at: Option<DateTime<Utc>>,
    pub happened: Vec<Happened>,
}

impl ItemAsOf {
    /// How the item stood at `cut_off` given the facts logged at positions ≤ `position`;
    /// `None` if it was not registered by then.
    pub fn at(
        code: &str,
        facts: &[Fact],
        position: u64,
        cut_off: DateTime<Utc>,
    ) -> Option<ItemAsOf> {
        let mut known = facts
            .iter()
            .filter(|f| f.position <= position && f.at < cut_off);
        let first = known.next()?;
        let FactKind::Registered {
            campaign,
            task_force,
            category,
        } = &first.kind
        else {
            return None;
        };
        let mut item = ItemAsOf {
            code: code.to_owned(),
            campaign: campaign.clone(),
            task_force: task_force.clone(),
            category: category.clone(),
            state: ItemState::Registered,
            registered_at: first.at,
            registered_position: first.position,
            unit: None,
            person: None,
            deadline_number: 0,
            passes_at: None,
            deadline_position: None,
            requested: None,
            closure: None,
            withdrawn: false,
            rulings: Vec::new(),
            ruling_positions: Vec::new(),
            last_activity_at: None,
            happened: Vec::new(),
        };
        for fact in known {
            item.apply(fact);
        }
        Some(item)
    }

    fn apply(&mut self, fact: &Fact) {
        let happened = |what, unit: &Option<String>| Happened {
            what,
            at: fact.at,
            position: fact.position,
            unit: unit.clone(),
        };
        match &fact.kind {
            // A stream has one registration; a second would be a corrupt history: ignored.
            FactKind::Registered { .. } => {}
            FactKind::Assigned {
                unit,
                person,
                passes_at,
            } => {
                self.state = ItemState::Assigned;
                self.unit = Some(unit.clone());
                self.person = Some(person.clone());
                self.last_activity_at = Some(fact.at);
                self.new_deadline(*passes_at, fact.position);
            }
            FactKind::Reassigned { unit, person } => {
                self.state = ItemState::Assigned;
                self.unit = Some(unit.clone());
                self.person = Some(person.clone());
                self.requested = None;
                self.last_activity_at = Some(fact.at);
            }
            FactKind::Acknowledged => {
                self.state = ItemState::InProgress;
                self.last_activity_at = Some(fact.at);
            }
            FactKind::AcknowledgementLate => {
                let h = happened(Happening::LateAcknowledgement, &self.unit);
                self.happened.push(h);
            }
            FactKind::Progress => self.last_activity_at = Some(fact.at),
            FactKind::Extended { passes_at } => self.new_deadline(*passes_at, fact.position),
            FactKind::SignOffRequested => {
                self.state = ItemState::PendingSignOff;
                self.requested = Some((fact.at, fact.position));
                let h = happened(Happening::SignOffRequested, &self.unit);
                self.happened.push(h);
            }
            FactKind::SentBack => {
                self.state = ItemState::InProgress;
                self.requested = None;
                let h = happened(Happening::SentBack, &self.unit);
                self.happened.push(h);
            }
            FactKind::Closed { on_time } => {
                self.state = ItemState::Closed;
                self.requested = None;
                self.closure = Some(Closure {
                    at: fact.at,
                    on_time: *on_time,
                    deadline_number: self.deadline_number,
                    position: fact.position,
                });
            }
            FactKind::Reopened { passes_at } => {
                self.state = ItemState::Reopened;
                self.closure = None;
                self.new_deadline(*passes_at, fact.position);
                let h = happened(Happening::Relapse, &self.unit);
                self.happened.push(h);
            }
            FactKind::Withdrawn => {
                self.state = ItemState::Withdrawn;
                self.withdrawn = true;
                self.requested = None;
            }
            FactKind::CarriedOver {
                campaign,
                task_force,
            } => {
                self.campaign = campaign.clone();
                self.task_force = task_force.clone();
            }
            FactKind::Ruled {
                episode,
                cause,
                decision,
            } => {
                let ruling = EpisodeRuling {
                    episode: *episode,
                    cause: *cause,
                    decision: *decision,
                    at: fact.at,
                };
                match self.rulings.iter().position(|r| r.episode == *episode) {
                    Some(i) => {
                        self.rulings[i] = ruling;
                        self.ruling_positions[i] = fact.position;
                    }
                    None => {
                        self.rulings.push(ruling);
                        self.ruling_positions.push(fact.position);
                    }
                }
            }
        }
    }

    fn new_deadline(&mut self, passes_at: DateTime<Utc>, position: u64) {
        self.deadline_number += 1;
        self.passes_at = Some(passes_at);
        self.deadline_position = Some(position);
    }

    /// The item's standing against its deadline in force.
    pub fn clock(&self) -> DeadlineClock<'_> {
        DeadlineClock {
            state: self.state,
            deadline_number: self.deadline_number,
            passes_at: self.passes_at,
            requested_at: self.requested.map(|(at, _)| at),
            rulings: &self.rulings,
        }
    }

    /// The position of the ruling on the deadline episode in force, if one counts at `now`.
    pub fn ruling_position_at(&self, now: DateTime<Utc>) -> Option<u64> {
        let ruling = self.clock().ruling_at(now)?;
        self.rulings
            .iter()
            .position(|r| r.episode == ruling.episode)
            .and_then(|i| self.ruling_positions.get(i).copied())
    }

    /// Closed on time as a publication counts it (DOMAIN.md "Definitions"): the accepted
    /// request came before the deadline then in force passed, or that late episode was
    /// exempted by a ruling recorded by `now`.
    pub fn closed_on_time_at(&self, now: DateTime<Utc>) -> Option<bool> {
        let closure = self.closure?;
        if closure.on_time {
            return Some(true);
        }
        let number = u32::try_from(closure.deadline_number).ok()?;
        let exempted = self.rulings.iter().any(|r| {
            r.episode == Episode::Deadline { number }
                && r.decision == FaultDecision::Exempt
                && r.at <= now
        });
        Some(exempted)
    }
}
