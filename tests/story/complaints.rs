//! Complaints: one answered in time, one answered late, and a complainant's identity sealed on
//! receipt and later erased.

use rectiflow_domain::complaint::{
    Channel, Complaint, ComplaintCommand, ComplaintEvent, SecretState,
};
use rectiflow_domain::identity::ComplainantIdentity;
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::ComplaintId;
use rectiflow_tests::{shanghai, unit};

use crate::world::{campaign_id, evidence, text, World, COMPLAINANT, MEAL_COMPLAINT, PHONE};
use rectiflow_tests::Store;

const A: &str = "cmp-2026-0001";
const B: &str = "cmp-2026-0002";

/// Complaint A (school meals, identity given) is answered within 24 hours; complaint B (elderly
/// care, anonymous, 3 working days from a Friday) is recorded as missed only once its deadline
/// has passed, and its answer counts as late.
pub async fn complaints_are_answered_in_time_and_late<S: Store>(w: &World<S>) {
    let received = w
        .at(shanghai(2026, 3, 2, 9, 0))
        .ok::<Complaint, _>(
            "meal-app",
            A,
            ComplaintCommand::Receive {
                complaint: ComplaintId::parse(A).expect("a valid ComplaintId"),
                campaign: campaign_id(),
                channel: Channel::SchoolMealApp,
                field: Field::SchoolMeals,
                summary: text("反映学校午餐分量不足"),
                content: text(MEAL_COMPLAINT),
                attachments: vec![evidence("lunch-photo")],
                receiving_unit: unit("edu-bureau"),
                complainant: Some(ComplainantIdentity {
                    name: COMPLAINANT.into(),
                    contact: PHONE.into(),
                }),
            },
        )
        .await;
    let sealed = match &received.events[0].event {
        ComplaintEvent::Received { sealed, .. } => sealed.clone(),
        other => panic!("expected Received, got {other:?}"),
    };
    w.sealed
        .set(sealed)
        .expect("complaint A is received once in the story");
    let responded = w
        .at(shanghai(2026, 3, 2, 14, 0))
        .ok::<Complaint, _>(
            "edu-liu",
            A,
            ComplaintCommand::Respond {
                response: text("已责令学校整改并约谈供餐企业"),
            },
        )
        .await;
    assert!(matches!(
        responded.events[0].event,
        ComplaintEvent::Responded {
            within_deadline: true,
            ..
        }
    ));

    w.at(shanghai(2026, 3, 6, 10, 0))
        .ok::<Complaint, _>(
            "intake",
            B,
            ComplaintCommand::Receive {
                complaint: ComplaintId::parse(B).expect("a valid ComplaintId"),
                campaign: campaign_id(),
                channel: Channel::Hotline,
                field: Field::ElderlyCare,
                summary: text("反映养老机构虚报入住人数"),
                content: text("养老院虚报入住人数"),
                attachments: vec![],
                receiving_unit: unit("civil-affairs"),
                complainant: None,
            },
        )
        .await;
    // Due by 24:00 of Wednesday the 11th: still in time late on the 11th…
    let early = w
        .at(shanghai(2026, 3, 11, 23, 0))
        .refused::<Complaint, _>(
            "schedule:responses",
            B,
            ComplaintCommand::RecordResponseMissed,
        )
        .await;
    assert_eq!(early.code(), "complaint.response_not_yet_due");
    // …missed on the 12th.
    w.at(shanghai(2026, 3, 12, 9, 0))
        .ok::<Complaint, _>(
            "schedule:responses",
            B,
            ComplaintCommand::RecordResponseMissed,
        )
        .await;
    let late = w
        .ok::<Complaint, _>(
            "ca-zhou",
            B,
            ComplaintCommand::Respond {
                response: text("已核查，正在追回补贴"),
            },
        )
        .await;
    assert!(matches!(
        late.events[0].event,
        ComplaintEvent::Responded {
            within_deadline: false,
            ..
        }
    ));
}

/// The secretariat can open complaint A's identity until it is erased, then nobody can.
pub async fn a_sealed_identity_opens_until_it_is_erased<S: Store>(w: &World<S>) {
    let sealed = w
        .sealed
        .get()
        .expect("complaint A's identity was sealed in an earlier chapter");
    let opened = w
        .vault
        .open(sealed)
        .await
        .expect("the vault answers")
        .expect("readable before erasure");
    assert_eq!(
        opened.complainant.map(|c| c.name).as_deref(),
        Some(COMPLAINANT)
    );
    assert_eq!(opened.content, MEAL_COMPLAINT);
    w.ok::<Complaint, _>("sec-li", A, ComplaintCommand::EraseIdentity)
        .await;
    assert_eq!(
        w.vault.open(sealed).await.expect("the vault answers"),
        None,
        "crypto-shredded"
    );
    let complaint_a = w
        .exec
        .load::<Complaint>(A)
        .await
        .expect("load the complaint")
        .0;
    assert!(matches!(complaint_a.secret, SecretState::Erased { .. }));
}
