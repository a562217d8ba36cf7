//! Accountability (问责) from a second admonishment: the secretariat admonishes the county
//! hospital by hand after the March bulletin and holds the talk with its head; three more of
//! the hospital's items go overdue in April; the April bulletin ranks it and names it, and the
//! policy admonishes it at that bulletin; a second admonishment within 182 days, the policy
//! proposes accountability of the hospital's head (and of the responsible person of the
//! overdue items), and discipline inspection decides the head's case.

use rectiflow_domain::accountability::{
    occasion_id, Accountability, AccountabilityCommand, AccountabilityEvent, AccountabilityStatus,
    AdmonishmentBasis, Ground, Outcome, Proposal, Role as AccountableAs,
};
use rectiflow_domain::admonishment::{
    admonishment_id, Admonishment, AdmonishmentCommand, AdmonishmentEvent, AdmonishmentStatus,
    Basis, Finding, PublicationRef,
};
use rectiflow_domain::item::{Item, ItemCommand, ItemEvent, ItemSource};
use rectiflow_domain::publication::{
    OverdueCount, Publication, PublicationCommand, PublicationEvent, PublicationKind,
    PublicationScope,
};
use rectiflow_domain::values::{AdmonishmentId, ItemCode, Uri};
use rectiflow_tests::{person, shanghai, unit, Store};

use crate::publications::{april_figures, bulletin, pid, APRIL, FACTOR, MARCH, SCHEDULE};
use crate::world::{assign, campaign_id, register, text, World};

/// The secretariat's own admonishment of the county hospital, after the March bulletin.
pub const FIRST: &str = "adm-2026-0001";
/// The policy's admonishment of the county hospital at the April bulletin.
pub const SECOND: &str = "bulletin~qunfu-2026~2026-04~county~county-hospital";
/// The case against the hospital's head on the occasion of the second admonishment.
pub const CASE: &str = "accountability~hosp-liu~bulletin~qunfu-2026~2026-04~county~county-hospital";
/// The case against the responsible person of the overdue items in its evidence.
pub const RESPONSIBLE_CASE: &str =
    "accountability~dr-wang~bulletin~qunfu-2026~2026-04~county~county-hospital";

const POLICY: &str = "policy:admonishment";
const REPEATED: &str = "policy:repeated-admonishment";
const APRIL_ITEMS: [&str; 3] = ["YB-2026-0004", "YB-2026-0005", "YB-2026-0006"];

fn code(code: &str) -> ItemCode {
    ItemCode::parse(code).expect("a valid ItemCode")
}

fn adm(id: &str) -> AdmonishmentId {
    AdmonishmentId::parse(id).expect("a valid AdmonishmentId")
}

fn county_bulletin(id: &str, month: u32) -> PublicationRef {
    PublicationRef {
        publication: pid(id),
        kind: PublicationKind::Bulletin,
        scope: PublicationScope::County,
        cut_off: shanghai(2026, month + 1, 1, 0, 0),
    }
}

fn overdue_items(overdue: OverdueCount) -> Finding {
    Finding::OverdueItems {
        overdue,
        mitigation_factor: FACTOR,
    }
}

