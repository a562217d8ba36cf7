//! Given/when/then tests of the complaint aggregate, and of the response-deadline arithmetic.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::calendar::FixedCalendar;
use crate::directory::StaticDirectory;
use crate::identity::{
    ComplainantIdentity, IdentityVault, SealedIdentity, VaultError, VaultFuture,
};
use crate::services::{DomainServices, SettingsSource};
use crate::settings::{CampaignSettings, Field, ResponseWindow};
use crate::testing::{MemoryVault, StaticSettings};
use crate::values::{
    CampaignId, ClueId, ComplaintId, EvidenceRef, ItemCode, MediaType, PersonId, Rating, Sha256Hex,
    Text, UnitId, Uri,
};
use crate::{Command, Stamp};

// ---- fixtures ----

struct NoCampaigns;
impl SettingsSource for NoCampaigns {
    fn settings(&self, _campaign: &CampaignId) -> Option<CampaignSettings> {
        None
    }
}

struct BrokenVault;
impl IdentityVault for BrokenVault {
    fn seal<'a>(
        &'a self,
        _subject: &'a str,
        _identity: &'a ComplainantIdentity,
    ) -> VaultFuture<'a, SealedIdentity> {
        Box::pin(async { Err(VaultError("key store unreachable".into())) })
    }
    fn erase<'a>(&'a self, _key_ref: &'a str) -> VaultFuture<'a, ()> {
        Box::pin(async { Err(VaultError("key store unreachable".into())) })
    }
}

fn services() -> (DomainServices, MemoryVault) {
    crate::testing::services(StaticDirectory::default())
}

fn framework() -> TestFramework<Complaint> {
    TestFramework::with(services().0)
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test instant")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

/// Tuesday 2026-03-10, 10:00 Beijing time.
const RECEIVED: &str = "2026-03-10T02:00:00Z";
/// 24 hours later.
const MEAL_DUE: &str = "2026-03-11T02:00:00Z";

fn officer() -> PersonId {
    PersonId::parse("officer-1").expect("id")
}

fn text(s: &str) -> Text {
    Text::parse(s).expect("text")
}

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).expect("unit")
}

fn campaign() -> CampaignId {
    CampaignId::parse("qunfu-2026").expect("campaign")
}

fn complaint_id() -> ComplaintId {
    ComplaintId::parse("cmp-1").expect("id")
}

fn cmd_at(when: &str, body: ComplaintCommand) -> Command<ComplaintCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: officer(),
        },
        body,
    )
}

fn cmd(body: ComplaintCommand) -> Command<ComplaintCommand> {
    cmd_at("2026-03-10T06:00:00Z", body)
}

fn photo() -> EvidenceRef {
    EvidenceRef {
        name: text("午餐照片.jpg"),
        media_type: MediaType::parse("image/jpeg").expect("media"),
        size: 123_456,
        sha256: Sha256Hex::parse("ab".repeat(32)).expect("hash"),
        uri: Uri::parse("oss://evidence/cmp-1/1.jpg").expect("uri"),
    }
}

const NAME: &str = "王小明";
const CONTACT: &str = "13800138000";

fn identity() -> ComplainantIdentity {
    ComplainantIdentity {
        name: NAME.into(),
        contact: CONTACT.into(),
    }
}

fn receive(field: Field, complainant: Option<ComplainantIdentity>) -> ComplaintCommand {
    ComplaintCommand::Receive {
        complaint: complaint_id(),
        campaign: campaign(),
        channel: Channel::SchoolMealApp,
        field,
        content: text("学校食堂饭菜分量不足"),
        attachments: vec![photo()],
        receiving_unit: unit("county-education-bureau"),
        complainant,
    }
}

/// An anonymous school-meal complaint received at [`RECEIVED`].
fn received() -> ComplaintEvent {
    ComplaintEvent::Received {
        complaint: complaint_id(),
        campaign: campaign(),
        channel: Channel::SchoolMealApp,
        field: Field::SchoolMeals,
        content: text("学校食堂饭菜分量不足"),
        attachments: vec![photo()],
        receiving_unit: unit("county-education-bureau"),
        complainant: None,
        received_by: officer(),
        received_at: at(RECEIVED),
        response_window: ResponseWindow::Hours(24),
        response_due: at(MEAL_DUE),
    }
}

