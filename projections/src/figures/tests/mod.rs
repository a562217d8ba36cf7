//! The figures of a small scripted month, hand-computed from DOMAIN.md "Definitions": three
//! units, an item overdue in full, a mitigated one, one whose clock stopped at an in-time
//! request, a late closure, a withdrawn item, an unassigned one, an item reassigned after a
//! send-back, and complaints whose duty was transferred.

use chrono::{DateTime, Utc};
use rectiflow_domain::assessment::Rate;
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision};
use rectiflow_domain::publication::{
    check_figures, Counts, FigureRules, OverdueCount, Period, PublicationKind, PublicationScope,
    Ranked, Tally, UnitRow,
};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::testing::fixtures::{local, unit};
use rectiflow_domain::values::{CampaignId, TaskForceId};

mod rhythm;

use super::{compute, figure, FigureInputs};
use crate::complaint_history::{ComplaintRow, Marked};
use crate::item_history::tests::{assigned, fact, registered};
use crate::item_history::{Fact, FactKind, ItemHistoryRow};

const CAMPAIGN: &str = "qunfu-2026";

fn row(code: &str, facts: Vec<Fact>) -> ItemHistoryRow {
    ItemHistoryRow {
        code: code.into(),
        campaign: CAMPAIGN.into(),
        task_force: "yibao".into(),
        facts,
        position: 0,
    }
}

fn d(day: u32, month: u32) -> DateTime<Utc> {
    local(2026, month, day, 9, 0)
}

fn midnight(day: u32, month: u32) -> DateTime<Utc> {
    local(2026, month, day, 0, 0)
}

/// Positions rise through each item's facts; items interleave in the log as 100 apart.
fn items() -> Vec<ItemHistoryRow> {
    let reg = || registered(CAMPAIGN, "yibao");
    vec![
        // Overdue in full since 11 March 00:00: 21 days at the cut-off.
        row(
            "YB-2026-0001",
            vec![
                fact(101, d(2, 3), reg()),
                fact(102, d(2, 3), assigned("unit-a", midnight(11, 3))),
            ],
        ),
        // Registered in February; overdue since 21 March (11 days), mitigated on the 25th.
        row(
            "YB-2026-0002",
            vec![
                fact(201, d(20, 2), reg()),
                fact(202, d(20, 2), assigned("unit-a", midnight(21, 3))),
                fact(
                    203,
                    d(25, 3),
                    FactKind::Ruled {
                        episode: Episode::Deadline { number: 1 },
                        cause: FaultCause::ManagementError,
                        decision: FaultDecision::Mitigate,
                    },
                ),
            ],
        ),
        // Overdue in full since 16 March: 16 days.
        row(
            "YB-2026-0003",
            vec![
                fact(301, d(3, 3), reg()),
                fact(302, d(3, 3), assigned("unit-b", midnight(16, 3))),
            ],
        ),
        // Its request came before the deadline: the clock stopped, not overdue, pending.
        row(
            "YB-2026-0004",
            vec![
                fact(401, d(3, 3), reg()),
                fact(402, d(3, 3), assigned("unit-b", midnight(20, 3))),
                fact(403, d(19, 3), FactKind::SignOffRequested),
            ],
        ),
        // Closed late on 15 March.
        row(
            "YB-2026-0005",
            vec![
                fact(501, d(3, 3), reg()),
                fact(502, d(3, 3), assigned("unit-c", midnight(10, 3))),
                fact(503, d(12, 3), FactKind::SignOffRequested),
                fact(504, d(15, 3), FactKind::Closed { on_time: false }),
            ],
        ),
        // Withdrawn: left out of every figure.
        row(
            "YB-2026-0006",
            vec![
                fact(601, d(3, 3), reg()),
                fact(602, d(3, 3), assigned("unit-c", midnight(10, 3))),
                fact(603, d(20, 3), FactKind::Withdrawn),
            ],
        ),
        // Never assigned: in the totals only.
        row("YB-2026-0007", vec![fact(701, d(5, 3), reg())]),
        // Requested and sent back while unit B's, then reassigned to unit A: overdue 7 days.
        row(
            "YB-2026-0008",
            vec![
                fact(801, d(5, 3), reg()),
                fact(802, d(5, 3), assigned("unit-b", midnight(25, 3))),
                fact(803, d(10, 3), FactKind::SignOffRequested),
                fact(804, d(12, 3), FactKind::SentBack),
                fact(
                    805,
                    d(15, 3),
                    FactKind::Reassigned {
                        unit: "unit-a".into(),
                        person: "unit-a-head".into(),
                    },
                ),
            ],
        ),
    ]
}

