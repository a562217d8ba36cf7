//! The wire format: events round-trip, codes are stable and namespaced, ids and digests are
//! checked.

use super::fixtures::*;
use crate::event::PublicView;
use crate::publication::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_and_nothing_is_sealed() {
    let event = published(dispatch(), true, NOW);
    assert_round_trips(&event);
    let view = event.public_view().expect("view");
    assert_eq!(view["Published"]["inputs"]["digest"], "ab".repeat(32));
    assert_eq!(view["Published"]["inputs"]["position"], 4_711);
}

#[test]
fn publication_ids_are_built_from_kind_campaign_period_and_scope() {
    let id = publication_id(
        PublicationKind::Dispatch,
        &campaign(),
        "2026-03-09",
        &yibao(),
    )
    .expect("id");
    assert_eq!(
        id.as_str(),
        "dispatch~qunfu-2026~2026-03-09~task_force:yibao"
    );
    let read = StreamName::read(&id).expect("read");
    assert_eq!(read.scope, "task_force:yibao");
    assert_eq!(read.corrects(), None);
}

#[test]
fn a_chain_digest_is_64_lower_case_hex_digits() {
    assert!(ChainDigest::parse("0f".repeat(32)).is_ok());
    assert!(ChainDigest::parse("0F".repeat(32)).is_err());
    assert!(ChainDigest::parse("0f".repeat(31)).is_err());
    assert!(ChainDigest::parse(format!("sha256:{}", "0f".repeat(32))).is_err());
    assert!(serde_json::from_str::<ChainDigest>("\"xyz\"").is_err());
}

#[test]
fn error_codes_are_distinct_and_namespaced() {
    let kind = PublicationKind::Bulletin;
    let errors = [
        PublicationError::UnknownCampaign {
            campaign: campaign(),
        },
        PublicationError::AlreadyRecorded { state: "published" },
        PublicationError::WrongStream {
            named: pid(BULLETIN),
            expected: String::new(),
        },
        PublicationError::EmptyPeriod {
            start: at(NOW),
            cut_off: at(NOW),
        },
        PublicationError::PeriodMismatch { kind, needs: "x" },
        PublicationError::ScopeMismatch { kind },
        PublicationError::NominalMismatch { kind, needs: "x" },
        PublicationError::BeforeCutOff { cut_off: at(NOW) },
        PublicationError::NeverSkipped { kind },
        PublicationError::NotYetDue { due_at: at(NOW) },
        PublicationError::InsideCatchUpWindow {
            due_at: at(NOW),
            until: at(NOW),
        },
        PublicationError::CatchUpWindowPassed {
            due_at: at(NOW),
            until: at(NOW),
        },
        PublicationError::CorrectionMismatch {
            publication: pid(BULLETIN),
            corrects: pid(BULLETIN),
            expected: String::new(),
        },
        PublicationError::Figures(FiguresError::BottomNotFirstOfRanking),
    ];
    assert_codes_distinct_and_namespaced(&errors, "publication.");
}
