//! Fixtures shared by the campaign tests: the 2026 campaign created by the secretariat, its
//! medical-insurance task force (YB), a unit and a person.

use chrono::{DateTime, TimeZone, Utc};
use cqrs_es::test::TestFramework;

use crate::campaign::*;
use crate::settings::{CampaignSettings, Field};
pub(super) use crate::testing::fixtures::{campaign, person, replay, text, unit};
use crate::values::{PersonId, TaskForceId};
use crate::{Command, Stamp};

pub(super) type Framework = TestFramework<Campaign>;

/// The organisation the campaign draws on: the county medical-insurance bureau (yibao-ju) is a
/// unit of it; the campaign's administrator is [`secretary`], who holds the admin role there.
pub(super) fn framework() -> Framework {
    Framework::with(
        crate::testing::services(
            crate::testing::officer_directory().with_member(unit("yibao-ju"), person("zhang-san")),
        )
        .0,
    )
}

pub(super) fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The administrator who sets the campaign up (campaigns are configuration).
pub(super) fn secretary() -> PersonId {
    crate::testing::fixtures::officer()
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

pub(super) fn task_force_added() -> CampaignEvent {
    CampaignEvent::TaskForceAdded {
        task_force: tf("yibao"),
        field: Field::MedicalInsurance,
        name: text("医保基金专班"),
        lead: person("vice-head-li"),
        prefix: prefix("YB"),
        categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
        by: secretary(),
        at: at(),
    }
}
