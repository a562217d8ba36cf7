//! Given/when/then tests of the campaign aggregate.

use chrono::{DateTime, TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::*;
use crate::settings::{CampaignSettings, Field};
use crate::testing::default_services;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, campaign, person, replay, text, unit,
};
use crate::values::{PersonId, TaskForceId, ValueError};
use crate::{Command, Stamp};

type Framework = TestFramework<Campaign>;

fn framework() -> Framework {
    Framework::with(default_services())
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
        .single()
        .unwrap_or_default()
}

fn secretary() -> PersonId {
    person("sec-wang")
}

fn cmd(body: CampaignCommand) -> Command<CampaignCommand> {
    Command::new(
        Stamp {
            at: at(),
            actor: secretary(),
        },
        body,
    )
}

fn tf(s: &str) -> TaskForceId {
    TaskForceId::parse(s).expect("valid")
}

fn prefix(s: &str) -> ItemPrefix {
    ItemPrefix::parse(s).expect("valid")
}

fn created() -> CampaignEvent {
    CampaignEvent::CampaignCreated {
        campaign: campaign(),
        name: text("2026 群腐整治"),
        year: 2026,
        settings: CampaignSettings::default(),
        by: secretary(),
        at: at(),
    }
}

fn unit_registered(id: &str) -> CampaignEvent {
    CampaignEvent::UnitRegistered {
        unit: unit(id),
        name: text("县医保局"),
        kind: UnitKind::Department,
        by: secretary(),
        at: at(),
    }
}

fn task_force_added() -> CampaignEvent {
    CampaignEvent::TaskForceAdded {
        task_force: tf("yibao"),
        field: Field::MedicalInsurance,
        name: text("医保基金专班"),
        lead: person("vice-head-li"),
        prefix: prefix("YB"),
        by: secretary(),
        at: at(),
    }
}

fn person_registered(id: &str, in_unit: &str) -> CampaignEvent {
    CampaignEvent::PersonRegistered {
        person: person(id),
        name: text("张三"),
        unit: unit(in_unit),
        by: secretary(),
        at: at(),
    }
}

#[test]
fn creates_a_campaign() {
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("2026 群腐整治"),
            year: 2026,
            settings: CampaignSettings::default(),
        }))
        .then_expect_events(vec![created()]);
}

#[test]
fn refuses_a_second_creation() {
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("again"),
            year: 2026,
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::AlreadyExists);
}

#[test]
fn refuses_an_implausible_year() {
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("x"),
            year: 26,
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::InvalidYear(26));
}

#[test]
fn refuses_invalid_settings_on_creation_and_change() {
    let bad = CampaignSettings {
        mitigation_factor: 1.5,
        ..CampaignSettings::default()
    };
    let expected = bad.validate().expect_err("invalid");
    assert!(matches!(expected, ValueError::OutOfRange { .. }));
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("x"),
            year: 2026,
            settings: bad.clone(),
        }))
        .then_expect_error(CampaignError::InvalidSettings(expected.clone()));
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::ChangeSettings { settings: bad }))
        .then_expect_error(CampaignError::InvalidSettings(expected));
}

#[test]
fn commands_on_a_missing_campaign_are_refused() {
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::RegisterUnit {
            unit: unit("yibao-ju"),
            name: text("县医保局"),
            kind: UnitKind::Department,
        }))
        .then_expect_error(CampaignError::NotFound);
}

#[test]
fn changing_settings_is_a_new_event_and_keeps_the_old_one() {
    let settings = CampaignSettings {
        max_extensions: 1,
        ..CampaignSettings::default()
    };
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::ChangeSettings {
            settings: settings.clone(),
        }))
        .then_expect_events(vec![CampaignEvent::SettingsChanged {
            settings: settings.clone(),
            by: secretary(),
            at: at(),
        }]);
    let mut campaign = Campaign::default();
    cqrs_es::Aggregate::apply(&mut campaign, created());
    cqrs_es::Aggregate::apply(
        &mut campaign,
        CampaignEvent::SettingsChanged {
            settings: settings.clone(),
            by: secretary(),
            at: at(),
        },
    );
    assert_eq!(campaign.settings(), &settings);
}

