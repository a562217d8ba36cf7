//! The complaints board (群众监督): the story's two complaints and one more received here and
//! left unanswered past its deadline — each row as computed by hand, the response standing
//! derived at read time around the due instant, and never the complainant.

use chrono::Duration;
use rectiflow_domain::complaint::{Channel, Complaint, ComplaintCommand, ComplaintStatus};
use rectiflow_domain::settings::{Field, ResponseWindow};
use rectiflow_domain::values::ComplaintId;
use rectiflow_projections::complaint_board::{ComplaintBoard, ComplaintEntry, ResponseStanding};
use rectiflow_tests::{person, shanghai, unit, Store};

use super::{decode, last_positions, project, UNANSWERED};
use crate::world::{campaign_id, text, World, COMPLAINANT, MEAL_COMPLAINT, PHONE};

const A: &str = "cmp-2026-0001";
const B: &str = "cmp-2026-0002";
/// Complaint C's own words (sealed).
const C_WORDS: &str = "隔壁床的李大爷说护工每天只来一次";

/// A row of the story's complaints with what every row shares filled in.
fn entry(complaint: &str, position: i64) -> ComplaintEntry {
    ComplaintEntry {
        complaint: complaint.into(),
        campaign: "qunfu-2026".into(),
        field: "elderly_care".into(),
        task_force: Some("yanglao".into()),
        channel: Channel::Hotline,
        first_receiver: "civil-affairs".into(),
        responder: "civil-affairs".into(),
        handling_unit: "civil-affairs".into(),
        designated_handler: None,
        transfers: 0,
        state: ComplaintStatus::Open,
        summary: String::new(),
        received_at: shanghai(2026, 3, 2, 9, 0),
        response_window: ResponseWindow::WorkingDays(3),
        response_due_at: shanghai(2026, 3, 3, 9, 0),
        calendar_unknown: false,
        responded_at: None,
        responded_by_unit: None,
        responded_in_time: None,
        response_missed: false,
        resolution: None,
        follow_up_clue: None,
        follow_up_case: None,
        follow_up_item: None,
        resolved_at: None,
        rating: None,
        closed_at: None,
        position,
    }
}

pub async fn the_complaints_board_shows_deadlines_and_never_the_complainant<S: Store>(
    w: &World<S>,
) {
    // Monday 6 July, 09:00: a hotline complaint on a care home, anonymous; three working days,
    // due by 24:00 on Thursday the 9th. The yanglao secretariat names the handler.
    w.at(shanghai(2026, 7, 6, 9, 0))
        .ok::<Complaint, _>(
            "intake",
            UNANSWERED,
            ComplaintCommand::Receive {
                complaint: ComplaintId::parse(UNANSWERED).expect("a valid ComplaintId"),
                campaign: campaign_id(),
                channel: Channel::Hotline,
                field: Field::ElderlyCare,
                summary: text("反映养老院护理人员不足"),
                content: text(C_WORDS),
                attachments: vec![],
                receiving_unit: unit("civil-affairs"),
                complainant: None,
            },
        )
        .await;
    w.at(shanghai(2026, 7, 6, 9, 30))
        .ok::<Complaint, _>(
            "sec-sun",
            UNANSWERED,
            ComplaintCommand::DesignateHandler {
                person: person("ca-zhou"),
            },
        )
        .await;
    let due = shanghai(2026, 7, 10, 0, 0);

    let rows = decode::<ComplaintBoard>(&project::<ComplaintBoard, S>(w).await);
    let c = rows
        .iter()
        .find(|r| r.complaint == UNANSWERED)
        .expect("a row for complaint C");
    assert_eq!(c.response_due_at, due);
    assert!(!c.response_missed, "not recorded yet");
    // The board turns at the due instant, before the schedule records anything.
    let second = Duration::seconds(1);
    assert_eq!(
        c.response_standing_at(due - second),
        ResponseStanding::Pending
    );
    assert_eq!(c.response_standing_at(due), ResponseStanding::Unanswered);
    assert!(c.response_overdue_at(due) && c.response_breached_at(due));

    // Friday 10 July, 09:00: the schedule records the missed response; the board carries on
    // from its checkpoint.
    w.at(shanghai(2026, 7, 10, 9, 0))
        .ok::<Complaint, _>(
            "schedule:responses",
            UNANSWERED,
            ComplaintCommand::RecordResponseMissed,
        )
        .await;
    let stored = project::<ComplaintBoard, S>(w).await;
    let mut rows = decode::<ComplaintBoard>(&stored);
    rows.sort_by(|a, b| a.complaint.cmp(&b.complaint));
    // DOMAIN.md "Protection": the table holds nothing of a complainant — name, phone, words,
    // nor the sealed part of complaint A as the vault returned it.
    let sealed = w.sealed.get().expect("complaint A was sealed");
    let table = serde_json::to_string(&stored).expect("rows as JSON");
    for secret in [
        COMPLAINANT,
        PHONE,
        MEAL_COMPLAINT,
        C_WORDS,
        sealed.key_ref.as_str(),
        sealed.ciphertext.as_str(),
    ] {
        assert!(!table.contains(secret), "the board holds {secret}");
    }

    let last = last_positions(w.store(), "complaint").await;
    let position = |id: &str| *last.get(id).expect("the complaint's events");

    let expected = vec![
        // A: school meals through the meal app, received by the education bureau's window;
        // the education department responds (and so handles it), within 24 hours.
        ComplaintEntry {
            field: "school_meals".into(),
            task_force: Some("xiaoyuan".into()),
            channel: Channel::SchoolMealApp,
            first_receiver: "edu-bureau".into(),
            responder: "county-education-bureau".into(),
            handling_unit: "county-education-bureau".into(),
            summary: "反映学校午餐分量不足".into(),
            response_window: ResponseWindow::Hours(24),
            responded_at: Some(shanghai(2026, 3, 2, 14, 0)),
            responded_by_unit: Some("county-education-bureau".into()),
            responded_in_time: Some(true),
            ..entry(A, position(A))
        },
        // B: received on Friday 6 March, due by 24:00 on Wednesday the 11th; missed, then
        // answered late on the 12th.
        ComplaintEntry {
            summary: "反映养老机构虚报入住人数".into(),
            received_at: shanghai(2026, 3, 6, 10, 0),
            response_due_at: shanghai(2026, 3, 12, 0, 0),
            responded_at: Some(shanghai(2026, 3, 12, 9, 0)),
            responded_by_unit: Some("civil-affairs".into()),
            responded_in_time: Some(false),
            response_missed: true,
            ..entry(B, position(B))
        },
        // C: unanswered, its handler named, the missed response recorded.
        ComplaintEntry {
            summary: "反映养老院护理人员不足".into(),
            designated_handler: Some("ca-zhou".into()),
            received_at: shanghai(2026, 7, 6, 9, 0),
            response_due_at: due,
            response_missed: true,
            ..entry(UNANSWERED, position(UNANSWERED))
        },
    ];
    assert_eq!(rows, expected);
    let now = shanghai(2026, 7, 10, 9, 0);
    assert_eq!(
        rows.iter()
            .map(|r| r.response_standing_at(now))
            .collect::<Vec<_>>(),
        vec![
            ResponseStanding::InTime,
            ResponseStanding::Late,
            ResponseStanding::Unanswered
        ]
    );
}
