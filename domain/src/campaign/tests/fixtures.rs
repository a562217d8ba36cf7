//! Fixtures shared by the campaign tests: the 2026 campaign created by the secretariat, its
//! medical-insurance task force (YB), a unit and a person.

use chrono::{DateTime, TimeZone, Utc};
use cqrs_es::test::TestFramework;

use crate::campaign::*;
use crate::settings::{CampaignSettings, Field};
use crate::testing::default_services;
pub(super) use crate::testing::fixtures::{campaign, person, replay, text, unit};
use crate::values::{PersonId, TaskForceId};
use crate::{Command, Stamp};

pub(super) type Framework = TestFramework<Campaign>;

pub(super) fn framework() -> Framework {
    Framework::with(default_services())
}

pub(super) fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
        .single()
        .unwrap_or_default()
}

pub(super) fn secretary() -> PersonId {
    person("sec-wang")
}

pub(super) fn cmd(body: CampaignCommand) -> Command<CampaignCommand> {
    Command::new(
        Stamp {
            at: at(),
            actor: secretary(),
        },
        body,
    )
}

pub(super) fn tf(s: &str) -> TaskForceId {
    TaskForceId::parse(s).expect("valid")
}

pub(super) fn prefix(s: &str) -> ItemPrefix {
    ItemPrefix::parse(s).expect("valid")
}

pub(super) fn created() -> CampaignEvent {
    CampaignEvent::CampaignCreated {
        campaign: campaign(),
        name: text("2026 群腐整治"),
        year: 2026,
        settings: CampaignSettings::default(),
        by: secretary(),
        at: at(),
    }
}

pub(super) fn unit_registered(id: &str) -> CampaignEvent {
    CampaignEvent::UnitRegistered {
        unit: unit(id),
        name: text("县医保局"),
        kind: UnitKind::Department,
        by: secretary(),
        at: at(),
    }
}

pub(super) fn task_force_added() -> CampaignEvent {
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

pub(super) fn person_registered(id: &str, in_unit: &str) -> CampaignEvent {
    CampaignEvent::PersonRegistered {
        person: person(id),
        name: text("张三"),
        unit: unit(in_unit),
        by: secretary(),
        at: at(),
    }
}