/// The same complaint with a sealed identity.
fn received_named() -> ComplaintEvent {
    let mut event = received();
    if let ComplaintEvent::Received { complainant, .. } = &mut event {
        *complainant = Some(SealedIdentity {
            key_ref: "key:cmp-1:0".into(),
            ciphertext: "opaque".into(),
        });
    }
    event
}

fn responded(when: &str, within_deadline: bool) -> ComplaintEvent {
    ComplaintEvent::Responded {
        unit: unit("county-education-bureau"),
        response: text("已约谈学校负责人"),
        responded_by: officer(),
        responded_at: at(when),
        within_deadline,
    }
}

fn missed() -> ComplaintEvent {
    ComplaintEvent::ResponseMissed {
        response_due: at(MEAL_DUE),
        recorded_at: at(MEAL_DUE),
    }
}

fn transferred(from: &str, to: &str) -> ComplaintEvent {
    ComplaintEvent::Transferred {
        from: unit(from),
        to: unit(to),
        reason: text("属市场监管职责"),
        transferred_by: officer(),
        transferred_at: at("2026-03-10T03:00:00Z"),
    }
}

fn unsubstantiated() -> Resolution {
    Resolution::Unsubstantiated {
        reason: text("经核查分量符合标准"),
    }
}

fn resolved() -> ComplaintEvent {
    ComplaintEvent::Resolved {
        resolution: unsubstantiated(),
        resolved_by: officer(),
        resolved_at: at("2026-03-10T05:00:00Z"),
    }
}

fn closed() -> ComplaintEvent {
    ComplaintEvent::Closed {
        closed_by: officer(),
        closed_at: at("2026-03-10T05:30:00Z"),
    }
}

fn invalid(state: &'static str, request: &'static str) -> ComplaintError {
    ComplaintError::InvalidTransition { state, request }
}

fn fold(events: Vec<ComplaintEvent>) -> Complaint {
    let mut complaint = Complaint::default();
    for event in events {
        complaint.apply(event);
    }
    complaint
}

// ---- receive ----

#[test]
fn an_anonymous_school_meal_complaint_is_due_in_24_hours() {
    framework()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::SchoolMeals, None)))
        .then_expect_events(vec![received()]);
}

#[test]
fn a_named_complainant_is_sealed_and_never_appears_in_clear_in_the_events() {
    let (services, vault) = services();
    let events = TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd_at(
            RECEIVED,
            receive(Field::SchoolMeals, Some(identity())),
        ))
        .inspect_result()
        .expect("received");
    let [ComplaintEvent::Received {
        complainant: Some(sealed),
        ..
    }] = &events[..]
    else {
        panic!("expected one Received event with a sealed identity: {events:?}");
    };
    // The vault (and only the vault) can open it.
    assert_eq!(vault.open(&sealed.key_ref), Some(identity()));
    let json = serde_json::to_string(&events).expect("serialise");
    assert!(!json.contains(NAME), "clear name in events: {json}");
    assert!(!json.contains(CONTACT), "clear contact in events: {json}");
}

#[test]
fn a_complaint_for_an_unknown_campaign_is_refused() {
    let services = DomainServices {
        settings: Arc::new(NoCampaigns),
        ..services().0
    };
    TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, None)))
        .then_expect_error(ComplaintError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn a_blank_identity_is_refused_rather_than_taken_for_anonymous() {
    let blank = ComplainantIdentity {
        name: "  ".into(),
        contact: String::new(),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, Some(blank))))
        .then_expect_error(ComplaintError::BlankIdentity);
}

#[test]
fn a_complaint_is_received_once() {
    framework()
        .given(vec![received()])
        .when(cmd(receive(Field::SchoolMeals, None)))
        .then_expect_error(invalid("open", "receive"));
}

