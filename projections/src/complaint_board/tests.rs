//! The complaints board's fold, without a database: events in, rows out, hand-computed.

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::complaint::{Channel, ComplaintEvent, ComplaintStatus, FollowUp, Resolution};
use rectiflow_domain::identity::Sealed;
use rectiflow_domain::settings::{Field, ResponseWindow};
use rectiflow_domain::testing::fixtures::{campaign, code, local, person, text, unit};
use rectiflow_domain::values::{CaseId, ClueId, ComplaintId, Rating, TaskForceId};
use rectiflow_engine::LoggedEvent;

use super::{ComplaintBoard, ComplaintEntry, ResponseStanding};
use crate::projector::RowProjection;

const ID: &str = "cmp-2026-0001";
const NAME: &str = "张三丰";
const PHONE: &str = "13800000000";
const WORDS: &str = "我孩子在实验小学三年级二班";
const KEY: &str = "vault-key-cmp-2026-0001";

fn logged(position: u64) -> LoggedEvent {
    crate::testing::logged("complaint", ID, position)
}

/// Received at 09:00 on Monday 2 March; 24 hours to respond (school meals).
fn received() -> ComplaintEvent {
    ComplaintEvent::Received {
        complaint: ComplaintId::parse(ID).expect("an id"),
        campaign: campaign(),
        channel: Channel::SchoolMealApp,
        field: Field::SchoolMeals,
        task_force: Some(TaskForceId::parse("xiaoyuan").expect("a task force")),
        summary: text("反映学校午餐分量不足"),
        receiving_unit: unit("edu-bureau"),
        responder: unit("county-education-bureau"),
        anonymous: false,
        // What a careless vault might leave readable: the board must never copy it.
        sealed: Sealed {
            key_ref: KEY.into(),
            ciphertext: format!("{NAME}|{PHONE}|{WORDS}"),
        },
        by: person("meal-app"),
        at: local(2026, 3, 2, 9, 0),
        response_window: ResponseWindow::Hours(24),
        response_due: local(2026, 3, 3, 9, 0),
        calendar_unknown: false,
    }
}

fn due() -> DateTime<Utc> {
    local(2026, 3, 3, 9, 0)
}

fn responded(at: DateTime<Utc>, within_deadline: bool) -> ComplaintEvent {
    ComplaintEvent::Responded {
        unit: unit("county-education-bureau"),
        response: text(&format!("已联系{NAME}，{WORDS}的问题已整改")),
        by: person("edu-liu"),
        at,
        within_deadline,
    }
}

fn fold(events: Vec<ComplaintEvent>) -> Option<ComplaintEntry> {
    events
        .into_iter()
        .enumerate()
        .fold(None, |row, (i, event)| {
            ComplaintBoard::fold(row, ID, event, &logged(i as u64 + 1))
        })
}

fn row(events: Vec<ComplaintEvent>) -> ComplaintEntry {
    fold(events).expect("a row")
}

#[test]
fn a_received_complaint_shows_its_receiver_responder_and_due_instant() {
    let entry = row(vec![received()]);
    let expected = ComplaintEntry {
        complaint: ID.into(),
        campaign: "qunfu-2026".into(),
        field: "school_meals".into(),
        task_force: Some("xiaoyuan".into()),
        channel: Channel::SchoolMealApp,
        first_receiver: "edu-bureau".into(),
        responder: "county-education-bureau".into(),
        handling_unit: "county-education-bureau".into(),
        designated_handler: None,
        transfers: 0,
        state: ComplaintStatus::Open,
        summary: "反映学校午餐分量不足".into(),
        received_at: local(2026, 3, 2, 9, 0),
        response_window: ResponseWindow::Hours(24),
        response_due_at: local(2026, 3, 3, 9, 0),
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
        position: 1,
    };
    assert_eq!(entry, expected);
}

