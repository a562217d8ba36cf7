//! The escalations policy (issue #10) on the story's log: complaints found substantiated and
//! alerts escalated name a clue or an item, which the policy opens — once. The clue the
//! secretariat registered by hand in the alerts chapter is found there and left alone; a clue
//! the rules refuse (a field without a task force) is logged and passed over, never holding the
//! log; the policy's events name their cause as causation. Run
//! again from position 0 it writes nothing; three instances at once (two sharing its name,
//! one a twin under another name) open each new clue and item once.

use rectiflow_domain::alert::{alert_id, Alert, AlertCommand, AlertPush, Triage};
use rectiflow_domain::case::{CaseEvent, ClueSource};
use rectiflow_domain::complaint::{Channel, Complaint, ComplaintCommand, FollowUp, Resolution};
use rectiflow_domain::item::{ItemEvent, ItemSource};
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::{AlertRef, CaseId, ClueId, ComplaintId, ItemCode, Yuan};
use rectiflow_engine::StreamRef;
use rectiflow_projections::policies::escalations::{Escalations, ALERT_SYSTEM, NAME};
use rectiflow_tests::{shanghai, unit, Store};

use crate::policy_runs::{
    actors_of, count_in_log, decoded, events_of, last_ids, latest_position, run_until, version_of,
};
use crate::world::{campaign_id, text, World};

fn policy<S: Store>(w: &World<S>) -> Escalations<S> {
    Escalations::new(w.exec.clone(), w.services.clone())
}

pub(crate) fn complaint_stream(id: &str) -> StreamRef {
    StreamRef::new("complaint", id)
}

fn alert_stream(reference: &str) -> StreamRef {
    let reference = AlertRef::parse(reference).expect("a valid AlertRef");
    StreamRef::new("alert", alert_id(&reference).as_str())
}

/// An elderly-care complaint by hotline, received by civil affairs and resolved as `resolution`.
pub(crate) async fn complaint<S: Store>(w: &World<S>, id: &str, resolution: Resolution) {
    complaint_in(w, id, Field::ElderlyCare, resolution).await;
}

/// A complaint of `field` by hotline, received by civil affairs and resolved as `resolution`.
async fn complaint_in<S: Store>(w: &World<S>, id: &str, field: Field, resolution: Resolution) {
    w.ok::<Complaint, _>(
        "intake",
        id,
        ComplaintCommand::Receive {
            complaint: ComplaintId::parse(id).expect("a valid ComplaintId"),
            campaign: campaign_id(),
            channel: Channel::Hotline,
            field,
            summary: text("反映养老院克扣老人伙食费"),
            content: text("养老院克扣伙食费"),
            attachments: vec![],
            receiving_unit: unit("civil-affairs"),
            complainant: None,
        },
    )
    .await;
    w.ok::<Complaint, _>("ca-zhou", id, ComplaintCommand::Resolve { resolution })
        .await;
}

pub(crate) fn substantiated(follow_up: FollowUp) -> Resolution {
    Resolution::Substantiated {
        finding: text("经核查属实"),
        follow_up,
    }
}

fn clue(clue: &str, case: &str) -> FollowUp {
    FollowUp::Clue {
        clue: ClueId::parse(clue).expect("a valid ClueId"),
        case: CaseId::parse(case).expect("a valid CaseId"),
    }
}

pub(crate) fn item(code: &str) -> FollowUp {
    FollowUp::Item {
        code: ItemCode::parse(code).expect("a valid ItemCode"),
    }
}

