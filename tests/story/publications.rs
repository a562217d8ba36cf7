//! Publications (月通报): the schedule publishes the county-wide bulletin of March 2026 as a
//! fact — its figures hand-computed from what the story did before the cut-off, its inputs the
//! log position P it was read at and the chain digest there. A person cannot publish it, it is
//! published once, and a secretariat corrects it on a stream of its own.

use rectiflow_domain::assessment::Rate;
use rectiflow_domain::calendar::{ChinaCalendar, WorkingCalendar};
use rectiflow_domain::publication::{
    correction_id, publication_id, Correction, Counts, Figures, LogPoint, OverdueCount, Period,
    Publication, PublicationCommand, PublicationEvent, PublicationKind, PublicationScope,
    PublicationStatus, Publish, Ranked, Tally, UnitRow,
};
use rectiflow_domain::values::{PublicationId, UnitId};
use rectiflow_tests::{shanghai, unit, Store};

use crate::world::{campaign_id, text, World};

pub const MARCH: &str = "bulletin~qunfu-2026~2026-03~county";
pub const MARCH_CORRECTED: &str = "bulletin~qunfu-2026~2026-03~county~correction-1";
pub const APRIL: &str = "bulletin~qunfu-2026~2026-04~county";

/// The schedule that publishes bulletins.
pub const SCHEDULE: &str = "schedule:bulletins";
/// The mitigation factor in force (the campaign's default).
pub const FACTOR: f64 = 0.5;

pub fn pid(id: &str) -> PublicationId {
    PublicationId::parse(id).expect("a valid PublicationId")
}

pub fn tally(in_period: u64, to_date: u64) -> Tally {
    Tally { in_period, to_date }
}

pub fn row(id: &str, counts: Counts) -> UnitRow {
    UnitRow {
        unit: unit(id),
        counts,
    }
}

/// When the bulletin of `month` of 2026 falls due, as the aggregate computes it and records
/// it: 09:00 of the next month's first working day on China's 2026 arrangement (1 April; 6 May,
/// after the Labour Day holiday).
pub fn bulletin_due(month: u32) -> chrono::DateTime<chrono::Utc> {
    let mut first_working_day =
        chrono::NaiveDate::from_ymd_opt(2026, month + 1, 1).expect("a day of 2026");
    while !ChinaCalendar.is_working_day(first_working_day) {
        first_working_day = first_working_day.succ_opt().expect("a later day");
    }
    let due_day = chrono::Datelike::day(&first_working_day);
    shanghai(2026, month + 1, due_day, 9, 0)
}

/// The county-wide bulletin of `month` of 2026. It names no due instant: the aggregate
/// computes it ([`bulletin_due`]).
pub fn bulletin(month: u32, inputs: LogPoint, figures: Figures) -> Publish {
    let label = format!("2026-{month:02}");
    Publish {
        publication: publication_id(
            PublicationKind::Bulletin,
            &campaign_id(),
            &label,
            &PublicationScope::County,
        )
        .expect("a bulletin id"),
        kind: PublicationKind::Bulletin,
        campaign: campaign_id(),
        scope: PublicationScope::County,
        period: Period {
            start: shanghai(2026, month, 1, 0, 0),
            cut_off: shanghai(2026, month + 1, 1, 0, 0),
        },
        nominal: vec![],
        inputs,
        figures,
    }
}

