//! Fixtures shared by the alert tests: an alert on the county hospital received Tuesday
//! 2026-03-10 10:00 local, due for triage by Friday 13 24:00 local (3 working days).

use cqrs_es::test::TestFramework;

use crate::alert::*;
use crate::testing::default_services;
pub(super) use crate::testing::fixtures::{at, campaign, code, person, text, unit};
use crate::values::{AlertId, AlertRef, PersonId, Yuan};
use crate::{Command, Stamp};

pub(super) fn framework() -> TestFramework<Alert> {
    TestFramework::with(default_services())
}

/// The platform's integrator.
pub(super) fn platform() -> PersonId {
    person("medical_insurance_platform-app")
}

pub(super) fn sec() -> PersonId {
    person("sec-yibao")
}

pub(super) fn schedule() -> PersonId {
    person("schedule:alert-triage")
}

pub(super) fn reference() -> AlertRef {
    AlertRef::parse("YBJK-2026-000123").expect("valid reference")
}

pub(super) fn this_alert() -> AlertId {
    AlertId::of_reference(&reference())
}

/// Tuesday 2026-03-10, 10:00 Beijing time.
pub(super) const RECEIVED: &str = "2026-03-10T02:00:00Z";
/// Wednesday, Thursday, Friday: Friday 2026-03-13 24:00 Beijing time.
pub(super) const DUE: &str = "2026-03-13T16:00:00Z";

pub(super) fn push() -> AlertPush {
    AlertPush {
        alert: this_alert(),
        reference: reference(),
        campaign: campaign(),
        subject: unit("county-hospital"),
        summary: text("同一参保人30天内重复住院5次，疑似挂床住院"),
        amount_involved: Yuan::parse("38650.50").expect("amount"),
        raised_at: at("2026-03-10T01:30:00Z"),
    }
}

pub(super) fn cmd_at(when: &str, actor: PersonId, body: AlertCommand) -> Command<AlertCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor,
        },
        body,
    )
}

pub(super) fn received() -> AlertEvent {
    AlertEvent::Received {
        alert: this_alert(),
        reference: reference(),
        campaign: campaign(),
        subject: unit("county-hospital"),
        summary: text("同一参保人30天内重复住院5次，疑似挂床住院"),
        amount_involved: Yuan::parse("38650.50").expect("amount"),
        raised_at: at("2026-03-10T01:30:00Z"),
        by: platform(),
        at: at(RECEIVED),
        triage_working_days: 3,
        triage_due: at(DUE),
        calendar_unknown: false,
    }
}

pub(super) fn to_item() -> Triage {
    Triage::EscalatedToItem {
        code: code("YB-2026-0012"),
    }
}

pub(super) fn triaged(when: &str, triage: Triage, late: bool) -> AlertEvent {
    AlertEvent::Triaged {
        triage,
        late,
        triage_due: at(DUE),
        by: sec(),
        at: at(when),
    }
}

pub(super) fn missed(when: &str, by: PersonId) -> AlertEvent {
    AlertEvent::TriageMissed {
        triage_due: at(DUE),
        calendar_unknown: false,
        by,
        at: at(when),
    }
}

pub(super) fn invalid(state: &'static str, request: &'static str) -> AlertError {
    AlertError::InvalidTransition { state, request }
}

pub(super) fn fold(events: Vec<AlertEvent>) -> Alert {
    crate::testing::fixtures::replay(events)
}