fn complaint(id: &str, due: DateTime<Utc>, responder: &str) -> ComplaintRow {
    ComplaintRow {
        complaint: id.into(),
        campaign: CAMPAIGN.into(),
        task_force: Some("yibao".into()),
        received_at: d(1, 3),
        received_position: 900,
        response_due: due,
        responder: responder.into(),
        transfers: Vec::new(),
        answered: None,
        ratings: Vec::new(),
        position: 900,
    }
}

fn complaints() -> Vec<ComplaintRow> {
    let answered = ComplaintRow {
        answered: Some(Marked {
            position: 901,
            at: d(9, 3),
            value: (),
        }),
        ..complaint("c-1", midnight(10, 3), "unit-b")
    };
    let transferred = ComplaintRow {
        transfers: vec![Marked {
            position: 902,
            at: d(15, 3),
            value: "unit-a".into(),
        }],
        ratings: vec![Marked {
            position: 903,
            at: d(25, 3),
            value: 1,
        }],
        ..complaint("c-2", midnight(20, 3), "unit-c")
    };
    let april = complaint("c-3", midnight(5, 4), "unit-a");
    vec![answered, transferred, april]
}

fn march() -> Period {
    Period {
        start: midnight(1, 3),
        cut_off: midnight(1, 4),
    }
}

fn inputs(kind: PublicationKind, period: Period) -> FigureInputs {
    let settings = CampaignSettings::default();
    FigureInputs {
        kind,
        campaign: CampaignId::parse(CAMPAIGN).expect("a campaign id"),
        scope: match kind {
            PublicationKind::Dispatch => {
                PublicationScope::TaskForce(TaskForceId::parse("yibao").expect("a task force"))
            }
            _ => PublicationScope::County,
        },
        period,
        position: 10_000,
        mitigation_factor: 0.5,
        rules: FigureRules::of(kind, &settings),
        stall_days: settings.stall_days,
    }
}

fn tally(in_period: u64, to_date: u64) -> Tally {
    Tally { in_period, to_date }
}

