//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::failure::DomainError;
use crate::item::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_through_json_and_name_their_type() {
    let mut all = closed();
    all.extend([
        reopened(),
        overdue(),
        extension_requested(),
        extension_approved(),
    ]);
    for event in all {
        assert_round_trips(&event);
    }
    let item = fold(&closed());
    let json = serde_json::to_string(&item).expect("snapshot serialises");
    let back: Item = serde_json::from_str(&json).expect("snapshot deserialises");
    assert_eq!(back, item);
}

#[test]
fn error_codes_are_stable_and_dotted() {
    let e = ItemError::InvalidTransition {
        state: ItemState::Closed,
        request: ItemRequest::Withdraw,
    };
    assert_eq!(e.code(), "item.invalid_transition");
    assert_eq!(e.to_string(), "问题处于“已销号”状态，不能撤销");
    // The refusal users read names states, requests, elements, episodes and parties in
    // Chinese; the values stay as they are.
    assert_eq!(
        ItemError::SegregationOfDuties {
            actor: zhang(),
            request: ItemRequest::VerifySignOff,
        }
        .to_string(),
        "zhang-san 是该问题的责任人或责任单位工作人员，按职责分离要求不得核验销号"
    );
    assert_eq!(
        ItemError::IncompleteSignOff {
            missing: vec![SignOffElement::Result, SignOffElement::Evidence],
        }
        .to_string(),
        "销号申请缺少成效、佐证，须具备问题—措施—成效—佐证四要素"
    );
    assert_eq!(
        ItemError::EpisodeAlreadyRuled {
            episode: Episode::Deadline { number: 2 },
        }
        .to_string(),
        "第 2 个整改时限已作出容错认定，不得重复认定"
    );
    assert_eq!(
        ItemError::Forbidden {
            actor: li(),
            request: ItemRequest::RequestSignOff,
            needs: crate::permission::Party::SignatoryOf {
                unit: responsible_unit(),
                person: zhang(),
            }
            .or(crate::permission::Party::secretariat(&yibao())),
        }
        .to_string(),
        "li-si 无权申请销号，须由责任人 zhang-san 或单位 yibao-ju 的一把手\
         或专班 yibao 的专班办公室办理"
    );
    assert_eq!(
        ItemError::SegregationOfDuties {
            actor: zhang(),
            request: ItemRequest::VerifySignOff
        }
        .code(),
        "item.segregation_of_duties"
    );
    assert_eq!(
        ItemError::IncompleteSignOff { missing: vec![] }.code(),
        "item.incomplete_sign_off"
    );
    // Every item error is a refusal by the rules: none is a port's failure.
    assert_eq!(DomainError::unavailable(&e), None);
    assert_codes_distinct_and_namespaced(
        &[
            e,
            ItemError::ReasonsRequired,
            ItemError::RulingNotApplicable {
                episode: Episode::Deadline { number: 1 },
            },
            ItemError::EpisodeAlreadyRuled {
                episode: Episode::Relapse { number: 1 },
            },
            ItemError::NotExcusable,
            ItemError::SameAssignment {
                unit: unit("a"),
                person: person("b"),
            },
        ],
        "item.",
    );
}
