//! The memory's judgements: the earlier admonishment within the window, and open cases.

use chrono::Duration;
use rectiflow_domain::testing::fixtures::local;

use super::{Admonished, Case, Memory, Remembered};

fn admonished(id: &str, unit: &str, rests_on: chrono::DateTime<chrono::Utc>) -> Admonished {
    Admonished {
        admonishment: id.into(),
        unit: unit.into(),
        campaign: "qunfu-2026".into(),
        rests_on,
        items: Vec::new(),
        withdrawn: false,
    }
}

#[test]
fn the_earlier_admonishment_is_the_latest_within_the_window() {
    let may = local(2026, 6, 1, 0, 0);
    let mut memory = Memory::default();
    for fact in [
        admonished("old", "u", may - Duration::days(183)),
        admonished("edge", "u", may - Duration::days(182)),
        admonished("april", "u", local(2026, 5, 1, 0, 0)),
        admonished("other-unit", "v", local(2026, 5, 20, 0, 0)),
        admonished("same-cut-off", "u", may),
    ] {
        memory.remember(Remembered::Admonished(fact));
    }
    let later = admonished("may", "u", may);
    let found = |m: &Memory| {
        m.earlier_within(&later, 182)
            .map(|a| a.admonishment.clone())
    };
    assert_eq!(found(&memory).as_deref(), Some("april"));
    // Withdrawn, it counts for nothing: the one at exactly 182 days is next.
    memory.remember(Remembered::AdmonishmentWithdrawn("april".into()));
    assert_eq!(found(&memory).as_deref(), Some("edge"));
    memory.remember(Remembered::AdmonishmentWithdrawn("edge".into()));
    assert_eq!(found(&memory), None, "183 days is outside the window");
}

#[test]
fn a_case_is_open_until_decided_or_withdrawn() {
    let mut memory = Memory::default();
    memory.remember(Remembered::CaseProposed(Case {
        case: "accountability~dr-wang~x".into(),
        person: "dr-wang".into(),
        open: true,
    }));
    assert!(memory.has_open_case("dr-wang"));
    assert!(!memory.has_open_case("hosp-liu"));
    memory.remember(Remembered::CaseEnded("accountability~dr-wang~x".into()));
    assert!(!memory.has_open_case("dr-wang"));
}