pub async fn a_second_admonishment_proposes_accountability_of_the_unit_head<S: Store>(
    w: &World<S>,
) {
    let hospital = unit("county-hospital");

    // At the March bulletin the hospital's only overdue item was exempted: the policy's
    // overdue rule cannot fire on it (it counts 0 against a threshold of 3)…
    let march = county_bulletin(MARCH, 3);
    let below = w
        .at(shanghai(2026, 4, 2, 9, 0))
        .refused::<Admonishment, _>(
            POLICY,
            &format!("{MARCH}~county-hospital"),
            AdmonishmentCommand::Trigger {
                admonishment: admonishment_id(&pid(MARCH), &hospital).expect("an id"),
                campaign: campaign_id(),
                unit: hospital.clone(),
                publication: march.clone(),
                findings: vec![overdue_items(OverdueCount::new(0, 0, 1, FACTOR))],
                items: vec![code("YB-2026-0002")],
                reasons: vec![text("逾期事项")],
            },
        )
        .await;
    assert_eq!(below.code(), "admonishment.below_threshold", "{below:?}");

    // …so the secretariat admonishes it by hand, naming the bulletin, and holds the talk with
    // the head.
    let first = w
        .at(shanghai(2026, 4, 2, 10, 0))
        .ok::<Admonishment, _>(
            "sec-li",
            FIRST,
            AdmonishmentCommand::TriggerManually {
                admonishment: adm(FIRST),
                campaign: campaign_id(),
                unit: hospital.clone(),
                publication: Some(march.clone()),
                items: vec![code("YB-2026-0001"), code("YB-2026-0002")],
                reasons: vec![text("挂床住院、超量售药问题集中，整改进度滞后")],
            },
        )
        .await;
    assert!(matches!(
        &first.events[0].event,
        AdmonishmentEvent::Triggered { basis: Basis::Manual { publication: Some(named) }, .. }
            if *named == march
    ));
    w.at(shanghai(2026, 4, 3, 9, 0))
        .ok::<Admonishment, _>(
            "sec-li",
            FIRST,
            AdmonishmentCommand::Schedule {
                when: shanghai(2026, 4, 8, 15, 0),
                place: text("专班办公室会议室"),
                conducted_by: vec![person("sec-li")],
            },
        )
        .await;
    w.at(shanghai(2026, 4, 8, 16, 0))
        .ok::<Admonishment, _>(
            "sec-li",
            FIRST,
            AdmonishmentCommand::RecordHeld {
                attendees: vec![person("hosp-liu"), person("sec-li")],
                minutes: Uri::parse("oss://minutes/2026/adm-2026-0001.pdf").expect("a valid Uri"),
            },
        )
        .await;
    let (first_state, _) = w
        .exec
        .load::<Admonishment>(FIRST)
        .await
        .expect("load the admonishment");
    assert_eq!(first_state.status, AdmonishmentStatus::Held);
    let first_instant = first_state.window_instant().expect("triggered");
    assert_eq!(
        first_instant,
        shanghai(2026, 4, 2, 10, 0),
        "manual: its trigger"
    );

    // April: three more of the hospital's items, due on the 20th, go overdue on the 21st.
    for (code_of, title) in
        APRIL_ITEMS
            .into_iter()
            .zip(["门诊串换诊疗项目", "住院过度检查", "虚构康复理疗服务"])
    {
        w.at(shanghai(2026, 4, 2, 11, 0))
            .ok::<Item, _>(
                "sec-li",
                code_of,
                register(code_of, title, ItemSource::Inspection),
            )
            .await;
        w.ok::<Item, _>(
            "sec-li",
            code_of,
            assign("county-hospital", "dr-wang", "2026-04-20"),
        )
        .await;
        w.at(shanghai(2026, 4, 3, 10, 0))
            .ok::<Item, _>("dr-wang", code_of, ItemCommand::Acknowledge)
            .await;
        let overdue = w
            .at(shanghai(2026, 4, 21, 9, 0))
            .ok::<Item, _>("schedule:deadlines", code_of, ItemCommand::RecordOverdue)
            .await;
        assert!(matches!(
            overdue.events[0].event,
            ItemEvent::ItemBecameOverdue { effective_at, .. }
                if effective_at == shanghai(2026, 4, 21, 0, 0)
        ));
        assert!(!w.item(code_of).await.is_exempt());
    }

    // Wednesday 6 May, 09:00 — the first working day after the Labour Day holiday: the April
    // bulletin ranks the hospital first and names it.
    w.at(shanghai(2026, 5, 6, 9, 0));
    let inputs = w.log_point().await;
    let april = bulletin(4, inputs.clone(), april_figures());
    assert_eq!(april.publication.as_str(), APRIL);
    let published = w
        .ok::<Publication, _>(SCHEDULE, APRIL, PublicationCommand::Publish(april))
        .await;
    assert!(matches!(
        &published.events[0].event,
        PublicationEvent::Published { late: false, due_at, inputs: recorded, figures, .. }
            if *due_at == shanghai(2026, 5, 6, 9, 0)
                && *recorded == inputs
                && figures.named == vec![hospital.clone()]
    ));

    // The policy admonishes it at that bulletin: 3 overdue in full (and 1 exempted, shown).
    let april_ref = county_bulletin(APRIL, 4);
    let second_id = admonishment_id(&pid(APRIL), &hospital).expect("an id");
    assert_eq!(second_id.as_str(), SECOND);
    let trigger = AdmonishmentCommand::Trigger {
        admonishment: second_id.clone(),
        campaign: campaign_id(),
        unit: hospital.clone(),
        publication: april_ref.clone(),
        findings: vec![overdue_items(OverdueCount::new(3, 0, 1, FACTOR))],
        items: APRIL_ITEMS.into_iter().map(code).collect(),
        reasons: vec![text("4 月通报逾期事项 3 项，达到约谈提醒标准")],
    };
    let second = w
        .at(shanghai(2026, 5, 6, 9, 5))
        .ok::<Admonishment, _>(POLICY, SECOND, trigger.clone())
        .await;
    match &second.events[0].event {
        AdmonishmentEvent::Triggered {
            basis:
                Basis::Policy {
                    publication,
                    findings,
                    rules_in_force,
                    grades_in_force,
                },
            items,
            by,
            ..
        } => {
            assert_eq!(*publication, april_ref);
            assert_eq!(findings.len(), 1);
            assert_eq!(rules_in_force.overdue_items_threshold, 3);
            // No failed-assessment finding: no grade thresholds were read.
            assert!(grades_in_force.is_none());
            assert_eq!(items.len(), 3);
            assert_eq!(by.as_str(), POLICY);
        }
        other => panic!("expected a policy Triggered, got {other:?}"),
    }
    // One admonishment per publication and unit: a retried policy lands on the same stream.
    let twice = w.refused::<Admonishment, _>(POLICY, SECOND, trigger).await;
    assert_eq!(twice.code(), "admonishment.invalid_transition", "{twice:?}");

    // A second admonishment 29 days after the first (between the first's trigger and the
    // April cut-off): the policy proposes accountability of the unit head.
    let second_instant = w
        .exec
        .load::<Admonishment>(SECOND)
        .await
        .expect("load the admonishment")
        .0
        .window_instant()
        .expect("triggered");
    assert_eq!(
        second_instant,
        shanghai(2026, 5, 1, 0, 0),
        "policy: the cut-off"
    );
    let case = occasion_id(&person("hosp-liu"), &second_id);
    assert_eq!(case.as_str(), CASE);
    let repeated = |role| Ground::RepeatedAdmonishment {
        earlier: AdmonishmentBasis {
            admonishment: adm(FIRST),
            cut_off: first_instant,
        },
        later: AdmonishmentBasis {
            admonishment: second_id.clone(),
            cut_off: second_instant,
        },
        role,
    };
    let propose = AccountabilityCommand::Propose(Proposal {
        case: case.clone(),
        campaign: campaign_id(),
        person: person("hosp-liu"),
        unit: hospital.clone(),
        grounds: vec![repeated(AccountableAs::UnitHead)],
    });
    let proposed = w
        .at(shanghai(2026, 5, 6, 9, 10))
        .ok::<Accountability, _>(REPEATED, CASE, propose.clone())
        .await;
    assert!(matches!(
        &proposed.events[0].event,
        AccountabilityEvent::Proposed { person: p, unit: u, referral_window_days: Some(182), by, .. }
            if p.as_str() == "hosp-liu" && *u == hospital && by.as_str() == REPEATED
    ));
    // And of the responsible person of the overdue items in the evidence, on a case of their
    // own (left open: it awaits discipline inspection).
    let responsible = occasion_id(&person("dr-wang"), &second_id);
    assert_eq!(responsible.as_str(), RESPONSIBLE_CASE);
    w.ok::<Accountability, _>(
        REPEATED,
        RESPONSIBLE_CASE,
        AccountabilityCommand::Propose(Proposal {
            case: responsible,
            campaign: campaign_id(),
            person: person("dr-wang"),
            unit: hospital.clone(),
            grounds: vec![repeated(AccountableAs::ResponsiblePerson {
                items: APRIL_ITEMS.into_iter().map(code).collect(),
            })],
        }),
    )
    .await;
    let (open, _) = w
        .exec
        .load::<Accountability>(RESPONSIBLE_CASE)
        .await
        .expect("load the case");
    assert!(open.is_open());
    // One case per person and occasion: a second proposal on it is refused.
    let again = w
        .refused::<Accountability, _>(REPEATED, CASE, propose)
        .await;
    assert_eq!(
        again.code(),
        "accountability.invalid_transition",
        "{again:?}"
    );

    // Deciding is discipline inspection's, not a secretariat's.
    let decide = AccountabilityCommand::Decide {
        outcome: Outcome::AdmonishingTalk,
        reasons: vec![text("两次约谈后逾期问题仍未整改，负主要领导责任")],
        fault_tolerance: None,
    };
    let forbidden = w
        .at(shanghai(2026, 5, 8, 9, 0))
        .refused::<Accountability, _>("sec-li", CASE, decide.clone())
        .await;
    assert_eq!(
        forbidden.code(),
        "accountability.forbidden",
        "{forbidden:?}"
    );
    let decided = w
        .at(shanghai(2026, 5, 20, 10, 0))
        .ok::<Accountability, _>("jw-he", CASE, decide)
        .await;
    assert!(matches!(
        &decided.events[0].event,
        AccountabilityEvent::Decided {
            outcome: Outcome::AdmonishingTalk,
            fault_tolerance: None,
            deducts: true,
            ..
        }
    ));
    let (held, _) = w
        .exec
        .load::<Accountability>(CASE)
        .await
        .expect("load the case");
    assert_eq!(held.status, AccountabilityStatus::Decided);
    assert!(held.deducts(), "诫勉谈话 deducts from the hospital");
    assert_eq!(
        held.charged_unit().map(|u| u.as_str()),
        Some("county-hospital")
    );
}