/// An alert of the platform, escalated by the yibao secretariat as `triage`.
async fn alert<S: Store>(w: &World<S>, reference: &str, triage: Triage) {
    let alert = alert_stream(reference).stream_id;
    let reference = AlertRef::parse(reference).expect("a valid AlertRef");
    w.ok::<Alert, _>(
        "ybjk-platform",
        &alert,
        AlertCommand::Receive(AlertPush {
            alert: alert_id(&reference),
            reference,
            campaign: campaign_id(),
            subject: unit("county-hospital"),
            summary: text("参保人异地重复购药"),
            amount_involved: Yuan::parse("1200.00").expect("an amount"),
            raised_at: rectiflow_domain::clock::Clock::now(&w.clock),
        }),
    )
    .await;
    w.ok::<Alert, _>("sec-zhao", &alert, AlertCommand::Triage(triage))
        .await;
}

/// The case stream holds exactly the clue the policy registered, from `source`.
async fn assert_clue<S: Store>(
    w: &World<S>,
    case: &str,
    clue: &str,
    source: ClueSource,
    field: Field,
) {
    let stream = StreamRef::new("case", case);
    let events: Vec<CaseEvent> = decoded(w.store(), &stream).await;
    match &events[..] {
        [CaseEvent::ClueRegistered {
            clue: c,
            source: s,
            field: f,
            ..
        }] => {
            assert_eq!(c.as_str(), clue);
            assert_eq!(*s, source);
            assert_eq!(*f, field);
        }
        other => panic!("{case}: expected one clue registered, got {other:?}"),
    }
    assert_eq!(actors_of(w.store(), &stream).await, vec![NAME]);
}

/// The item stream holds exactly the registration the policy made, from `source`.
pub(crate) async fn assert_item<S: Store>(
    w: &World<S>,
    code: &str,
    source: ItemSource,
    source_ref: &str,
) {
    let stream = StreamRef::new("item", code);
    let events: Vec<ItemEvent> = decoded(w.store(), &stream).await;
    match &events[..] {
        [ItemEvent::ItemRegistered {
            source: s,
            source_ref: r,
            ..
        }] => {
            assert_eq!(*s, source);
            assert_eq!(r.as_ref().map(|r| r.as_str()), Some(source_ref));
        }
        other => panic!("{code}: expected one registration, got {other:?}"),
    }
    assert_eq!(actors_of(w.store(), &stream).await, vec![NAME]);
}

/// The streams the policy could write to, and their versions.
async fn versions<S: Store>(w: &World<S>) -> Vec<u64> {
    let mut versions = Vec::new();
    for (kind, id) in [
        ("case", "case-2026-002"),
        ("case", "case-2026-010"),
        ("case", "case-2026-011"),
        ("case", "case-2026-012"),
        ("item", "YL-2026-0050"),
        ("item", "YL-2026-0051"),
        ("item", "YB-2026-0103"),
    ] {
        versions.push(version_of(w.store(), &StreamRef::new(kind, id)).await);
    }
    versions
}

