//! Corrections (更正): a new publication on a new stream, naming the one it corrects.

use super::fixtures::*;
use crate::publication::*;

fn correction(n: u32, corrects: &str) -> PublicationCommand {
    PublicationCommand::Correct {
        correction: Publish {
            publication: pid(&format!("{BULLETIN}~correction-{n}")),
            ..bulletin()
        },
        corrects: pid(corrects),
        reason: text("township-b 的一项逾期已于 3 月 20 日容错免责"),
    }
}

fn corrected(n: u32, corrects: &str, when: &str) -> PublicationEvent {
    let PublicationEvent::Published {
        publication: _,
        kind,
        campaign,
        scope,
        period,
        due_at,
        calendar_unknown,
        rhythm,
        nominal,
        inputs,
        mitigation_factor,
        rules,
        figures,
        ..
    } = published(bulletin(), false, when)
    else {
        unreachable!("published() makes a Published event")
    };
    PublicationEvent::Published {
        publication: pid(&format!("{BULLETIN}~correction-{n}")),
        kind,
        campaign,
        scope,
        period,
        due_at,
        calendar_unknown,
        rhythm,
        nominal,
        late: false,
        inputs,
        mitigation_factor,
        rules,
        figures,
        correction: Some(Correction {
            corrects: pid(corrects),
            reason: text("township-b 的一项逾期已于 3 月 20 日容错免责"),
        }),
        by: secretariat(),
        at: at(when),
    }
}

#[test]
fn a_correction_is_published_on_its_own_stream_naming_the_corrected_one() {
    // A week late, and still not "late": a correction never falls due.
    let when = "2026-04-08T02:00:00Z";
    framework()
        .given_no_previous_events()
        .when(cmd_at(when, correction(1, BULLETIN)))
        .then_expect_events(vec![corrected(1, BULLETIN, when)]);
    let second = format!("{BULLETIN}~correction-1");
    framework()
        .given_no_previous_events()
        .when(cmd_at(when, correction(2, &second)))
        .then_expect_events(vec![corrected(2, &second, when)]);
}

#[test]
fn a_correction_corrects_the_one_before_it() {
    framework()
        .given_no_previous_events()
        .when(cmd(correction(2, BULLETIN)))
        .then_expect_error(PublicationError::CorrectionMismatch {
            publication: pid(&format!("{BULLETIN}~correction-2")),
            corrects: pid(BULLETIN),
            expected: format!("{BULLETIN}~correction-1"),
        });
}

#[test]
fn a_correction_is_of_the_same_kind_period_and_scope() {
    // February's bulletin cannot be corrected with March's figures on March's stream.
    let other_period = PublicationCommand::Correct {
        correction: Publish {
            publication: pid("bulletin~qunfu-2026~2026-02~county~correction-1"),
            ..bulletin()
        },
        corrects: pid("bulletin~qunfu-2026~2026-02~county"),
        reason: text("r"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(other_period))
        .then_expect_error(PublicationError::WrongStream {
            named: pid("bulletin~qunfu-2026~2026-02~county~correction-1"),
            expected: format!("{BULLETIN}~correction-n"),
        });
    // Nor on the original's stream.
    let on_original = PublicationCommand::Correct {
        correction: bulletin(),
        corrects: pid(BULLETIN),
        reason: text("r"),
    };
    let result = framework()
        .given_no_previous_events()
        .when(cmd(on_original))
        .inspect_result();
    assert!(matches!(result, Err(PublicationError::WrongStream { .. })));
}

#[test]
fn a_correction_is_itself_never_changed() {
    framework()
        .given(vec![corrected(1, BULLETIN, NOW)])
        .when(cmd(correction(1, BULLETIN)))
        .then_expect_error(PublicationError::AlreadyRecorded { state: "published" });
}

#[test]
fn correction_ids_read_back() {
    let original = pid(BULLETIN);
    let first = correction_id(&original, 1).expect("id");
    let name = StreamName::read(&first).expect("a publication id");
    assert_eq!(name.kind, PublicationKind::Bulletin);
    assert_eq!(name.correction, 1);
    assert_eq!(name.corrects().as_deref(), Some(BULLETIN));
    for bad in [
        "bulletin~qunfu-2026~2026-03",
        "report~qunfu-2026~2026-03~county",
        "bulletin~qunfu-2026~2026-03~county~correction-0",
        "bulletin~qunfu-2026~2026-03~county~correction-01",
        "bulletin~qunfu-2026~2026-03~somewhere",
    ] {
        assert_eq!(StreamName::read(&pid(bad)), None, "{bad}");
    }
}
