//! Which rules fire for whom at a publication, hand-checked against DOMAIN.md's rules.

use rectiflow_domain::admonishment::{AdmonishmentRule, Finding};
use rectiflow_domain::assessment::Grade;
use rectiflow_domain::publication::{
    Counts, Figures, OverdueCount, PublicationKind, PublicationScope, Ranked, UnitRow, UnitScore,
};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::testing::fixtures::{local, score, unit};
use rectiflow_domain::values::PublicationId;

use super::{findings, RankedBulletin};

fn ranked(units: &[(&str, f64)]) -> Vec<Ranked> {
    units
        .iter()
        .map(|(u, overdue)| Ranked {
            unit: unit(u),
            overdue: *overdue,
            days_overdue: 1,
        })
        .collect()
}

fn bulletin(month: u32, units: &[(&str, f64)]) -> RankedBulletin {
    RankedBulletin {
        publication: PublicationId::parse(format!("bulletin~qunfu-2026~2026-{month:02}~county"))
            .expect("an id"),
        cut_off: local(2026, month + 1, 1, 0, 0),
        ranking: ranked(units),
    }
}

fn row(u: &str, full: u32, mitigated: u32) -> UnitRow {
    UnitRow {
        unit: unit(u),
        counts: Counts {
            overdue: OverdueCount::new(full, mitigated, 0, 0.5),
            ..Counts::default()
        },
    }
}

fn rules_of(found: &[Finding]) -> Vec<AdmonishmentRule> {
    found.iter().map(Finding::rule).collect()
}

#[test]
fn a_county_bulletin_fires_the_threshold_and_the_consecutive_bottom() {
    let settings = CampaignSettings::default();
    let may = bulletin(5, &[("a", 3.5), ("b", 2.0), ("c", 1.0), ("d", 0.5)]);
    let april = bulletin(4, &[("b", 4.0), ("d", 2.0), ("e", 1.0), ("a", 0.5)]);
    let figures = Figures {
        // a: 3 in full and one mitigated (3.5 ≥ 3); b: 2 (below); c: 2 mitigated = 1.
        units: vec![
            row("a", 3, 1),
            row("b", 2, 0),
            row("c", 0, 2),
            row("d", 0, 1),
        ],
        ranking: may.ranking.clone(),
        ..Figures::default()
    };
    let fired = findings(
        PublicationKind::Bulletin,
        &PublicationScope::County,
        &figures,
        0.5,
        &may,
        std::slice::from_ref(&april),
        &settings,
    );
    // a: over the threshold, but 4th in April: no ranking rule. b: bottom 3 in both months.
    // c: bottom 3 in May only. d: 2nd in April, 4th in May.
    assert_eq!(
        fired.keys().map(|u| u.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(
        rules_of(&fired[&unit("a")]),
        [AdmonishmentRule::OverdueItems]
    );
    match fired[&unit("b")].as_slice() {
        [Finding::BottomOfRanking { positions }] => {
            let places: Vec<(u32, &str)> = positions
                .iter()
                .map(|p| (p.position, p.publication.as_str()))
                .collect();
            assert_eq!(
                places,
                [
                    (1, "bulletin~qunfu-2026~2026-04~county"),
                    (2, "bulletin~qunfu-2026~2026-05~county")
                ]
            );
        }
        other => panic!("b: {other:?}"),
    }
    // Without the April bulletin the ranking rule cannot fire.
    let alone = findings(
        PublicationKind::Bulletin,
        &PublicationScope::County,
        &figures,
        0.5,
        &may,
        &[],
        &settings,
    );
    assert_eq!(alone.keys().map(|u| u.as_str()).collect::<Vec<_>>(), ["a"]);
}

#[test]
fn a_task_force_bulletin_fires_nothing_and_an_assessment_fires_fail() {
    let settings = CampaignSettings::default();
    let may = bulletin(5, &[("a", 5.0)]);
    let figures = Figures {
        units: vec![row("a", 5, 0)],
        ranking: may.ranking.clone(),
        scores: vec![
            UnitScore {
                unit: unit("a"),
                score: Some(score(59.9)),
                grade: Some(Grade::Fail),
            },
            UnitScore {
                unit: unit("b"),
                score: Some(score(60.0)),
                grade: Some(Grade::Pass),
            },
            UnitScore {
                unit: unit("c"),
                score: None,
                grade: None,
            },
        ],
        ..Figures::default()
    };
    let task_force = PublicationScope::TaskForce(
        rectiflow_domain::values::TaskForceId::parse("yibao").expect("a task force"),
    );
    assert!(findings(
        PublicationKind::Bulletin,
        &task_force,
        &figures,
        0.5,
        &may,
        &[],
        &settings
    )
    .is_empty());
    let assessed = findings(
        PublicationKind::Assessment,
        &PublicationScope::County,
        &figures,
        0.5,
        &may,
        &[],
        &settings,
    );
    assert_eq!(
        assessed.keys().map(|u| u.as_str()).collect::<Vec<_>>(),
        ["a"],
        "only the fail; overdue counts fire at bulletins only"
    );
    assert_eq!(
        rules_of(&assessed[&unit("a")]),
        [AdmonishmentRule::FailedAssessment]
    );
}