pub async fn the_escalations_policy_opens_each_named_clue_and_item_once<S: Store>(w: &World<S>) {
    w.at(shanghai(2026, 8, 24, 9, 0));
    complaint(
        w,
        "cmp-2026-0010",
        substantiated(clue("clue-2026-010", "case-2026-010")),
    )
    .await;
    complaint(w, "cmp-2026-0011", substantiated(item("YL-2026-0050"))).await;
    // State assets have no task force in this campaign: nobody could run the clue, the rules
    // refuse it, and the policy logs that and moves on — a rule's refusal never holds the log.
    complaint_in(
        w,
        "cmp-2026-0014",
        Field::StateAssets,
        substantiated(clue("clue-2026-012", "case-2026-012")),
    )
    .await;
    complaint(
        w,
        "cmp-2026-0012",
        Resolution::Unsubstantiated {
            reason: text("经核查不属实"),
        },
    )
    .await;
    alert(
        w,
        "YBJK-2026-009200",
        Triage::EscalatedToItem {
            code: ItemCode::parse("YB-2026-0103").expect("a valid ItemCode"),
        },
    )
    .await;
    let causes = [
        complaint_stream("cmp-2026-0010"),
        complaint_stream("cmp-2026-0011"),
        complaint_stream("cmp-2026-0012"),
        complaint_stream("cmp-2026-0014"),
        alert_stream("YBJK-2026-009200"),
    ];
    let until = latest_position(w.store(), &causes).await;
    run_until(w.store(), vec![(NAME.to_owned(), policy(w))], until).await;
    assert_clue(
        w,
        "case-2026-010",
        "clue-2026-010",
        ClueSource::Complaint {
            complaint: ComplaintId::parse("cmp-2026-0010").expect("a valid ComplaintId"),
        },
        Field::ElderlyCare,
    )
    .await;
    assert_item(w, "YL-2026-0050", ItemSource::Complaint, "cmp-2026-0011").await;
    assert_item(w, "YB-2026-0103", ItemSource::DataAlert, "YBJK-2026-009200").await;
    let refused = StreamRef::new("case", "case-2026-012");
    assert_eq!(version_of(w.store(), &refused).await, 0);
    // On behalf of its cause: the clue's event names the resolution as its causation.
    let cause = events_of(w.store(), &complaint_stream("cmp-2026-0010")).await;
    let resolved = cause
        .iter()
        .find(|e| e.event_type == "rectiflow.complaint.resolved")
        .expect("the resolution");
    let opened = events_of(w.store(), &StreamRef::new("case", "case-2026-010")).await;
    assert_eq!(
        opened[0].metadata["causation_id"].as_str(),
        Some(resolved.event_id.to_string().as_str())
    );
    // The clue of the alerts chapter, registered by the secretariat, is left as it was.
    let hand_made = StreamRef::new("case", "case-2026-002");
    assert_eq!(actors_of(w.store(), &hand_made).await[0], "sec-zhao");

    // From position 0 again — a checkpoint reset: nothing new.
    let before = (versions(w).await, last_ids(w.store()).await);
    run_until(
        w.store(),
        vec![(format!("{NAME}:replay"), policy(w))],
        until,
    )
    .await;
    let after = (versions(w).await, last_ids(w.store()).await);
    assert_eq!(after, before, "a replay from 0 wrote something");

    // Two instances under the policy's name and a twin under another, at once, on new facts.
    w.at(shanghai(2026, 8, 25, 9, 0));
    complaint(w, "cmp-2026-0013", substantiated(item("YL-2026-0051"))).await;
    alert(
        w,
        "YBJK-2026-009201",
        Triage::EscalatedToClue {
            clue: ClueId::parse("clue-2026-011").expect("a valid ClueId"),
            case: CaseId::parse("case-2026-011").expect("a valid CaseId"),
        },
    )
    .await;
    let until = latest_position(
        w.store(),
        &[
            complaint_stream("cmp-2026-0013"),
            alert_stream("YBJK-2026-009201"),
        ],
    )
    .await;
    run_until(
        w.store(),
        vec![
            (NAME.to_owned(), policy(w)),
            (NAME.to_owned(), policy(w)),
            (format!("{NAME}:twin"), policy(w)),
        ],
        until,
    )
    .await;
    // Counted in the global log, as every reader sees it: each once.
    for (stream, event_type) in [
        (
            StreamRef::new("item", "YL-2026-0051"),
            "rectiflow.item.registered",
        ),
        (
            StreamRef::new("case", "case-2026-011"),
            "rectiflow.case.clue_registered",
        ),
    ] {
        let counted = count_in_log(w.store(), &stream, event_type).await;
        assert_eq!(counted, 1, "{stream} {event_type}");
    }
    assert_item(w, "YL-2026-0051", ItemSource::Complaint, "cmp-2026-0013").await;
    assert_clue(
        w,
        "case-2026-011",
        "clue-2026-011",
        ClueSource::DataAlert {
            system: text(ALERT_SYSTEM),
            alert_ref: text("YBJK-2026-009201"),
        },
        Field::MedicalInsurance,
    )
    .await;
}