#[test]
fn an_unreachable_vault_refuses_the_complaint_and_records_nothing() {
    let services = DomainServices {
        vault: Arc::new(BrokenVault),
        ..services().0
    };
    TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd(receive(Field::SchoolMeals, Some(identity()))))
        .then_expect_error(ComplaintError::Vault {
            message: "key store unreachable".into(),
        });
}

#[test]
fn a_complaint_in_another_field_is_due_after_working_days_stored_at_receipt() {
    // Tuesday 10:00 local + 3 working days = Friday; due Friday 24:00 local = Fri 16:00 UTC.
    let events = framework()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::ElderlyCare, None)))
        .inspect_result()
        .expect("received");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received { response_window: ResponseWindow::WorkingDays(3), response_due, .. }]
            if *response_due == at("2026-03-13T16:00:00Z")
    ));
}

// ---- the deadline arithmetic ----

#[test]
fn school_meal_deadline_is_24_elapsed_hours_even_over_a_weekend() {
    let cal = FixedCalendar::weekdays();
    // Saturday 2026-03-14 22:15 local.
    let due = response_due(
        at("2026-03-14T14:15:00Z"),
        ResponseWindow::Hours(24),
        chrono_tz::Asia::Shanghai,
        &cal,
    );
    assert_eq!(due, at("2026-03-15T14:15:00Z"));
}

#[test]
fn working_day_deadline_skips_the_weekend() {
    let cal = FixedCalendar::weekdays();
    // Friday 2026-03-13 10:00 local: Mon 16, Tue 17, Wed 18 → due Wed 24:00 local.
    let due = response_due(
        at("2026-03-13T02:00:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    );
    assert_eq!(due, at("2026-03-18T16:00:00Z"));
}

#[test]
fn working_days_count_from_the_local_date_of_receipt_in_asia_shanghai() {
    let cal = FixedCalendar::weekdays();
    // 2026-03-12T17:30Z is Thursday in UTC but Friday 01:30 in Beijing: count from Friday.
    let due = response_due(
        at("2026-03-12T17:30:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    );
    assert_eq!(due, at("2026-03-18T16:00:00Z"));
    assert_eq!(
        due.with_timezone(&chrono_tz::Asia::Shanghai).to_rfc3339(),
        "2026-03-19T00:00:00+08:00"
    );
    // One minute earlier in Beijing time (Thursday 23:59 local) counts from Thursday.
    let due = response_due(
        at("2026-03-12T15:59:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    );
    assert_eq!(due, at("2026-03-17T16:00:00Z"));
}

#[test]
fn working_day_deadline_skips_holidays_and_keeps_make_up_days() {
    // National Day 2026-10-01..07 off; Sunday 2026-10-11 a make-up working day (调休).
    let cal = FixedCalendar::weekdays()
        .with_holidays((1..=7).map(|d| date(2026, 10, d)))
        .with_make_up_days([date(2026, 10, 11)]);
    // Wednesday 2026-09-30 10:00 local: Thu 8, Fri 9, Sun 11 → due Sun 11 24:00 local.
    let due = response_due(
        at("2026-09-30T02:00:00Z"),
        ResponseWindow::WorkingDays(3),
        chrono_tz::Asia::Shanghai,
        &cal,
    );
    assert_eq!(due, at("2026-10-11T16:00:00Z"));
}

#[test]
fn the_campaign_time_zone_and_calendar_come_from_services() {
    let settings = CampaignSettings {
        time_zone: chrono_tz::UTC,
        other_response: ResponseWindow::WorkingDays(1),
        ..CampaignSettings::default()
    };
    let services = DomainServices {
        settings: Arc::new(StaticSettings(settings)),
        calendar: Arc::new(FixedCalendar::weekdays().with_holidays([date(2026, 3, 11)])),
        ..services().0
    };
    // Tuesday 2026-03-10 in UTC; Wednesday is a holiday → Thursday 24:00 UTC.
    let events = TestFramework::<Complaint>::with(services)
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, receive(Field::StateAssets, None)))
        .inspect_result()
        .expect("received");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received { response_due, .. }] if *response_due == at("2026-03-13T00:00:00Z")
    ));
}

// ---- respond ----

#[test]
fn a_response_before_the_deadline_is_within_it() {
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-11T01:59:59Z",
            ComplaintCommand::Respond {
                response: text("已约谈学校负责人"),
            },
        ))
        .then_expect_events(vec![responded("2026-03-11T01:59:59Z", true)]);
}

