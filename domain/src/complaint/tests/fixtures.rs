//! Fixtures shared by the complaint tests: a school-meal complaint received 2026-03-10 10:00
//! local, its complainant, its events, and a vault that fails.

use cqrs_es::test::TestFramework;

use crate::complaint::*;
use crate::directory::StaticDirectory;
use crate::failure::PortUnavailable;
use crate::identity::{
    ComplainantIdentity, ComplaintSecret, IdentityVault, Sealed, VaultError, VaultFuture,
};
use crate::services::DomainServices;
use crate::settings::{Field, ResponseWindow};
pub(super) use crate::testing::fixtures::{
    at, campaign, code, date, evidence_ref, officer, person, replay, text, unit,
};
pub(super) use crate::testing::{without_campaigns, MemoryVault};
use crate::values::{ComplaintId, EvidenceRef, PersonId, TaskForceId};
use crate::{Command, Stamp};

// ---- fixtures ----

pub(super) struct BrokenVault;
impl IdentityVault for BrokenVault {
    fn seal<'a>(
        &'a self,
        _subject: &'a str,
        _secret: &'a ComplaintSecret,
    ) -> VaultFuture<'a, Sealed> {
        Box::pin(async { Err(VaultError("key store unreachable".into())) })
    }
    fn erase<'a>(&'a self, _key_ref: &'a str) -> VaultFuture<'a, ()> {
        Box::pin(async { Err(VaultError("key store unreachable".into())) })
    }
}

/// The officer of the education bureau, the first receiver and (for school meals) the
/// responder of the complaints in these tests.
pub(super) fn directory() -> StaticDirectory {
    StaticDirectory::default()
        .with_member(unit("county-education-bureau"), officer())
        .with_member(unit("no1-primary-school"), person("school-officer"))
        .with_member(
            unit("county-healthcare-security-bureau"),
            person("healthcare-officer"),
        )
        .with_member(unit("market-regulation"), person("market-officer"))
}

/// `body` sent by `actor` at `when`.
pub(super) fn cmd_by(actor: &str, when: &str, body: ComplaintCommand) -> Command<ComplaintCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: person(actor),
        },
        body,
    )
}

pub(super) fn services() -> (DomainServices, MemoryVault) {
    crate::testing::services(directory())
}

/// Who sends `body` in these tests: the schedule records a missed response; the bureau's
/// officer does everything else.
pub(super) fn actor_for(body: &ComplaintCommand) -> PersonId {
    match body {
        ComplaintCommand::RecordResponseMissed => person("schedule:responses"),
        _ => officer(),
    }
}

pub(super) fn framework() -> TestFramework<Complaint> {
    TestFramework::with(services().0)
}

/// Tuesday 2026-03-10, 10:00 Beijing time.
pub(super) const RECEIVED: &str = "2026-03-10T02:00:00Z";
/// 24 hours later.
pub(super) const MEAL_DUE: &str = "2026-03-11T02:00:00Z";

pub(super) fn complaint_id() -> ComplaintId {
    ComplaintId::parse("cmp-1").expect("id")
}

pub(super) fn cmd_at(when: &str, body: ComplaintCommand) -> Command<ComplaintCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: actor_for(&body),
        },
        body,
    )
}

pub(super) fn cmd(body: ComplaintCommand) -> Command<ComplaintCommand> {
    cmd_at("2026-03-10T06:00:00Z", body)
}

pub(super) fn photo() -> EvidenceRef {
    evidence_ref("午餐照片.jpg", "image/jpeg", "oss://evidence/cmp-1/1.jpg")
}

pub(super) const NAME: &str = "王小明";
pub(super) const CONTACT: &str = "13800138000";

pub(super) fn identity() -> ComplainantIdentity {
    ComplainantIdentity {
        name: NAME.into(),
        contact: CONTACT.into(),
    }
}

pub(super) fn receive(field: Field, complainant: Option<ComplainantIdentity>) -> ComplaintCommand {
    ComplaintCommand::Receive {
        complaint: complaint_id(),
        campaign: campaign(),
        channel: Channel::SchoolMealApp,
        field,
        summary: text(SUMMARY),
        content: text(CONTENT),
        attachments: vec![photo()],
        receiving_unit: unit("county-education-bureau"),
        complainant,
    }
}