#[test]
fn refuses_unchanged_settings() {
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::ChangeSettings {
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::SettingsUnchanged);
}

#[test]
fn adds_a_task_force() {
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::AddTaskForce {
            task_force: tf("yibao"),
            field: Field::MedicalInsurance,
            name: text("医保基金专班"),
            lead: person("vice-head-li"),
            prefix: prefix("YB"),
        }))
        .then_expect_events(vec![task_force_added()]);
}

#[test]
fn refuses_a_duplicate_task_force_or_prefix() {
    framework()
        .given(vec![created(), task_force_added()])
        .when(cmd(CampaignCommand::AddTaskForce {
            task_force: tf("yibao"),
            field: Field::SchoolMeals,
            name: text("again"),
            lead: person("vice-head-li"),
            prefix: prefix("XYC"),
        }))
        .then_expect_error(CampaignError::DuplicateTaskForce(tf("yibao")));
    framework()
        .given(vec![created(), task_force_added()])
        .when(cmd(CampaignCommand::AddTaskForce {
            task_force: tf("xiaoyuancan"),
            field: Field::SchoolMeals,
            name: text("校园餐专班"),
            lead: person("vice-head-zhao"),
            prefix: prefix("YB"),
        }))
        .then_expect_error(CampaignError::DuplicatePrefix {
            prefix: "YB".into(),
            used_by: tf("yibao"),
        });
}

#[test]
fn prefixes_are_validated() {
    assert!(ItemPrefix::parse("YB").is_ok());
    assert!(ItemPrefix::parse("yb").is_err());
    assert!(ItemPrefix::parse("Y").is_err());
    assert!(ItemPrefix::parse("ABCDEFG").is_err());
    assert!(serde_json::from_str::<ItemPrefix>("\"Y1\"").is_err());
}

#[test]
fn adds_a_member_unit_to_a_task_force() {
    framework()
        .given(vec![
            created(),
            task_force_added(),
            unit_registered("yibao-ju"),
        ])
        .when(cmd(CampaignCommand::AddTaskForceMember {
            task_force: tf("yibao"),
            unit: unit("yibao-ju"),
        }))
        .then_expect_events(vec![CampaignEvent::TaskForceMemberAdded {
            task_force: tf("yibao"),
            unit: unit("yibao-ju"),
            by: secretary(),
            at: at(),
        }]);
}

#[test]
fn member_units_must_be_known_and_not_yet_members() {
    framework()
        .given(vec![created(), unit_registered("yibao-ju")])
        .when(cmd(CampaignCommand::AddTaskForceMember {
            task_force: tf("nope"),
            unit: unit("yibao-ju"),
        }))
        .then_expect_error(CampaignError::UnknownTaskForce(tf("nope")));
    framework()
        .given(vec![created(), task_force_added()])
        .when(cmd(CampaignCommand::AddTaskForceMember {
            task_force: tf("yibao"),
            unit: unit("ghost"),
        }))
        .then_expect_error(CampaignError::UnknownUnit(unit("ghost")));
    framework()
        .given(vec![
            created(),
            task_force_added(),
            unit_registered("yibao-ju"),
            CampaignEvent::TaskForceMemberAdded {
                task_force: tf("yibao"),
                unit: unit("yibao-ju"),
                by: secretary(),
                at: at(),
            },
        ])
        .when(cmd(CampaignCommand::AddTaskForceMember {
            task_force: tf("yibao"),
            unit: unit("yibao-ju"),
        }))
        .then_expect_error(CampaignError::AlreadyMember {
            task_force: tf("yibao"),
            unit: unit("yibao-ju"),
        });
}

#[test]
fn registers_a_unit_once() {
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::RegisterUnit {
            unit: unit("yibao-ju"),
            name: text("县医保局"),
            kind: UnitKind::Department,
        }))
        .then_expect_events(vec![unit_registered("yibao-ju")]);
    framework()
        .given(vec![created(), unit_registered("yibao-ju")])
        .when(cmd(CampaignCommand::RegisterUnit {
            unit: unit("yibao-ju"),
            name: text("县医保局"),
            kind: UnitKind::Department,
        }))
        .then_expect_error(CampaignError::DuplicateUnit(unit("yibao-ju")));
}