/// March, as the story left it at the cut-off (2026-04-01 00:00):
/// - YB-2026-0001 (county hospital) and YB-2026-0002 (county hospital) were registered on the
///   2nd, YB-2026-0003 (health bureau, a case's repair item) on the 5th; none closed, none
///   waiting on a sign-off request (the first came on 20 April);
/// - YB-2026-0001's deadline in force is 30 April (extended on 21 March), YB-2026-0003's 31
///   May; YB-2026-0002's passed at 24:00 of 10 March and its episode was exempted as force
///   majeure on the 12th: overdue, counted 0, 0 days, and so nobody is ranked;
/// - completion: of the items whose deadline passed (YB-2026-0002), none closed: 0 / 1;
/// - complaints due in March: A (school meals, due 3 March 09:00, answered in time, for the
///   education bureau) and B (elderly care, due 12 March 00:00, answered late, for civil
///   affairs): 1 / 2;
/// - no sign-off request (send-back rate not applicable), no closure (on-time rate not
///   applicable), no relapse, no late 签收.
///
/// The original lists the units with items; the correction adds the two units that answered
/// complaints, with their response rates.
pub fn march_figures(with_responders: bool) -> Figures {
    let exempted = OverdueCount::new(0, 0, 1, FACTOR);
    let mut units = vec![
        row(
            "county-hospital",
            Counts {
                registered: tally(2, 2),
                open: 2,
                overdue: exempted,
                completion_rate: Some(Rate::new(0, 1)),
                ..Counts::default()
            },
        ),
        row(
            "health-bureau",
            Counts {
                registered: tally(1, 1),
                open: 1,
                ..Counts::default()
            },
        ),
    ];
    if with_responders {
        units.push(row(
            "county-education-bureau",
            Counts {
                response_rate: Some(Rate::new(1, 1)),
                ..Counts::default()
            },
        ));
        units.push(row(
            "civil-affairs",
            Counts {
                response_rate: Some(Rate::new(0, 1)),
                ..Counts::default()
            },
        ));
    }
    Figures {
        totals: Counts {
            registered: tally(3, 3),
            open: 3,
            overdue: exempted,
            completion_rate: Some(Rate::new(0, 1)),
            response_rate: Some(Rate::new(1, 2)),
            ..Counts::default()
        },
        units,
        ranking: vec![],
        bottom: vec![],
        named: vec![],
        scores: vec![],
        dispatch: None,
    }
}

/// April, as the story left it at the cut-off (2026-05-01 00:00), once the accountability
/// chapter has run its April:
/// - YB-2026-0001 closed on time on 27 April (sign-off requested on the 20th, sent back on the
///   21st, requested again on the 25th): 2 requests, 1 send-back; its deadline (30 April)
///   passes at the cut-off itself, not before it, so it is not among the items due;
/// - YB-2026-0004..0006 (county hospital), registered on 2 April, due 20 April, overdue from
///   21 April 00:00 and not exempted: 3 in full, 10 days each; YB-2026-0002 still overdue and
///   exempted (counted 0, 0 days);
/// - completion: of the items due (YB-2026-0002, -0004, -0005, -0006), none closed: 0 / 4;
///   on time: 1 / 1; no complaint fell due, no relapse, no late 签收.
pub fn april_figures() -> Figures {
    let overdue = OverdueCount::new(3, 0, 1, FACTOR);
    let hospital = Counts {
        registered: tally(3, 5),
        closed_on_time: tally(1, 1),
        open: 4,
        overdue,
        days_overdue: 30,
        completion_rate: Some(Rate::new(0, 4)),
        on_time_rate: Some(Rate::new(1, 1)),
        send_back_rate: Some(Rate::new(1, 2)),
        ..Counts::default()
    };
    let hospital_unit: UnitId = unit("county-hospital");
    Figures {
        totals: Counts {
            registered: tally(3, 6),
            open: 5,
            ..hospital.clone()
        },
        units: vec![
            row("county-hospital", hospital),
            row(
                "health-bureau",
                Counts {
                    registered: tally(0, 1),
                    open: 1,
                    ..Counts::default()
                },
            ),
        ],
        ranking: vec![Ranked {
            unit: hospital_unit.clone(),
            overdue: 3.0,
            days_overdue: 30,
        }],
        // The bottom three of a ranking of one, and named (点名) also for reaching the
        // admonishment threshold of 3.
        bottom: vec![hospital_unit.clone()],
        named: vec![hospital_unit],
        scores: vec![],
        dispatch: None,
    }
}

