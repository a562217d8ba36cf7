//! A care home (养老机构) loses its licence: civil affairs inspects and scores it, orders it to
//! rectify a violation tracked by an item of the issue list, finds the rectification failed
//! once the deadline has passed, revokes the licence by an explicit decision and puts the home
//! on the blacklist. Revocation is civil affairs', never a secretariat's.

use rectiflow_domain::item::{AssignItem, Item, ItemCommand, ItemSource, RegisterItem, Severity};
use rectiflow_domain::registry::care_home::{
    CareHome, CareHomeCommand, CareHomeEvent, CareHomeStatus, DimensionScores, RectificationOutcome,
};
use rectiflow_domain::values::{Deadline, ItemCode, Score, TaskForceId};
use rectiflow_tests::{person, shanghai, unit, Store};

use crate::world::{campaign_id, text, World};

/// The care home's stream: the home itself (a unit of the organisation).
pub const HOME: &str = "kangle-care-home";
const ITEM: &str = "YL-2026-0001";

fn deadline(date: &str) -> Deadline {
    Deadline::parse(date).expect("a valid Deadline")
}

fn score(value: f64) -> Score {
    Score::parse(value).expect("a valid Score")
}

pub async fn a_care_home_loses_its_licence_and_is_blacklisted<S: Store>(w: &World<S>) {
    let civil = |body| w.ok::<CareHome, _>("ca-zhou", HOME, body);

    // Monday 11 May: inspected and scored — (66 + 48 + 60) / 3 = 58 under equal weights, below
    // the two-star band (60): one star.
    w.at(shanghai(2026, 5, 11, 9, 0));
    let inspected = civil(CareHomeCommand::RecordInspection {
        campaign: campaign_id(),
        scores: DimensionScores {
            facilities: score(66.0),
            services: score(48.0),
            staff: score(60.0),
        },
        findings: text("护理员持证率不足，克扣老人伙食费"),
    })
    .await;
    match &inspected.events[0].event {
        CareHomeEvent::Inspected { total, stars, .. } => {
            assert_eq!(total.get(), 58.0);
            assert_eq!(stars.get(), 1);
        }
        other => panic!("expected Inspected, got {other:?}"),
    }

    // The violation becomes an item of the elderly-care task force, for the home and its head…
    w.ok::<Item, _>(
        "sec-sun",
        ITEM,
        ItemCommand::Register(RegisterItem {
            campaign: campaign_id(),
            task_force: TaskForceId::parse("yanglao").expect("a valid TaskForceId"),
            code: ItemCode::parse(ITEM).expect("a valid ItemCode"),
            title: text("康乐养老院克扣老人伙食费"),
            description: text("伙食费标准执行不到位，膳食质量低于公示标准"),
            category: text("服务质量低下"),
            source: ItemSource::Inspection,
            source_ref: None,
            severity: Severity::High,
        }),
    )
    .await;
    w.ok::<Item, _>(
        "sec-sun",
        ITEM,
        ItemCommand::Assign(AssignItem {
            responsible_unit: unit(HOME),
            responsible_person: person("ch-ma"),
            supervising_unit: unit("civil-affairs"),
            deadline: deadline("2026-05-29"),
            measures: text("退还克扣的伙食费，按标准供餐，补足持证护理员"),
            milestones: vec![],
        }),
    )
    .await;
    // …and civil affairs orders the home to rectify by the same date (限期整改).
    let ordered = civil(CareHomeCommand::OrderRectification {
        campaign: campaign_id(),
        violations: text("克扣老人伙食费"),
        deadline: deadline("2026-05-29"),
        item: ItemCode::parse(ITEM).expect("a valid ItemCode"),
    })
    .await;
    assert!(matches!(
        &ordered.events[0].event,
        CareHomeEvent::RectificationOrdered { due_at, item, .. }
            if *due_at == shanghai(2026, 5, 30, 0, 0) && item.as_str() == ITEM
    ));

    // Until the deadline has passed, the rectification cannot have failed.
    let running = w
        .at(shanghai(2026, 5, 29, 20, 0))
        .refused::<CareHome, _>(
            "ca-zhou",
            HOME,
            CareHomeCommand::RecordRectificationResult {
                outcome: RectificationOutcome::Failed,
                notes: text("复查未完成"),
            },
        )
        .await;
    assert_eq!(
        running.code(),
        "care_home.rectification_still_running",
        "{running:?}"
    );
    w.at(shanghai(2026, 6, 1, 9, 0));
    let failed = civil(CareHomeCommand::RecordRectificationResult {
        outcome: RectificationOutcome::Failed,
        notes: text("复查发现伙食费仍未退还"),
    })
    .await;
    assert!(matches!(
        failed.events[0].event,
        CareHomeEvent::RectificationFailed { failures: 1, .. }
    ));
    // A failure allows revocation; it is not one.
    let home = w.exec.load::<CareHome>(HOME).await.expect("the home").0;
    assert_eq!(home.status, CareHomeStatus::Operating);

    // Revoking is the civil-affairs authority's explicit decision, not a secretariat's.
    let revoke = CareHomeCommand::RevokeLicence {
        reason: text("限期整改不合格，取消运营资格"),
    };
    let forbidden = w
        .at(shanghai(2026, 6, 2, 10, 0))
        .refused::<CareHome, _>("sec-sun", HOME, revoke.clone())
        .await;
    assert_eq!(forbidden.code(), "care_home.forbidden", "{forbidden:?}");
    let revoked = civil(revoke).await;
    assert!(matches!(
        &revoked.events[0].event,
        CareHomeEvent::LicenceRevoked { failures: 1, by, .. } if by.as_str() == "ca-zhou"
    ));
    let blacklisted = civil(CareHomeCommand::Blacklist {
        campaign: campaign_id(),
        reason: text("克扣老人伙食费，整改不合格"),
        until: deadline("2029-06-01"),
    })
    .await;
    assert!(matches!(
        &blacklisted.events[0].event,
        CareHomeEvent::Blacklisted { listed_until, .. } if *listed_until == shanghai(2029, 6, 2, 0, 0)
    ));
    let home = w.exec.load::<CareHome>(HOME).await.expect("the home").0;
    assert_eq!(home.status, CareHomeStatus::Revoked);
    assert!(home.is_blacklisted_at(shanghai(2026, 6, 2, 10, 0)));
    assert!(!home.is_blacklisted_at(shanghai(2029, 6, 2, 0, 0)));
    // Revocation is final: the home is not inspected again.
    let after = w
        .refused::<CareHome, _>(
            "ca-zhou",
            HOME,
            CareHomeCommand::RecordInspection {
                campaign: campaign_id(),
                scores: DimensionScores {
                    facilities: score(90.0),
                    services: score(90.0),
                    staff: score(90.0),
                },
                findings: text("复查"),
            },
        )
        .await;
    assert_eq!(after.code(), "care_home.invalid_transition", "{after:?}");
}
