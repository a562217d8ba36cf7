//! Task forces (专班): one per field, each with its own prefix, and their member units.

use super::fixtures::*;
use crate::campaign::*;
use crate::settings::{CampaignSettings, Field};
use crate::{Command, Stamp};

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
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
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
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
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
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
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
        .given(vec![created(), task_force_added()])
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
fn member_units_must_be_units_of_the_organisation_and_not_yet_members() {
    framework()
        .given(vec![created()])
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
fn refuses_a_second_task_force_for_a_field_already_covered() {
    framework()
        .given(vec![created(), task_force_added()])
        .when(cmd(CampaignCommand::AddTaskForce {
            task_force: tf("yibao-2"),
            field: Field::MedicalInsurance,
            name: text("医保第二专班"),
            lead: person("vice-head-zhao"),
            prefix: prefix("YBB"),
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
        }))
        .then_expect_error(CampaignError::FieldAlreadyCovered {
            field: Field::MedicalInsurance,
            covered_by: tf("yibao"),
        });
    // A field a campaign adds is covered once too.
    let other = || Field::Other("环境保护".into());
    let added_other = CampaignEvent::TaskForceAdded {
        task_force: tf("huanbao"),
        field: other(),
        name: text("环保专班"),
        lead: person("vice-head-zhao"),
        prefix: prefix("HB"),
        categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
        by: secretary(),
        at: at(),
    };
    framework()
        .given(vec![created(), added_other])
        .when(cmd(CampaignCommand::AddTaskForce {
            task_force: tf("huanbao-2"),
            field: other(),
            name: text("again"),
            lead: person("vice-head-zhao"),
            prefix: prefix("HBB"),
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
        }))
        .then_expect_error(CampaignError::FieldAlreadyCovered {
            field: other(),
            covered_by: tf("huanbao"),
        });
}

#[test]
fn a_task_force_for_another_field_with_its_own_prefix_is_added() {
    framework()
        .given(vec![created(), task_force_added()])
        .when(cmd(CampaignCommand::AddTaskForce {
            task_force: tf("xiaoyuancan"),
            field: Field::SchoolMeals,
            name: text("校园餐专班"),
            lead: person("vice-head-zhao"),
            prefix: prefix("XYC"),
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
        }))
        .then_expect_events(vec![CampaignEvent::TaskForceAdded {
            task_force: tf("xiaoyuancan"),
            field: Field::SchoolMeals,
            name: text("校园餐专班"),
            lead: person("vice-head-zhao"),
            prefix: prefix("XYC"),
            categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
            by: secretary(),
            at: at(),
        }]);
}

#[test]
fn only_an_administrator_configures_a_campaign() {
    let stranger = person("sec-wang");
    framework()
        .given(vec![created()])
        .when(Command::new(
            Stamp {
                at: at(),
                actor: stranger.clone(),
            },
            CampaignCommand::ChangeSettings {
                settings: CampaignSettings {
                    max_extensions: 1,
                    ..CampaignSettings::default()
                },
            },
        ))
        .then_expect_error(CampaignError::Forbidden(crate::permission::Forbidden {
            actor: stranger,
            request: "change_settings",
            request_label: "修改整治行动设置",
            needs: crate::permission::Party::Admin,
        }));
}