#[test]
fn registers_a_person_in_a_known_unit_once() {
    framework()
        .given(vec![created(), unit_registered("yibao-ju")])
        .when(cmd(CampaignCommand::RegisterPerson {
            person: person("zhang-san"),
            name: text("张三"),
            unit: unit("yibao-ju"),
        }))
        .then_expect_events(vec![person_registered("zhang-san", "yibao-ju")]);
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::RegisterPerson {
            person: person("zhang-san"),
            name: text("张三"),
            unit: unit("ghost"),
        }))
        .then_expect_error(CampaignError::UnknownUnit(unit("ghost")));
    framework()
        .given(vec![
            created(),
            unit_registered("yibao-ju"),
            person_registered("zhang-san", "yibao-ju"),
        ])
        .when(cmd(CampaignCommand::RegisterPerson {
            person: person("zhang-san"),
            name: text("张三"),
            unit: unit("yibao-ju"),
        }))
        .then_expect_error(CampaignError::DuplicatePerson(person("zhang-san")));
}

#[test]
fn moves_a_person_between_units() {
    let history = vec![
        created(),
        unit_registered("yibao-ju"),
        unit_registered("weijian-ju"),
        person_registered("zhang-san", "yibao-ju"),
    ];
    framework()
        .given(history.clone())
        .when(cmd(CampaignCommand::MovePerson {
            person: person("zhang-san"),
            to: unit("weijian-ju"),
        }))
        .then_expect_events(vec![CampaignEvent::PersonMoved {
            person: person("zhang-san"),
            from: unit("yibao-ju"),
            to: unit("weijian-ju"),
            by: secretary(),
            at: at(),
        }]);
    let mut campaign: Campaign = replay(history.clone());
    assert!(campaign.is_member(&unit("yibao-ju"), &person("zhang-san")));
    cqrs_es::Aggregate::apply(
        &mut campaign,
        CampaignEvent::PersonMoved {
            person: person("zhang-san"),
            from: unit("yibao-ju"),
            to: unit("weijian-ju"),
            by: secretary(),
            at: at(),
        },
    );
    assert!(!campaign.is_member(&unit("yibao-ju"), &person("zhang-san")));
    assert!(campaign.is_member(&unit("weijian-ju"), &person("zhang-san")));

    framework()
        .given(history.clone())
        .when(cmd(CampaignCommand::MovePerson {
            person: person("li-si"),
            to: unit("weijian-ju"),
        }))
        .then_expect_error(CampaignError::UnknownPerson(person("li-si")));
    framework()
        .given(history.clone())
        .when(cmd(CampaignCommand::MovePerson {
            person: person("zhang-san"),
            to: unit("ghost"),
        }))
        .then_expect_error(CampaignError::UnknownUnit(unit("ghost")));
    framework()
        .given(history)
        .when(cmd(CampaignCommand::MovePerson {
            person: person("zhang-san"),
            to: unit("yibao-ju"),
        }))
        .then_expect_error(CampaignError::AlreadyInUnit {
            person: person("zhang-san"),
            unit: unit("yibao-ju"),
        });
}

#[test]
fn error_codes_are_stable_and_dotted() {
    assert_eq!(CampaignError::NotFound.code(), "campaign.not_found");
    assert_eq!(
        CampaignError::UnknownUnit(unit("x")).code(),
        "campaign.unknown_unit"
    );
    assert!(CampaignError::SettingsUnchanged
        .code()
        .starts_with("campaign."));
    assert_codes_distinct_and_namespaced(
        &[
            CampaignError::NotFound,
            CampaignError::UnknownUnit(unit("x")),
            CampaignError::SettingsUnchanged,
        ],
        "campaign.",
    );
}

#[test]
fn events_round_trip_through_json_and_name_their_type() {
    use cqrs_es::DomainEvent;
    let event = created();
    assert_eq!(event.event_type(), "rectiflow.campaign.created");
    assert_round_trips(&event);
}