pub async fn the_march_bulletin_is_published_once_and_corrected<S: Store>(w: &World<S>) {
    // Wednesday 1 April, 09:00: the bulletin falls due and its inputs are read at the head.
    w.at(shanghai(2026, 4, 1, 9, 0));
    let inputs = w.log_point().await;
    let store = w.store();
    assert_eq!(
        inputs.position,
        store.head().await.expect("the head"),
        "P is the head"
    );
    let at_p = store
        .read_log(inputs.position - 1, 1)
        .await
        .expect("the log at P");
    assert_eq!(
        at_p.first().map(|e| (e.position, e.hash.as_str())),
        Some((inputs.position, inputs.digest.as_str())),
        "the digest is the chain hash stored at P"
    );
    let march = bulletin(3, inputs.clone(), march_figures(false));
    assert_eq!(march.publication.as_str(), MARCH);

    // A person cannot publish a bulletin, not even a secretariat: it is the schedule's.
    let refused = w
        .refused::<Publication, _>("sec-li", MARCH, PublicationCommand::Publish(march.clone()))
        .await;
    assert_eq!(refused.code(), "publication.forbidden", "{refused:?}");

    let published = w
        .ok::<Publication, _>(SCHEDULE, MARCH, PublicationCommand::Publish(march.clone()))
        .await;
    assert_eq!(published.events.len(), 1);
    match &published.events[0].event {
        PublicationEvent::Published {
            publication,
            due_at,
            calendar_unknown,
            late,
            inputs: recorded,
            mitigation_factor,
            figures,
            correction,
            by,
            ..
        } => {
            assert_eq!(publication.as_str(), MARCH);
            assert_eq!(*due_at, bulletin_due(3), "due Wednesday 1 April 09:00");
            assert!(!calendar_unknown, "2026's arrangement is published");
            assert!(!late, "published on the day it fell due");
            assert_eq!(*recorded, inputs);
            assert_eq!(*mitigation_factor, FACTOR);
            assert_eq!(**figures, march_figures(false));
            assert!(
                figures.ranking.is_empty(),
                "an exempted episode ranks nobody"
            );
            assert_eq!(*correction, None);
            assert_eq!(by.as_str(), SCHEDULE);
        }
        other => panic!("expected Published, got {other:?}"),
    }

    // Once published it never changes: a second publication on its stream is refused.
    let again = w
        .at(shanghai(2026, 4, 1, 9, 30))
        .refused::<Publication, _>(SCHEDULE, MARCH, PublicationCommand::Publish(march))
        .await;
    assert_eq!(again.code(), "publication.already_recorded", "{again:?}");

    // Friday 3 April: a secretariat corrects it on a stream of its own, naming it; the
    // correction reads the log at the head it has then.
    w.at(shanghai(2026, 4, 3, 10, 0));
    let reason = text("补列县教育局、县民政局的投诉响应率（原通报只列有问题清单事项的单位）");
    let corrected_inputs = w.log_point().await;
    assert!(corrected_inputs.position > inputs.position);
    let corrected = correction_id(&pid(MARCH), 1).expect("a correction id");
    assert_eq!(corrected.as_str(), MARCH_CORRECTED);
    let correction = w
        .ok::<Publication, _>(
            "sec-li",
            MARCH_CORRECTED,
            PublicationCommand::Correct {
                correction: Publish {
                    publication: corrected,
                    ..bulletin(3, corrected_inputs.clone(), march_figures(true))
                },
                corrects: pid(MARCH),
                reason: reason.clone(),
            },
        )
        .await;
    match &correction.events[0].event {
        PublicationEvent::Published {
            correction,
            late,
            inputs,
            figures,
            by,
            ..
        } => {
            assert_eq!(
                *correction,
                Some(Correction {
                    corrects: pid(MARCH),
                    reason,
                })
            );
            assert!(!late, "a correction never falls due");
            assert_eq!(*inputs, corrected_inputs);
            assert_eq!(figures.units.len(), 4);
            assert_eq!(by.as_str(), "sec-li");
        }
        other => panic!("expected Published, got {other:?}"),
    }
    // The corrected publication stands as it was published.
    let (original, version) = w
        .exec
        .load::<Publication>(MARCH)
        .await
        .expect("load the bulletin");
    assert_eq!(version, 1);
    assert_eq!(original.status, PublicationStatus::Published);
    assert_eq!(original.figures, Some(march_figures(false)));
    assert_eq!(original.inputs, Some(inputs));
}