/// The receiver's redacted summary, readable.
pub(super) const SUMMARY: &str = "反映学校食堂供餐分量问题";
/// The complainant's own words, sealed: they name the child's class.
pub(super) const CONTENT: &str = "我家孩子在三年级二班，食堂饭菜分量不足";

/// What [`MemoryVault`] returns for the complaint's secret.
pub(super) fn sealed() -> Sealed {
    Sealed {
        key_ref: "key:cmp-1".into(),
        ciphertext: "sealed:9".into(),
    }
}

/// An anonymous school-meal complaint received at [`RECEIVED`].
pub(super) fn received() -> ComplaintEvent {
    ComplaintEvent::Received {
        complaint: complaint_id(),
        campaign: campaign(),
        channel: Channel::SchoolMealApp,
        field: Field::SchoolMeals,
        task_force: Some(xiaoyuan()),
        summary: text(SUMMARY),
        receiving_unit: unit("county-education-bureau"),
        responder: unit("county-education-bureau"),
        anonymous: true,
        sealed: sealed(),
        by: officer(),
        at: at(RECEIVED),
        response_window: ResponseWindow::Hours(24),
        response_due: at(MEAL_DUE),
        calendar_unknown: false,
    }
}

/// The school-meal task force (校园餐专班) of the test campaign.
pub(super) fn xiaoyuan() -> TaskForceId {
    TaskForceId::parse("xiaoyuan").expect("id")
}

/// The same complaint with a sealed identity.
pub(super) fn received_named() -> ComplaintEvent {
    let mut event = received();
    if let ComplaintEvent::Received { anonymous, .. } = &mut event {
        *anonymous = false;
    }
    event
}

pub(super) fn responded(when: &str, within_deadline: bool) -> ComplaintEvent {
    ComplaintEvent::Responded {
        unit: unit("county-education-bureau"),
        response: text("已约谈学校负责人"),
        by: officer(),
        at: at(when),
        within_deadline,
    }
}

pub(super) fn missed() -> ComplaintEvent {
    ComplaintEvent::ResponseMissed {
        response_due: at(MEAL_DUE),
        calendar_unknown: false,
        by: person("schedule:responses"),
        at: at(MEAL_DUE),
    }
}

pub(super) fn transferred(from: &str, to: &str) -> ComplaintEvent {
    ComplaintEvent::Transferred {
        from: unit(from),
        to: unit(to),
        reason: text("属市场监管职责"),
        by: officer(),
        at: at("2026-03-10T03:00:00Z"),
    }
}

pub(super) fn unsubstantiated() -> Resolution {
    Resolution::Unsubstantiated {
        reason: text("经核查分量符合标准"),
    }
}

pub(super) fn resolved() -> ComplaintEvent {
    ComplaintEvent::Resolved {
        resolution: unsubstantiated(),
        by: officer(),
        at: at("2026-03-10T05:00:00Z"),
    }
}

pub(super) fn closed() -> ComplaintEvent {
    ComplaintEvent::Closed {
        by: officer(),
        at: at("2026-03-10T05:30:00Z"),
    }
}

pub(super) fn invalid(state: &'static str, request: &'static str) -> ComplaintError {
    ComplaintError::InvalidTransition { state, request }
}

/// Receives the named school-meal complaint through the aggregate with `services`, so that
/// their vault holds the key; the events written.
pub(super) fn receive_named(services: &DomainServices) -> Vec<ComplaintEvent> {
    TestFramework::<Complaint>::with(services.clone())
        .given_no_previous_events()
        .when(cmd_at(
            RECEIVED,
            receive(Field::SchoolMeals, Some(identity())),
        ))
        .inspect_result()
        .expect("received")
}

/// What [`BrokenVault`] makes of every command that needs it.
pub(super) fn vault_down() -> ComplaintError {
    ComplaintError::Unavailable(PortUnavailable {
        port: "identity_vault",
        reason: "key store unreachable".into(),
    })
}

pub(super) fn fold(events: Vec<ComplaintEvent>) -> Complaint {
    replay(events)
}
