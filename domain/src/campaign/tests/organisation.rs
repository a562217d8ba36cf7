//! Units and persons (being moved to an organisation aggregate of their own).

use super::fixtures::*;
use crate::campaign::*;

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
