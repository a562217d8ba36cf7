//! Reading a stored [`Fact`] back without serde's flatten: the derived form buffers every fact
//! twice (the flattened map, then the internally tagged kind) before it builds anything, and
//! a bulletin decodes every fact of every item — about ten per item, a million at 100,000
//! items. This reads the same JSON (`{"p":…,"t":…,"k":"closed","on_time":true}`) in one pass
//! into plain optional fields; what is written is unchanged (the derived `Serialize`).

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision};
use serde::{Deserialize, Deserializer};

use super::{Fact, FactKind};

/// A fact as stored: the position, the instant, the kind's tag and every kind's fields.
#[derive(Deserialize)]
struct Wire {
    p: u64,
    t: DateTime<Utc>,
    k: Tag,
    campaign: Option<String>,
    task_force: Option<String>,
    category: Option<String>,
    unit: Option<String>,
    person: Option<String>,
    passes_at: Option<DateTime<Utc>>,
    on_time: Option<bool>,
    episode: Option<Episode>,
    cause: Option<FaultCause>,
    decision: Option<FaultDecision>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Tag {
    Registered,
    Assigned,
    Reassigned,
    Acknowledged,
    AcknowledgementLate,
    Progress,
    Extended,
    SignOffRequested,
    SentBack,
    Closed,
    Reopened,
    Withdrawn,
    CarriedOver,
    Ruled,
}

impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(deserializer)?;
        fn need<T, E: serde::de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
            value.ok_or_else(|| E::missing_field(field))
        }
        let kind = match w.k {
            Tag::Registered => FactKind::Registered {
                campaign: need(w.campaign, "campaign")?,
                task_force: need(w.task_force, "task_force")?,
                category: need(w.category, "category")?,
            },
            Tag::Assigned => FactKind::Assigned {
                unit: need(w.unit, "unit")?,
                person: need(w.person, "person")?,
                passes_at: need(w.passes_at, "passes_at")?,
            },
            Tag::Reassigned => FactKind::Reassigned {
                unit: need(w.unit, "unit")?,
                person: need(w.person, "person")?,
            },
            Tag::Acknowledged => FactKind::Acknowledged,
            Tag::AcknowledgementLate => FactKind::AcknowledgementLate,
            Tag::Progress => FactKind::Progress,
            Tag::Extended => FactKind::Extended {
                passes_at: need(w.passes_at, "passes_at")?,
            },
            Tag::SignOffRequested => FactKind::SignOffRequested,
            Tag::SentBack => FactKind::SentBack,
            Tag::Closed => FactKind::Closed {
                on_time: need(w.on_time, "on_time")?,
            },
            Tag::Reopened => FactKind::Reopened {
                passes_at: need(w.passes_at, "passes_at")?,
            },
            Tag::Withdrawn => FactKind::Withdrawn,
            Tag::CarriedOver => FactKind::CarriedOver {
                campaign: need(w.campaign, "campaign")?,
                task_force: need(w.task_force, "task_force")?,
            },
            Tag::Ruled => FactKind::Ruled {
                episode: need(w.episode, "episode")?,
                cause: need(w.cause, "cause")?,
                decision: need(w.decision, "decision")?,
            },
        };
        Ok(Fact {
            position: w.p,
            at: w.t,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// Every kind, written by the derived `Serialize` and read back by the hand-written reader.
    #[test]
    fn every_kind_reads_back_as_written() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
            .single()
            .expect("an instant");
        let kinds = vec![
            FactKind::Registered {
                campaign: "qunfu-2026".into(),
                task_force: "yb".into(),
                category: "欺诈骗保".into(),
            },
            FactKind::Assigned {
                unit: "county-hospital".into(),
                person: "dr-wang".into(),
                passes_at: at,
            },
            FactKind::Reassigned {
                unit: "u2".into(),
                person: "p2".into(),
            },
            FactKind::Acknowledged,
            FactKind::AcknowledgementLate,
            FactKind::Progress,
            FactKind::Extended { passes_at: at },
            FactKind::SignOffRequested,
            FactKind::SentBack,
            FactKind::Closed { on_time: true },
            FactKind::Reopened { passes_at: at },
            FactKind::Withdrawn,
            FactKind::CarriedOver {
                campaign: "qunfu-2027".into(),
                task_force: "yb".into(),
            },
            FactKind::Ruled {
                episode: Episode::Relapse { number: 2 },
                cause: FaultCause::ForceMajeure,
                decision: FaultDecision::Exempt,
            },
        ];
        let facts: Vec<Fact> = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Fact {
                position: i as u64 + 1,
                at,
                kind,
            })
            .collect();
        let text = serde_json::to_string(&facts).expect("written");
        let back: Vec<Fact> = serde_json::from_str(&text).expect("read back");
        assert_eq!(back, facts);
        // A kind's field missing is an error, as with the derived reader.
        let broken = r#"{"p":1,"t":"2026-03-02T01:00:00Z","k":"closed"}"#;
        assert!(serde_json::from_str::<Fact>(broken).is_err());
    }
}
