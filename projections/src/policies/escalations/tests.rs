//! The escalations rule without a database: a substantiated complaint and an escalated alert
//! name what they open; everything else opens nothing.

use rectiflow_domain::alert::{AlertEvent, Triage};
use rectiflow_domain::complaint::{ComplaintEvent, FollowUp, Resolution};
use rectiflow_domain::testing::fixtures::{code, local, person, text};
use rectiflow_domain::values::{AlertId, CaseId, ClueId};
use rectiflow_engine::{LoggedEvent, RecordedEvent, StreamRef};

use super::rule::{escalation, Escalation, Origin, Target};
use super::NAME;
use crate::policies::acting::policy_actor;

fn logged(
    stream_type: &str,
    id: &str,
    event_type: &str,
    payload: serde_json::Value,
) -> LoggedEvent {
    LoggedEvent {
        position: 3,
        hash: String::new(),
        event: RecordedEvent {
            stream: StreamRef::new(stream_type, id),
            stream_version: 4,
            event_id: Default::default(),
            event_type: event_type.into(),
            schema_version: "1".into(),
            payload,
            metadata: serde_json::Value::Null,
            recorded_at: local(2026, 3, 5, 9, 0),
        },
    }
}

fn resolved(resolution: Resolution) -> LoggedEvent {
    let event = ComplaintEvent::Resolved {
        resolution,
        by: person("edu-wu"),
        at: local(2026, 3, 9, 9, 0),
    };
    let payload = serde_json::to_value(event).expect("serialises");
    logged(
        "complaint",
        "complaint-001",
        "rectiflow.complaint.resolved",
        payload,
    )
}

fn triaged(triage: Triage) -> LoggedEvent {
    let event = AlertEvent::Triaged {
        triage,
        late: false,
        triage_due: local(2026, 5, 15, 0, 0),
        by: person("sec-zhao"),
        at: local(2026, 5, 12, 14, 0),
    };
    let payload = serde_json::to_value(event).expect("serialises");
    logged("alert", "alert~YBJK-1", "rectiflow.alert.triaged", payload)
}

fn clue() -> Target {
    Target::Clue {
        clue: ClueId::parse("clue-2026-009").expect("a clue"),
        case: CaseId::parse("case-2026-009").expect("a case"),
    }
}

#[test]
fn a_substantiated_complaint_opens_the_clue_or_the_item_its_resolution_names() {
    let origin = Origin::Complaint {
        complaint: "complaint-001".into(),
        finding: text("分量不足属实"),
    };
    let to_clue = resolved(Resolution::Substantiated {
        finding: text("分量不足属实"),
        follow_up: FollowUp::Clue {
            clue: ClueId::parse("clue-2026-009").expect("a clue"),
            case: CaseId::parse("case-2026-009").expect("a case"),
        },
    });
    assert_eq!(
        escalation(&to_clue).expect("decodes"),
        Some(Escalation {
            origin: origin.clone(),
            target: clue()
        })
    );
    let to_item = resolved(Resolution::Substantiated {
        finding: text("分量不足属实"),
        follow_up: FollowUp::Item {
            code: code("XYC-2026-0002"),
        },
    });
    assert_eq!(
        escalation(&to_item).expect("decodes"),
        Some(Escalation {
            origin,
            target: Target::Item {
                code: code("XYC-2026-0002")
            },
        })
    );
    let unfounded = resolved(Resolution::Unsubstantiated {
        reason: text("不属实"),
    });
    assert_eq!(escalation(&unfounded).expect("decodes"), None);
}

#[test]
fn an_escalated_alert_opens_the_clue_or_the_item_its_triage_names() {
    let origin = Origin::Alert {
        alert: "alert~YBJK-1".into(),
    };
    let to_clue = triaged(Triage::EscalatedToClue {
        clue: ClueId::parse("clue-2026-009").expect("a clue"),
        case: CaseId::parse("case-2026-009").expect("a case"),
    });
    assert_eq!(
        escalation(&to_clue).expect("decodes"),
        Some(Escalation {
            origin: origin.clone(),
            target: clue()
        })
    );
    let to_item = triaged(Triage::EscalatedToItem {
        code: code("YB-2026-0042"),
    });
    assert_eq!(
        escalation(&to_item).expect("decodes"),
        Some(Escalation {
            origin,
            target: Target::Item {
                code: code("YB-2026-0042")
            }
        })
    );
    let dismissed = triaged(Triage::Dismissed {
        reasons: vec![text("模型误报")],
    });
    assert_eq!(escalation(&dismissed).expect("decodes"), None);
    let merged = triaged(Triage::Merged {
        into: AlertId::parse("alert~YBJK-0").expect("an alert"),
    });
    assert_eq!(escalation(&merged).expect("decodes"), None);
}

#[test]
fn other_events_are_not_followed_and_a_corrupt_one_is_an_error() {
    let other = logged(
        "complaint",
        "c",
        "rectiflow.complaint.closed",
        serde_json::Value::Null,
    );
    assert_eq!(escalation(&other).expect("not decoded"), None);
    let corrupt = logged(
        "alert",
        "a",
        "rectiflow.alert.triaged",
        serde_json::Value::Null,
    );
    assert!(escalation(&corrupt).is_err());
}

#[test]
fn the_policy_acts_as_a_policy() {
    assert!(rectiflow_domain::organisation::SystemActor::is_policy(
        &policy_actor(NAME)
    ));
}
