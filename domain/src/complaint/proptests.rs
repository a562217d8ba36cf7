//! Property: any sequence of complaint commands never panics and never breaks the invariants —
//! the clear identity never appears in any event, a response is recorded at most once, a missed
//! response at most once and only after the deadline with no response before it, the first
//! receiver never changes, only a sealed secret is revealed, and a refused command records
//! nothing.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::identity::ComplainantIdentity;
use crate::settings::Field;
use crate::values::{CampaignId, CaseId, ClueId, ComplaintId, PersonId, Rating, Text, UnitId};
use crate::{Command, Stamp};

const NAME: &str = "李秀英-unique-name";
const CONTACT: &str = "contact-13912345678";

fn body(kind: u8, a: u8) -> Option<ComplaintCommand> {
    let text = Text::parse(format!("text {a}")).ok()?;
    let unit = UnitId::parse(format!("unit-{}", a % 3)).ok()?;
    Some(match kind % 9 {
        0 => ComplaintCommand::Receive {
            complaint: ComplaintId::parse("cmp-p").ok()?,
            campaign: CampaignId::parse("qunfu-2026").ok()?,
            channel: Channel::Hotline,
            field: if a & 1 == 0 {
                Field::SchoolMeals
            } else {
                Field::MedicalInsurance
            },
            summary: text.clone(),
            content: text,
            attachments: vec![],
            receiving_unit: unit,
            complainant: (a % 3 >= 1).then(|| ComplainantIdentity {
                name: NAME.into(),
                contact: CONTACT.into(),
            }),
        },
        1 => ComplaintCommand::Respond { response: text },
        2 => ComplaintCommand::RecordResponseMissed,
        3 => ComplaintCommand::Transfer {
            to: unit,
            reason: text,
        },
        4 => ComplaintCommand::Resolve {
            resolution: if a & 1 == 0 {
                Resolution::Unsubstantiated { reason: text }
            } else {
                Resolution::Substantiated {
                    finding: text,
                    follow_up: FollowUp::Clue {
                        clue: ClueId::parse("clue-p").ok()?,
                        case: CaseId::parse("case-p").ok()?,
                    },
                }
            },
        },
        5 => ComplaintCommand::RecordFeedback {
            rating: Rating::parse(a % 5 + 1).ok()?,
        },
        6 => ComplaintCommand::Close,
        7 => ComplaintCommand::Reveal { purpose: text },
        _ => ComplaintCommand::EraseIdentity,
    })
}

proptest! {
    #[test]
    fn random_complaint_commands_keep_the_invariants(
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), 0i64..40), 0..50)
    ) {
        let (services, vault) = crate::testing::services(StaticDirectory::default());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let start: DateTime<Utc> = "2026-03-12T20:00:00Z"
            .parse()
            .map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("officer").map_err(|_| TestCaseError::fail("id"))?;
        let mut complaint = Complaint::default();
        let mut log: Vec<ComplaintEvent> = Vec::new();
        let mut now = start;
        let mut first_receiver = None;
        for (kind, a, hours) in steps {
            now += Duration::hours(hours);
            let Some(body) = body(kind, a) else { continue };
            let before = complaint.clone();
            let command = Command::new(Stamp { at: now, actor: actor.clone() }, body);
            let (result, events) = runtime.block_on(async {
                let sink = EventSink::<Complaint>::default();
                let result = complaint.handle(command, &services, &sink).await;
                (result, sink.collect().await)
            });
            match result {
                // One event; a late response records the miss first, so two.
                Ok(()) => {
                    let miss_first =
                        matches!(events.first(), Some(ComplaintEvent::ResponseMissed { .. }));
                    let one_or_miss_then_one =
                        events.len() == 1 || (events.len() == 2 && miss_first);
                    prop_assert!(one_or_miss_then_one, "unexpected events {:?}", events);
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("complaint."));
                    prop_assert!(events.is_empty());
                    prop_assert_eq!(&complaint, &before);
                }
            }
            for event in &events {
                match event {
                    ComplaintEvent::ResponseMissed { response_due, at: recorded_at, .. } => {
                        prop_assert!(!before.response_missed, "missed twice");
                        prop_assert!(before.response.is_none(), "missed after a response");
                        prop_assert!(recorded_at >= response_due);
                    }
                    ComplaintEvent::Responded { within_deadline, at: responded_at, .. } => {
                        prop_assert!(before.response.is_none(), "responded twice");
                        let due = before.receipt.as_ref().map(|r| r.response_due);
                        prop_assert_eq!(Some(*within_deadline), due.map(|d| *responded_at < d));
                    }
                    ComplaintEvent::IdentityErased { key_ref, .. } => {
                        prop_assert_eq!(vault.open(key_ref), None);
                    }
                    // Only what is sealed, under its own key, is revealed.
                    ComplaintEvent::Revealed { key_ref, .. } => {
                        prop_assert_eq!(
                            &before.secret,
                            &SecretState::Sealed { key_ref: key_ref.clone() }
                        );
                    }
                    _ => {}
                }
            }
            log.extend(events);
            // A late response always comes with the missed-response fact, recorded once.
            if complaint.response.as_ref().is_some_and(|r| !r.within_deadline) {
                prop_assert!(complaint.response_missed, "late response without the miss");
            }
            let misses = log
                .iter()
                .filter(|e| matches!(e, ComplaintEvent::ResponseMissed { .. }))
                .count();
            prop_assert!(misses <= 1, "missed response recorded {} times", misses);
            // First-receiver responsibility: once set, never changes.
            if let Some(receipt) = &complaint.receipt {
                let first = first_receiver.get_or_insert_with(|| receipt.first_receiver.clone());
                prop_assert_eq!(&*first, &receipt.first_receiver);
            }
            if complaint.status == ComplaintStatus::Closed {
                prop_assert!(complaint.resolution.is_some());
            }
        }
        let json = serde_json::to_string(&log).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!json.contains(NAME), "clear name in the log");
        prop_assert!(!json.contains(CONTACT), "clear contact in the log");
        let missed = log.iter().filter(|e| matches!(e, ComplaintEvent::ResponseMissed { .. })).count();
        prop_assert!(missed <= 1);
        let responses = log.iter().filter(|e| matches!(e, ComplaintEvent::Responded { .. })).count();
        prop_assert!(responses <= 1);
        let received = log.iter().filter(|e| matches!(e, ComplaintEvent::Received { .. })).count();
        prop_assert!(received <= 1);
    }
}