#[test]
fn a_transfer_keeps_the_first_receiver_and_ends_the_designation() {
    let entry = row(vec![
        received(),
        ComplaintEvent::HandlerDesignated {
            unit: unit("county-education-bureau"),
            person: person("edu-liu"),
            by: person("edu-head"),
            at: local(2026, 3, 2, 10, 0),
        },
    ]);
    assert_eq!(entry.designated_handler.as_deref(), Some("edu-liu"));
    let entry = row(vec![
        received(),
        ComplaintEvent::HandlerDesignated {
            unit: unit("county-education-bureau"),
            person: person("edu-liu"),
            by: person("edu-head"),
            at: local(2026, 3, 2, 10, 0),
        },
        ComplaintEvent::Transferred {
            from: unit("county-education-bureau"),
            to: unit("civil-affairs"),
            reason: text("属民政局职责"),
            by: person("sec-li"),
            at: local(2026, 3, 2, 11, 0),
        },
    ]);
    assert_eq!(entry.first_receiver, "edu-bureau");
    assert_eq!(entry.handling_unit, "civil-affairs");
    assert_eq!(entry.designated_handler, None);
    assert_eq!((entry.transfers, entry.position), (1, 3));
}

#[test]
fn an_answered_resolved_rated_and_closed_complaint() {
    let entry = row(vec![
        received(),
        responded(local(2026, 3, 2, 14, 0), true),
        ComplaintEvent::Resolved {
            resolution: Resolution::Substantiated {
                finding: text("属实"),
                follow_up: FollowUp::Clue {
                    clue: ClueId::parse("clue-2026-009").expect("a clue"),
                    case: CaseId::parse("case-2026-009").expect("a case"),
                },
            },
            by: person("edu-liu"),
            at: local(2026, 3, 4, 9, 0),
        },
        ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(4).expect("a rating"),
            by: person("meal-app"),
            at: local(2026, 3, 5, 9, 0),
        },
        ComplaintEvent::Closed {
            by: person("edu-head"),
            at: local(2026, 3, 6, 9, 0),
        },
    ]);
    assert_eq!(entry.responded_at, Some(local(2026, 3, 2, 14, 0)));
    assert_eq!(
        entry.responded_by_unit.as_deref(),
        Some("county-education-bureau")
    );
    assert_eq!(entry.responded_in_time, Some(true));
    assert_eq!(entry.resolution.as_deref(), Some("substantiated"));
    assert_eq!(
        (
            entry.follow_up_clue.as_deref(),
            entry.follow_up_case.as_deref(),
            entry.follow_up_item.as_deref()
        ),
        (Some("clue-2026-009"), Some("case-2026-009"), None)
    );
    assert_eq!(entry.resolved_at, Some(local(2026, 3, 4, 9, 0)));
    assert_eq!(entry.rating.map(Rating::get), Some(4));
    assert_eq!(entry.state, ComplaintStatus::Closed);
    assert_eq!(entry.closed_at, Some(local(2026, 3, 6, 9, 0)));
    assert_eq!(entry.position, 5);

    let unfounded = row(vec![
        received(),
        ComplaintEvent::Resolved {
            resolution: Resolution::Unsubstantiated {
                reason: text("查无实据"),
            },
            by: person("edu-liu"),
            at: local(2026, 3, 4, 9, 0),
        },
    ]);
    assert_eq!(
        (unfounded.state, unfounded.resolution.as_deref()),
        (ComplaintStatus::Resolved, Some("unsubstantiated"))
    );
    let to_item = row(vec![
        received(),
        ComplaintEvent::Resolved {
            resolution: Resolution::Substantiated {
                finding: text("属实"),
                follow_up: FollowUp::Item {
                    code: code("XYC-2026-0001"),
                },
            },
            by: person("edu-liu"),
            at: local(2026, 3, 4, 9, 0),
        },
    ]);
    assert_eq!(to_item.follow_up_item.as_deref(), Some("XYC-2026-0001"));
    assert_eq!(to_item.follow_up_clue, None);
}

