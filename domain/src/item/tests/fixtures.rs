//! Fixtures shared by the item tests: the people and units of the standard timeline, the
//! directory and frameworks the tests run in, and (re-exported from `timeline`) the timeline's
//! commands and events.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;

use crate::calendar::{FixedCalendar, WorkingCalendar};
use crate::directory::StaticDirectory;
use crate::item::*;
use crate::organisation::Role;
use crate::services::DomainServices;
use crate::settings::CampaignSettings;
pub(super) use crate::testing::fixtures::{
    campaign, code, date, evidence_ref, local, person, replay, text, unit, TZ,
};
use crate::testing::{services, without_campaigns, MemoryVault, StaticSettings};
use crate::values::{Deadline, EvidenceRef, PersonId, TaskForceId, UnitId};
use crate::{Command, Stamp};

// ---- fixtures ---------------------------------------------------------------------------------

/// The secretariat officer (专班办公室): outside the responsible unit.
pub(super) fn sec() -> PersonId {
    person("sec-wang")
}

/// The responsible person (责任人).
pub(super) fn zhang() -> PersonId {
    person("zhang-san")
}

/// A colleague of the responsible person in the responsible unit.
pub(super) fn li() -> PersonId {
    person("li-si")
}

pub(super) fn scheduler() -> PersonId {
    person("schedule:deadlines")
}

/// The task force of the standard item.
pub(super) fn yibao() -> TaskForceId {
    TaskForceId::parse("yibao").expect("valid")
}

pub(super) fn responsible_unit() -> UnitId {
    unit("yibao-ju")
}

/// Another unit, with its responsible person [`wu`]: where an item can be reassigned (改派).
pub(super) fn other_unit() -> UnitId {
    unit("weijian-ju")
}

pub(super) fn wu() -> PersonId {
    person("wu-weijian")
}

pub(super) fn supervising_unit() -> UnitId {
    unit("jiwei")
}

pub(super) fn directory() -> StaticDirectory {
    StaticDirectory::default()
        .with_member(responsible_unit(), zhang())
        .with_member(responsible_unit(), li())
        .with_member(other_unit(), wu())
        .with_role(
            sec(),
            Role::Secretariat {
                task_force: yibao(),
            },
        )
        // A unit member who also holds the secretariat role: segregation of duties must still
        // keep them from deciding on their own unit's item.
        .with_role(
            li(),
            Role::Secretariat {
                task_force: yibao(),
            },
        )
        .with_role(leader(), Role::Leadership)
}

/// The county Party secretary (领导小组), who gives instructions (批示).
pub(super) fn leader() -> PersonId {
    person("party-secretary")
}

/// How a decision reserved to the secretariat is refused to `actor`, a person of the
/// responsible unit: for lack of the role, or — for [`li`], who holds it — by segregation of
/// duties.
pub(super) fn refused_decision(actor: PersonId, request: ItemRequest) -> ItemError {
    if actor == li() {
        ItemError::SegregationOfDuties { actor, request }
    } else {
        ItemError::Forbidden {
            actor,
            request,
            needs: crate::permission::Party::secretariat(&yibao()),
        }
    }
}

pub(super) fn services_with(
    calendar: impl WorkingCalendar + 'static,
    settings: CampaignSettings,
) -> DomainServices {
    DomainServices {
        calendar: Arc::new(calendar),
        directory: Arc::new(directory()),
        vault: Arc::new(MemoryVault::default()),
        settings: Arc::new(StaticSettings(settings)),
    }
}

pub(super) fn framework() -> TestFramework<Item> {
    TestFramework::with(services(directory()).0)
}

pub(super) fn framework_with(settings: CampaignSettings) -> TestFramework<Item> {
    TestFramework::with(services_with(FixedCalendar::weekdays(), settings))
}

pub(super) fn framework_without_campaigns() -> TestFramework<Item> {
    TestFramework::with(without_campaigns(services(directory()).0))
}

pub(super) fn cmd(at: DateTime<Utc>, actor: PersonId, body: ItemCommand) -> Command<ItemCommand> {
    Command::new(Stamp { at, actor }, body)
}

pub(super) fn evidence() -> EvidenceRef {
    evidence_ref(
        "整改照片.jpg",
        "image/jpeg",
        "https://files.example/yb/1.jpg",
    )
}

pub(super) fn deadline(y: i32, m: u32, d: u32) -> Deadline {
    Deadline::new(date(y, m, d))
}

pub(super) use super::timeline::*;