#[test]
fn a_month_counts_as_domain_md_defines() {
    let inputs = inputs(PublicationKind::Bulletin, march());
    let computed = compute(&inputs, &items(), &complaints(), None).expect("figures");
    let figures = &computed.figures;
    assert_eq!(
        figures.totals,
        Counts {
            registered: tally(6, 7),
            closed_late: tally(1, 1),
            open: 6,
            pending_sign_off: 1,
            overdue: OverdueCount::new(3, 1, 0, 0.5),
            days_overdue: 21 + 11 + 16 + 7,
            completion_rate: Some(Rate::new(1, 6)),
            on_time_rate: Some(Rate::new(0, 1)),
            // Requests of YB-2026-0004, -0005 and -0008; the send-back of -0008.
            send_back_rate: Some(Rate::new(1, 3)),
            response_rate: Some(Rate::new(1, 2)),
            ..Counts::default()
        }
    );
    assert_eq!(
        figures.units,
        vec![
            UnitRow {
                unit: unit("unit-a"),
                counts: Counts {
                    registered: tally(2, 3),
                    open: 3,
                    overdue: OverdueCount::new(2, 1, 0, 0.5),
                    days_overdue: 21 + 11 + 7,
                    completion_rate: Some(Rate::new(0, 3)),
                    response_rate: Some(Rate::new(0, 1)),
                    ..Counts::default()
                },
            },
            UnitRow {
                unit: unit("unit-b"),
                counts: Counts {
                    registered: tally(2, 2),
                    open: 2,
                    pending_sign_off: 1,
                    overdue: OverdueCount::new(1, 0, 0, 0.5),
                    days_overdue: 16,
                    completion_rate: Some(Rate::new(0, 2)),
                    // YB-2026-0008's request and send-back happened while it was unit B's.
                    send_back_rate: Some(Rate::new(1, 2)),
                    response_rate: Some(Rate::new(1, 1)),
                    ..Counts::default()
                },
            },
            UnitRow {
                unit: unit("unit-c"),
                counts: Counts {
                    registered: tally(1, 1),
                    closed_late: tally(1, 1),
                    completion_rate: Some(Rate::new(1, 1)),
                    on_time_rate: Some(Rate::new(0, 1)),
                    send_back_rate: Some(Rate::new(0, 1)),
                    ..Counts::default()
                },
            },
        ]
    );
    assert_eq!(
        figures.ranking,
        vec![
            Ranked {
                unit: unit("unit-a"),
                overdue: 2.5,
                days_overdue: 39,
            },
            Ranked {
                unit: unit("unit-b"),
                overdue: 1.0,
                days_overdue: 16,
            },
        ]
    );
    assert_eq!(figures.bottom, vec![unit("unit-a"), unit("unit-b")]);
    assert_eq!(figures.named, figures.bottom);
    check_figures(
        PublicationKind::Bulletin,
        figures,
        inputs.mitigation_factor,
        &inputs.rules,
    )
    .expect("figures the publication aggregate accepts");

    // Drill-down: the mitigated item with the position of its deadline and of its ruling.
    let a = &computed.drill_down.units["unit-a"];
    assert_eq!(a[figure::OVERDUE_MITIGATED].len(), 1);
    assert_eq!(a[figure::OVERDUE_MITIGATED][0].code, "YB-2026-0002");
    assert_eq!(a[figure::OVERDUE_MITIGATED][0].positions, vec![202, 203]);
    assert_eq!(a[figure::RESPONSES_DUE][0].positions, vec![900, 902]);
    let totals = &computed.drill_down.totals;
    assert!(!totals.values().flatten().any(|b| b.code == "YB-2026-0006"));
    // Every figure drilled into is one the API knows by name.
    let named = std::iter::once(totals).chain(computed.drill_down.units.values());
    for figure in named.flat_map(|sources| sources.keys()) {
        assert!(figure::ALL.contains(&figure.as_str()), "{figure}");
    }
}

#[test]
fn the_ranking_breaks_ties_by_days_then_by_unit() {
    let row = |id: &str, full: u32, days: u64| UnitRow {
        unit: unit(id),
        counts: Counts {
            overdue: OverdueCount::new(full, 0, 0, 0.5),
            days_overdue: days,
            ..Counts::default()
        },
    };
    let ranked = super::ranking(&[
        row("u-a", 2, 10),
        row("u-b", 2, 12),
        row("u-c", 3, 1),
        row("u-d", 2, 10),
        row("u-e", 0, 0),
    ]);
    let order: Vec<&str> = ranked.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(order, ["u-c", "u-b", "u-a", "u-d"]);
    let rules = FigureRules {
        bottom_of_ranking: 2,
        overdue_items_threshold: 2,
        grades: None,
    };
    assert_eq!(
        super::bottom(&ranked, &rules),
        vec![unit("u-c"), unit("u-b")]
    );
    assert_eq!(
        super::named(&ranked, &rules),
        vec![unit("u-c"), unit("u-b"), unit("u-a"), unit("u-d")]
    );
}

#[test]
fn a_figure_as_of_an_earlier_position_leaves_later_facts_out() {
    let mut early = inputs(PublicationKind::Bulletin, march());
    // Before the mitigation (203) and the reassignment (805) were logged... and everything
    // after 600: only the first five items exist.
    early.position = 202;
    let computed = compute(&early, &items(), &complaints(), None).expect("figures");
    assert_eq!(computed.figures.totals.registered, tally(1, 2));
    assert_eq!(
        computed.figures.totals.overdue,
        OverdueCount::new(2, 0, 0, 0.5)
    );
    assert_eq!(
        computed.figures.totals.response_rate, None,
        "no complaint yet"
    );
}
