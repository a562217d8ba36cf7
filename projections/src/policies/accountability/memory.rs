//! What the repeated-admonishment policy remembers between batches, in tables of its own
//! written with its checkpoint: every admonishment (its unit, the instant it rests on, whether
//! withdrawn) and every accountability case (whose, and whether still open) — the facts
//! "a second admonishment within 182 days" and "none while that person already has one open"
//! are judged on.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rectiflow_domain::accountability::AccountabilityEvent;
use rectiflow_domain::admonishment::{AdmonishmentEvent, Basis};
use rectiflow_engine::consumer::HandlerError;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

use crate::table::{Column, ColumnKind, TableSpec};

/// One admonishment as the window reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Admonished {
    pub admonishment: String,
    pub unit: String,
    pub campaign: String,
    /// The cut-off of the publication it rests on, or a manual one's trigger instant.
    pub rests_on: DateTime<Utc>,
    #[serde(with = "crate::json_text")]
    pub items: Vec<String>,
    pub withdrawn: bool,
}

/// One accountability case, open until decided or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub case: String,
    pub person: String,
    pub open: bool,
}

pub const ADMONISHMENTS: TableSpec = TableSpec {
    name: "policy_repeated_admonishments",
    key: "admonishment",
    columns: &[
        Column::required("admonishment", ColumnKind::Text),
        Column::required("unit", ColumnKind::Text),
        Column::required("campaign", ColumnKind::Text),
        Column::required("rests_on", ColumnKind::Timestamp),
        Column::required("items", ColumnKind::Json),
        Column::required("withdrawn", ColumnKind::Boolean),
    ],
};

pub const CASES: TableSpec = TableSpec {
    name: "policy_repeated_cases",
    key: "case",
    columns: &[
        Column::required("case", ColumnKind::Text),
        Column::required("person", ColumnKind::Text),
        Column::required("open", ColumnKind::Boolean),
    ],
};

/// The memory, as loaded before a batch and kept up to date through it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    pub admonishments: BTreeMap<String, Admonished>,
    pub cases: BTreeMap<String, Case>,
}

/// A fact the memory keeps, read from one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Remembered {
    Admonished(Admonished),
    AdmonishmentWithdrawn(String),
    CaseProposed(Case),
    CaseEnded(String),
}

impl Remembered {
    /// What `logged` adds to the memory, if anything.
    pub fn of(logged: &LoggedEvent) -> Result<Option<Self>, HandlerError> {
        let stream = &logged.event.stream;
        let decode_error =
            |e: serde_json::Error| HandlerError(format!("position {}: {e}", logged.position));
        match stream.stream_type.as_str() {
            "admonishment" => {
                let event: AdmonishmentEvent =
                    serde_json::from_value(logged.event.payload.clone()).map_err(decode_error)?;
                Ok(match event {
                    AdmonishmentEvent::Triggered {
                        admonishment,
                        campaign,
                        unit,
                        basis,
                        items,
                        at,
                        ..
                    } => Some(Self::Admonished(Admonished {
                        admonishment: admonishment.as_str().to_owned(),
                        unit: unit.as_str().to_owned(),
                        campaign: campaign.as_str().to_owned(),
                        // As `Admonishment::window_instant`.
                        rests_on: match &basis {
                            Basis::Policy { publication, .. } => publication.cut_off,
                            Basis::Manual { .. } => at,
                        },
                        items: items.iter().map(|c| c.as_str().to_owned()).collect(),
                        withdrawn: false,
                    })),
                    AdmonishmentEvent::Withdrawn { .. } => {
                        Some(Self::AdmonishmentWithdrawn(stream.stream_id.clone()))
                    }
                    _ => None,
                })
            }
            "accountability" => {
                let event: AccountabilityEvent =
                    serde_json::from_value(logged.event.payload.clone()).map_err(decode_error)?;
                Ok(match event {
                    AccountabilityEvent::Proposed { case, person, .. } => {
                        Some(Self::CaseProposed(Case {
                            case: case.as_str().to_owned(),
                            person: person.as_str().to_owned(),
                            open: true,
                        }))
                    }
                    AccountabilityEvent::Decided { .. } | AccountabilityEvent::Withdrawn { .. } => {
                        Some(Self::CaseEnded(stream.stream_id.clone()))
                    }
                })
            }
            _ => Ok(None),
        }
    }
}

impl Memory {
    /// Takes in a fact.
    pub fn remember(&mut self, fact: Remembered) {
        match fact {
            Remembered::Admonished(admonished) => {
                self.admonishments
                    .insert(admonished.admonishment.clone(), admonished);
            }
            Remembered::AdmonishmentWithdrawn(id) => {
                if let Some(admonished) = self.admonishments.get_mut(&id) {
                    admonished.withdrawn = true;
                }
            }
            Remembered::CaseProposed(case) => {
                self.cases.insert(case.case.clone(), case);
            }
            Remembered::CaseEnded(id) => {
                if let Some(case) = self.cases.get_mut(&id) {
                    case.open = false;
                }
            }
        }
    }

    /// Whether `person` has an accountability case still open.
    pub fn has_open_case(&self, person: &str) -> bool {
        self.cases.values().any(|c| c.open && c.person == person)
    }

    /// The latest earlier admonishment of `later`'s unit, not withdrawn, resting at most
    /// `window_days` days before it (0 < gap ≤ N days, DOMAIN.md: "a unit's second
    /// admonishment within 182 days, between the cut-offs of the publications they rest on;
    /// manual admonishments count").
    pub fn earlier_within(&self, later: &Admonished, window_days: u32) -> Option<&Admonished> {
        let window = chrono::Duration::days(i64::from(window_days));
        self.admonishments
            .values()
            .filter(|a| {
                a.admonishment != later.admonishment
                    && a.unit == later.unit
                    && !a.withdrawn
                    && a.rests_on < later.rests_on
                    && later.rests_on - a.rests_on <= window
            })
            .max_by(|a, b| {
                a.rests_on
                    .cmp(&b.rests_on)
                    .then_with(|| a.admonishment.cmp(&b.admonishment))
            })
    }
}
