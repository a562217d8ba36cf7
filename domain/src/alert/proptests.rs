//! Property: any sequence of alert commands at any instants never panics and keeps the
//! invariants — received at most once, triaged at most once and never before receipt, a
//! triage is late exactly when at or after the due instant, TriageMissed at most once, never
//! before the due instant and never after triage, a late triage always comes with the miss,
//! and a refused command records nothing.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::testing::default_services;
use crate::values::{AlertId, AlertRef, CampaignId, ItemCode, PersonId, Text, UnitId, Yuan};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8) -> Option<AlertCommand> {
    let reference = AlertRef::parse("YBJK-P").ok()?;
    Some(match kind % 6 {
        0 => AlertCommand::Receive(AlertPush {
            alert: AlertId::of_reference(&reference),
            reference,
            campaign: CampaignId::parse("qunfu-2026").ok()?,
            subject: UnitId::parse("hospital-p").ok()?,
            summary: Text::parse("异常诊疗").ok()?,
            amount_involved: Yuan::from_fen(u64::from(a) * 1_000),
            raised_at: "2026-03-10T00:00:00Z".parse().ok()?,
        }),
        1 => AlertCommand::Triage(Triage::Dismissed {
            reasons: if a.is_multiple_of(3) {
                vec![]
            } else {
                vec![Text::parse("误报").ok()?]
            },
        }),
        2 => AlertCommand::Triage(Triage::Merged {
            into: AlertId::parse(if a.is_multiple_of(2) {
                "alert~YBJK-P"
            } else {
                "alert~YBJK-Q"
            })
            .ok()?,
        }),
        3 => AlertCommand::Triage(Triage::EscalatedToItem {
            code: ItemCode::parse("YB-2026-0001").ok()?,
        }),
        _ => AlertCommand::RecordTriageMissed,
    })
}

proptest! {
    #[test]
    fn random_alert_commands_keep_the_invariants(
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), 0i64..30), 0..40)
    ) {
        let services = default_services();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let actor = PersonId::parse("actor").map_err(|_| TestCaseError::fail("id"))?;
        let mut now: DateTime<Utc> = "2026-03-09T20:00:00Z"
            .parse()
            .map_err(|_| TestCaseError::fail("instant"))?;
        let mut alert = Alert::default();
        let mut log: Vec<AlertEvent> = Vec::new();
        for (kind, a, hours) in steps {
            now += Duration::hours(hours);
            let Some(body) = body(kind, a) else { continue };
            let before = alert.clone();
            let command = Command::new(Stamp { at: now, actor: actor.clone() }, body);
            let (result, events) = runtime.block_on(async {
                let sink = EventSink::<Alert>::default();
                let result = alert.handle(command, &services, &sink).await;
                (result, sink.collect().await)
            });
            match result {
                Ok(()) => {
                    let miss_first = matches!(events.first(), Some(AlertEvent::TriageMissed { .. }));
                    prop_assert!(
                        events.len() == 1 || (events.len() == 2 && miss_first),
                        "unexpected events {:?}", events
                    );
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("alert."));
                    prop_assert!(events.is_empty());
                    prop_assert_eq!(&alert, &before);
                }
            }
            for event in &events {
                match event {
                    AlertEvent::TriageMissed { triage_due, at, .. } => {
                        prop_assert!(at >= triage_due, "missed before due");
                        prop_assert!(before.triage.is_none(), "missed after triage");
                        prop_assert!(!before.triage_missed, "missed twice");
                    }
                    AlertEvent::Triaged { late, at, triage_due, .. } => {
                        prop_assert!(before.triage.is_none(), "triaged twice");
                        prop_assert!(before.receipt.is_some(), "triaged before receipt");
                        prop_assert_eq!(*late, at >= triage_due);
                    }
                    AlertEvent::Received { .. } => {
                        prop_assert!(before.receipt.is_none(), "received twice");
                    }
                }
            }
            log.extend(events);
            if alert.triage.as_ref().is_some_and(|t| t.late) {
                prop_assert!(alert.triage_missed, "late triage without the miss");
            }
        }
        let count = |f: fn(&AlertEvent) -> bool| log.iter().filter(|e| f(e)).count();
        let received = count(|e| matches!(e, AlertEvent::Received { .. }));
        let triaged = count(|e| matches!(e, AlertEvent::Triaged { .. }));
        let missed = count(|e| matches!(e, AlertEvent::TriageMissed { .. }));
        prop_assert!(received <= 1 && triaged <= 1 && missed <= 1);
    }
}