#[test]
fn a_response_at_or_after_the_deadline_is_late() {
    for when in [MEAL_DUE, "2026-03-12T00:00:00Z"] {
        framework()
            .given(vec![received()])
            .when(cmd_at(
                when,
                ComplaintCommand::Respond {
                    response: text("已约谈学校负责人"),
                },
            ))
            // The late response records the miss first: one fact, whoever comes first.
            .then_expect_events(vec![
                ComplaintEvent::ResponseMissed {
                    response_due: at(MEAL_DUE),
                    recorded_at: at(when),
                },
                responded(when, false),
            ]);
    }
    // Late after the miss was recorded: the miss is not recorded again.
    framework()
        .given(vec![received(), missed()])
        .when(cmd_at(
            "2026-03-12T00:00:00Z",
            ComplaintCommand::Respond {
                response: text("已约谈学校负责人"),
            },
        ))
        .then_expect_events(vec![responded("2026-03-12T00:00:00Z", false)]);
}

#[test]
fn the_response_names_the_unit_handling_the_complaint_after_a_transfer() {
    let events = framework()
        .given(vec![
            received(),
            transferred("county-education-bureau", "market-regulation"),
        ])
        .when(cmd(ComplaintCommand::Respond {
            response: text("已处理"),
        }))
        .inspect_result()
        .expect("responded");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Responded { unit, within_deadline: true, .. }] if unit.as_str() == "market-regulation"
    ));
}

#[test]
fn a_complaint_is_responded_to_once_while_not_closed() {
    let respond = || ComplaintCommand::Respond {
        response: text("答复"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(respond()))
        .then_expect_error(invalid("not_received", "respond"));
    framework()
        .given(vec![received(), responded("2026-03-10T03:00:00Z", true)])
        .when(cmd(respond()))
        .then_expect_error(ComplaintError::AlreadyResponded);
    framework()
        .given(vec![received(), resolved(), closed()])
        .when(cmd(respond()))
        .then_expect_error(invalid("closed", "respond"));
}

// ---- response missed ----

#[test]
fn a_missed_response_is_recorded_once_the_deadline_has_passed() {
    framework()
        .given(vec![received()])
        .when(cmd_at(MEAL_DUE, ComplaintCommand::RecordResponseMissed))
        .then_expect_events(vec![missed()]);
}

#[test]
fn a_missed_response_is_refused_before_the_deadline_after_a_response_or_twice() {
    framework()
        .given_no_previous_events()
        .when(cmd(ComplaintCommand::RecordResponseMissed))
        .then_expect_error(invalid("not_received", "record_response_missed"));
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-11T01:59:59Z",
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::ResponseNotYetDue {
            response_due: at(MEAL_DUE),
        });
    framework()
        .given(vec![received(), responded("2026-03-10T03:00:00Z", true)])
        .when(cmd_at(
            "2026-03-12T00:00:00Z",
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::AlreadyResponded);
    framework()
        .given(vec![received(), missed()])
        .when(cmd_at(
            "2026-03-12T00:00:00Z",
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::ResponseAlreadyMissed);
}

// ---- transfer (首接负责制) ----

#[test]
fn a_transfer_moves_the_handling_but_not_the_accountability() {
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-10T03:00:00Z",
            ComplaintCommand::Transfer {
                to: unit("market-regulation"),
                reason: text("属市场监管职责"),
            },
        ))
        .then_expect_events(vec![transferred(
            "county-education-bureau",
            "market-regulation",
        )]);
    let complaint = fold(vec![
        received(),
        transferred("county-education-bureau", "market-regulation"),
        transferred("market-regulation", "township-a"),
    ]);
    assert_eq!(complaint.handling_unit, Some(unit("township-a")));
    assert_eq!(
        complaint.accountable_unit(),
        Some(&unit("county-education-bureau"))
    );
    assert_eq!(complaint.transfers, 2);
}