#[test]
fn the_response_stands_in_time_late_or_unanswered_around_its_due_instant() {
    let second = Duration::seconds(1);
    let open = row(vec![received()]);
    assert_eq!(
        open.response_standing_at(due() - second),
        ResponseStanding::Pending
    );
    // The window ends at the due instant: from it on, unanswered is breached, recorded or not.
    assert_eq!(
        open.response_standing_at(due()),
        ResponseStanding::Unanswered
    );
    assert!(open.response_overdue_at(due()) && open.response_breached_at(due()));
    assert!(!open.response_breached_at(due() - second));

    let missed = row(vec![
        received(),
        ComplaintEvent::ResponseMissed {
            response_due: due(),
            calendar_unknown: false,
            by: person("schedule:responses"),
            at: due() + Duration::hours(1),
        },
    ]);
    assert!(missed.response_missed);
    assert_eq!(
        missed.response_standing_at(due() + Duration::hours(1)),
        ResponseStanding::Unanswered
    );

    let late = row(vec![
        received(),
        ComplaintEvent::ResponseMissed {
            response_due: due(),
            calendar_unknown: false,
            by: person("edu-liu"),
            at: due(),
        },
        responded(due(), false),
    ]);
    assert!(late.response_missed);
    assert_eq!(late.response_standing_at(due()), ResponseStanding::Late);
    assert!(late.response_breached_at(due()) && !late.response_overdue_at(due()));

    let in_time = row(vec![received(), responded(due() - second, true)]);
    let much_later = due() + Duration::days(30);
    assert_eq!(
        in_time.response_standing_at(much_later),
        ResponseStanding::InTime
    );
    assert!(!in_time.response_breached_at(much_later));
}

/// DOMAIN.md "Protection": nothing the complainant said or is, sealed or not, nor the free
/// text of a reply, a finding or a reveal, reaches a row — in its serialised form, which is
/// what the table stores and any reader gets.
#[test]
fn a_row_never_holds_the_complainant_or_any_sealed_or_free_text() {
    let entry = row(vec![
        received(),
        ComplaintEvent::Revealed {
            key_ref: KEY.into(),
            purpose: text(&format!("核实{NAME}的联系方式{PHONE}")),
            by: person("sec-li"),
            at: local(2026, 3, 2, 10, 0),
        },
        responded(local(2026, 3, 2, 14, 0), true),
        ComplaintEvent::Resolved {
            resolution: Resolution::Unsubstantiated {
                reason: text(&format!("{NAME}所述{WORDS}查无实据")),
            },
            by: person("edu-liu"),
            at: local(2026, 3, 4, 9, 0),
        },
        ComplaintEvent::IdentityErased {
            key_ref: KEY.into(),
            by: person("sec-li"),
            at: local(2026, 3, 5, 9, 0),
        },
    ]);
    let json = serde_json::to_string(&entry).expect("serialises");
    for secret in [
        NAME,
        PHONE,
        WORDS,
        KEY,
        "已联系",
        "查无实据",
        "核实",
        "anonymous",
    ] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    // The redacted summary is what stays readable.
    assert!(json.contains("反映学校午餐分量不足"));
}

#[test]
fn a_row_survives_its_trip_through_the_table_as_json() {
    let entry = row(vec![
        received(),
        responded(local(2026, 3, 2, 14, 0), true),
        ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(5).expect("a rating"),
            by: person("meal-app"),
            at: local(2026, 3, 5, 9, 0),
        },
    ]);
    let json = serde_json::to_value(&entry).expect("serialises");
    let fields = json.as_object().expect("an object").clone();
    ComplaintBoard::TABLE
        .upsert(&fields)
        .expect("every field fits its column");
    let back: ComplaintEntry = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, entry);
}

#[test]
fn events_of_a_complaint_never_received_make_no_row() {
    assert_eq!(fold(vec![responded(local(2026, 3, 2, 14, 0), true)]), None);
}

/// Every field reads back as the one written, a campaign's own named like a source's too.
#[test]
fn a_field_name_reads_back_as_the_field_written() {
    use super::{field_name, field_named};
    let fields = [
        Field::MedicalInsurance,
        Field::SchoolMeals,
        Field::ElderlyCare,
        Field::StateAssets,
        Field::Other("食品安全".into()),
        Field::Other("elderly_care".into()),
        Field::Other("other:x".into()),
    ];
    for field in fields {
        assert_eq!(field_named(&field_name(&field)), field);
    }
    assert_eq!(field_name(&Field::SchoolMeals), "school_meals");
    assert_eq!(field_name(&Field::Other("食品安全".into())), "食品安全");
    assert_eq!(
        field_name(&Field::Other("elderly_care".into())),
        "other:elderly_care"
    );
}