#[test]
fn a_transfer_needs_an_open_complaint_and_another_unit() {
    let transfer = |to: &str| ComplaintCommand::Transfer {
        to: unit(to),
        reason: text("转办"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(transfer("x")))
        .then_expect_error(invalid("not_received", "transfer"));
    framework()
        .given(vec![received()])
        .when(cmd(transfer("county-education-bureau")))
        .then_expect_error(ComplaintError::AlreadyWithUnit {
            unit: unit("county-education-bureau"),
        });
    framework()
        .given(vec![received(), resolved()])
        .when(cmd(transfer("x")))
        .then_expect_error(invalid("resolved", "transfer"));
}

// ---- resolve ----

#[test]
fn a_substantiated_complaint_names_the_clue_or_item_to_create() {
    for follow_up in [
        FollowUp::Clue {
            clue: ClueId::parse("clue-7").expect("id"),
        },
        FollowUp::Item {
            code: ItemCode::parse("XYC-2026-0007").expect("code"),
        },
    ] {
        let resolution = Resolution::Substantiated {
            finding: text("查实供餐企业克扣分量"),
            follow_up,
        };
        framework()
            .given(vec![received()])
            .when(cmd(ComplaintCommand::Resolve {
                resolution: resolution.clone(),
            }))
            .then_expect_events(vec![ComplaintEvent::Resolved {
                resolution,
                resolved_by: officer(),
                resolved_at: at("2026-03-10T06:00:00Z"),
            }]);
    }
}

#[test]
fn an_unsubstantiated_complaint_gives_its_reason() {
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-10T05:00:00Z",
            ComplaintCommand::Resolve {
                resolution: unsubstantiated(),
            },
        ))
        .then_expect_events(vec![resolved()]);
}

#[test]
fn a_complaint_is_resolved_once_and_only_after_receipt() {
    let resolve = || ComplaintCommand::Resolve {
        resolution: unsubstantiated(),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(resolve()))
        .then_expect_error(invalid("not_received", "resolve"));
    framework()
        .given(vec![received(), resolved()])
        .when(cmd(resolve()))
        .then_expect_error(invalid("resolved", "resolve"));
}

// ---- feedback ----

#[test]
fn the_complainant_rates_the_outcome_once() {
    let rate = |r: u8| ComplaintCommand::RecordFeedback {
        rating: Rating::parse(r).expect("rating"),
    };
    framework()
        .given(vec![received(), resolved()])
        .when(cmd(rate(4)))
        .then_expect_events(vec![ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(4).expect("rating"),
            recorded_at: at("2026-03-10T06:00:00Z"),
        }]);
    // After closure too: a complainant may answer the callback late.
    framework()
        .given(vec![received(), resolved(), closed()])
        .when(cmd(rate(5)))
        .then_expect_events(vec![ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(5).expect("rating"),
            recorded_at: at("2026-03-10T06:00:00Z"),
        }]);
    framework()
        .given(vec![received()])
        .when(cmd(rate(3)))
        .then_expect_error(invalid("open", "record_feedback"));
    framework()
        .given(vec![
            received(),
            resolved(),
            ComplaintEvent::FeedbackRecorded {
                rating: Rating::parse(2).expect("rating"),
                recorded_at: at("2026-03-10T06:00:00Z"),
            },
        ])
        .when(cmd(rate(3)))
        .then_expect_error(ComplaintError::FeedbackAlreadyRecorded);
}

// ---- close ----

#[test]
fn a_resolved_complaint_closes() {
    framework()
        .given(vec![
            received(),
            responded("2026-03-10T04:00:00Z", true),
            resolved(),
        ])
        .when(cmd_at("2026-03-10T05:30:00Z", ComplaintCommand::Close))
        .then_expect_events(vec![closed()]);
}

#[test]
fn a_complaint_is_not_closed_before_the_complainant_was_answered() {
    framework()
        .given(vec![received(), resolved()])
        .when(cmd_at("2026-03-10T05:30:00Z", ComplaintCommand::Close))
        .then_expect_error(ComplaintError::NotResponded);
}

#[test]
fn only_a_resolved_complaint_closes() {
    framework()
        .given(vec![received()])
        .when(cmd(ComplaintCommand::Close))
        .then_expect_error(invalid("open", "close"));
    framework()
        .given(vec![received(), resolved(), closed()])
        .when(cmd(ComplaintCommand::Close))
        .then_expect_error(invalid("closed", "close"));
}

// ---- erase identity (crypto-shredding) ----

#[test]
fn erasing_the_identity_destroys_the_key_for_good() {
    let (services, vault) = services();
    // Receive through the aggregate so the vault holds the key.
    let received_events = TestFramework::<Complaint>::with(services.clone())
        .given_no_previous_events()
        .when(cmd_at(
            RECEIVED,
            receive(Field::SchoolMeals, Some(identity())),
        ))
        .inspect_result()
        .expect("received");
    let key_ref = match &received_events[..] {
        [ComplaintEvent::Received {
            complainant: Some(sealed),
            ..
        }] => sealed.key_ref.clone(),
        other => panic!("unexpected {other:?}"),
    };
    let mut history = received_events;
    history.extend([resolved(), closed()]);
    TestFramework::<Complaint>::with(services)
        .given(history)
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_events(vec![ComplaintEvent::IdentityErased {
            key_ref: key_ref.clone(),
            erased_by: officer(),
            erased_at: at("2026-03-10T06:00:00Z"),
        }]);
    assert_eq!(vault.open(&key_ref), None);
}

#[test]
fn erasure_is_refused_for_anonymous_erased_or_unknown_complaints() {
    framework()
        .given_no_previous_events()
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(invalid("not_received", "erase_identity"));
    framework()
        .given(vec![received()])
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(ComplaintError::AnonymousComplaint);
    framework()
        .given(vec![
            received_named(),
            ComplaintEvent::IdentityErased {
                key_ref: "key:cmp-1:0".into(),
                erased_by: officer(),
                erased_at: at("2026-03-10T04:00:00Z"),
            },
        ])
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(ComplaintError::IdentityAlreadyErased);
}

#[test]
fn a_vault_failure_during_erasure_records_nothing() {
    let services = DomainServices {
        vault: Arc::new(BrokenVault),
        ..services().0
    };
    TestFramework::<Complaint>::with(services)
        .given(vec![received_named()])
        .when(cmd(ComplaintCommand::EraseIdentity))
        .then_expect_error(ComplaintError::Vault {
            message: "key store unreachable".into(),
        });
}

// ---- wire format ----

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    use cqrs_es::DomainEvent;
    for event in [
        received_named(),
        responded(RECEIVED, true),
        missed(),
        transferred("a", "b"),
        resolved(),
        closed(),
    ] {
        let json = serde_json::to_string(&event).expect("serialise");
        let back: ComplaintEvent = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, event);
        assert!(json.contains(&event.event_type()));
        assert_eq!(event.event_version(), "1.0");
    }
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        ComplaintError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("open", "close"),
        ComplaintError::BlankIdentity,
        ComplaintError::AlreadyResponded,
        ComplaintError::ResponseNotYetDue {
            response_due: at(MEAL_DUE),
        },
        ComplaintError::ResponseAlreadyMissed,
        ComplaintError::AlreadyWithUnit { unit: unit("a") },
        ComplaintError::FeedbackAlreadyRecorded,
        ComplaintError::AnonymousComplaint,
        ComplaintError::IdentityAlreadyErased,
        ComplaintError::Vault {
            message: "x".into(),
        },
    ];
    let codes: std::collections::BTreeSet<_> = errors.iter().map(ComplaintError::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert!(codes.iter().all(|c| c.starts_with("complaint.")));
}
