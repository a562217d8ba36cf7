//! Not a chapter: the rhythm of a year, fired by the scheduler `serve` runs. The county is
//! organised and the campaign set up on 2025-12-01 with nothing else happening; every projection
//! runs as in `serve`; the manual clock is walked from one fire time to the next (the
//! scheduler's own `next_due`) through 2026. Every dispatch, bulletin and assessment is
//! published once, on time, on the local day and at the hour China's arrangement and the
//! county's declared day off (Monday 2026-12-07) say — the bulletin before the
//! assessment when both fall due together, two dispatches moved onto one day made one — by
//! `schedule:<id>`, on behalf of the occurrence its schedule fired.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use cqrs_es::Aggregate;
use rectiflow_domain::calendar::overrides::{CountyOverrides, DeclaredDay, OverrideCommand};
use rectiflow_domain::item::Severity;
use rectiflow_domain::publication::{PublicationEvent, PublicationKind, PublicationScope};
use rectiflow_domain::schedule::{Schedule, ScheduleEvent};
use rectiflow_engine::Metadata;
use rectiflow_projections::policies::repair_items::RepairTerms;
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_scheduler::firing::{Publisher, Scheduler, Tick};
use rectiflow_tests::{shanghai, CancellationToken, Store, StreamRef, Supervisor};

use crate::policy_runs::events_of;
use crate::world::{text, World};

/// A publication as the walk left it.
#[derive(Debug)]
pub(crate) struct Made {
    pub kind: PublicationKind,
    pub scope: PublicationScope,
    /// Its period's label (`2026-03`, `2026-Q1`, a dispatch's first day).
    pub period: String,
    /// Local time it was published at (the manual clock's).
    pub local: NaiveDateTime,
    /// Local time it fell due.
    pub due_at: NaiveDateTime,
    pub late: bool,
    /// The nominal dispatches it stands for.
    pub nominal: usize,
    pub position: u64,
}

fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&chrono_tz::Asia::Shanghai).naive_local()
}

pub(crate) fn when(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a local time in a test")
}

/// A walk through the campaign's time: the county organised and the campaign set up on
/// 2025-12-01 (its schedules run from 12-02), the county's day off declared, and every
/// projection running as in `serve` until the walk ends.
pub(crate) struct Walk {
    pub stop: CancellationToken,
    projections: Supervisor,
}

impl Walk {
    pub async fn begin<S: Store>(w: &World<S>) -> Self {
        let stop = CancellationToken::new();
        let projections = set_up(w, &stop).await;
        Self { stop, projections }
    }

    /// Looks with `scheduler` now and at each fire time after, before `end`, moving the
    /// manual clock to each: every look's report, none of them failing.
    pub async fn until<S: Store, P: Publisher>(
        &self,
        w: &World<S>,
        scheduler: &Scheduler<S, P>,
        end: DateTime<Utc>,
    ) -> Vec<Tick> {
        let mut ticks = Vec::new();
        loop {
            let tick = scheduler
                .tick(&self.stop)
                .await
                .expect("a look at the campaigns");
            assert!(tick.failures.is_empty(), "{:?}", tick.failures);
            let next = tick.next_due;
            ticks.push(tick);
            match next {
                Some(next) if next < end => w.at(next),
                _ => return ticks,
            };
        }
    }

    pub async fn end(self) {
        self.stop.cancel();
        self.projections
            .stop_within(Duration::from_secs(10))
            .await
            .expect("the projections stop");
    }
}

async fn set_up<S: Store>(w: &World<S>, stop: &CancellationToken) -> Supervisor {
    w.at(shanghai(2025, 12, 1, 10, 0));
    crate::organisation::the_county_is_organised_and_roles_are_read_as_they_stand(w).await;
    crate::campaign::a_campaign_is_set_up_with_its_task_forces(w).await;
    w.ok::<CountyOverrides, _>(
        "admin-wu",
        "zhuxi",
        OverrideCommand::Declare {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            day: DeclaredDay::DayOff,
            reason: text("县城区停电检修"),
        },
    )
    .await;
    let mut projections = Supervisor::new(stop.clone());
    for worker in rectiflow::projections::workers(w.store()) {
        projections.add(worker);
    }
    projections
}

/// The scheduler `serve` runs, on the story's executor (its manual clock) and ports.
pub(crate) fn scheduler<S: Store>(
    w: &World<S>,
) -> Scheduler<S, rectiflow::schedule::firing::ProjectionsPublisher<S>> {
    rectiflow::schedule::firing::scheduler(&ports(w))
}

/// What `serve`'s policies, scheduler and watcher run on, with the story's executor.
pub(crate) fn ports<S: Store>(w: &World<S>) -> PolicyPorts<S> {
    PolicyPorts {
        exec: w.exec.clone(),
        services: w.services.clone(),
        repair_terms: RepairTerms {
            deadline_days: 60,
            severity: Severity::Medium,
        },
        publication_wait: Duration::from_secs(60),
    }
}

/// Every publication made, as the walk left it — each published once, by its schedule on
/// behalf of the occurrence it fired — and the stream ids of those recorded as skipped.
pub(crate) async fn publications<S: Store>(w: &World<S>) -> (Vec<Made>, Vec<String>) {
    let store = w.store();
    let mut made = Vec::new();
    let mut skipped = Vec::new();
    let ids = store
        .all_stream_ids("publication")
        .await
        .expect("the publications");
    for id in ids {
        let stream = StreamRef::new("publication", &id);
        let events = events_of(store, &stream).await;
        assert_eq!(events.len(), 1, "{id} is published once");
        let recorded = &events[0];
        let position = crate::policy_runs::position_of(store, &stream, 1).await;
        let metadata: Metadata =
            serde_json::from_value(recorded.metadata.clone()).expect("metadata");
        let event: PublicationEvent =
            serde_json::from_value(recorded.payload.clone()).expect("a publication event");
        if let PublicationEvent::Skipped { by, .. } = &event {
            assert!(by.as_str().starts_with("schedule:"), "{id}");
            skipped.push(id);
            continue;
        }
        let PublicationEvent::Published {
            kind,
            scope,
            due_at,
            nominal,
            late,
            by,
            at,
            ..
        } = event
        else {
            unreachable!("a publication is published or skipped");
        };
        let schedule = format!(
            "qunfu-2026:{}",
            match kind {
                PublicationKind::Dispatch => "weekly-dispatch",
                PublicationKind::Bulletin => "monthly-bulletin",
                PublicationKind::Assessment => "quarterly-assessment",
            }
        );
        assert_eq!(by.as_str(), format!("schedule:{schedule}"));
        // Caused by the occurrence its schedule fired.
        let fired = events_of(store, &StreamRef::new(Schedule::TYPE, &schedule))
            .await
            .into_iter()
            .find(|e| Some(e.event_id) == metadata.causation_id)
            .unwrap_or_else(|| panic!("{id}'s cause is one of {schedule}'s events"));
        let fired: ScheduleEvent = serde_json::from_value(fired.payload).expect("decoded");
        assert!(
            matches!(&fired, ScheduleEvent::OccurrenceFired { due_at: d, .. } if *d == due_at),
            "{id} was caused by {fired:?}"
        );
        made.push(Made {
            kind,
            scope,
            period: id.split('~').nth(2).expect("a period label").to_owned(),
            local: local(at),
            due_at: local(due_at),
            late,
            nominal: nominal.len(),
            position,
        });
    }
    (made, skipped)
}

async fn the_scheduler_walks_2026<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    let ticks = walk
        .until(w, &scheduler(w), shanghai(2027, 1, 1, 0, 0))
        .await;
    assert!(
        ticks.iter().all(|t| t.lost == 0),
        "one scheduler loses no race"
    );
    walk.end().await;

    let (made, skipped) = publications(w).await;
    assert!(skipped.is_empty(), "nothing missed: {skipped:?}");
    for m in &made {
        assert!(!m.late, "on time: {m:?}");
        assert_eq!(
            m.local, m.due_at,
            "published the instant it falls due: {m:?}"
        );
    }
    // Every schedule completed every occurrence's action.
    for kind in [
        "weekly-dispatch",
        "monthly-bulletin",
        "quarterly-assessment",
    ] {
        let (schedule, _) = w
            .exec
            .load::<Schedule>(&format!("qunfu-2026:{kind}"))
            .await
            .expect("the schedule");
        let state = schedule.state().expect("created by the scheduler");
        assert!(state.awaiting.is_empty(), "{kind}: {:?}", state.awaiting);
        assert_eq!(
            state.starts,
            chrono::NaiveDate::from_ymd_opt(2025, 12, 2).unwrap()
        );
    }

    let of = |kind: PublicationKind| -> Vec<&Made> {
        let mut list: Vec<&Made> = made.iter().filter(|m| m.kind == kind).collect();
        list.sort_by_key(|m| m.position);
        list
    };
    // Bulletins: county-wide and one per task force (three), for December 2025 to November
    // 2026, each on the first working day at 09:00.
    let bulletins = of(PublicationKind::Bulletin);
    let county: BTreeMap<&str, NaiveDateTime> = bulletins
        .iter()
        .filter(|m| m.scope == PublicationScope::County)
        .map(|m| (m.period.as_str(), m.local))
        .collect();
    assert_eq!(bulletins.len(), 12 * 4, "twelve months, four scopes");
    for (period, day) in [
        ("2025-12", "2026-01-04 09:00"), // 元旦; Sunday 01-04 is a make-up working day
        ("2026-01", "2026-02-02 09:00"), // 02-01 is a Sunday
        ("2026-03", "2026-04-01 09:00"),
        ("2026-04", "2026-05-06 09:00"), // 劳动节 05-01..05
        ("2026-09", "2026-10-08 09:00"), // 国庆节 10-01..07
        ("2026-11", "2026-12-01 09:00"),
    ] {
        assert_eq!(
            county.get(period),
            Some(&when(day)),
            "the {period} bulletin"
        );
    }
    // Assessments: county-wide, for 2025-Q4 to 2026-Q3.
    let assessments = of(PublicationKind::Assessment);
    let quarters: Vec<(&str, NaiveDateTime)> = assessments
        .iter()
        .map(|m| (m.period.as_str(), m.local))
        .collect();
    assert_eq!(
        quarters,
        vec![
            ("2025-Q4", when("2026-01-04 09:00")),
            ("2026-Q1", when("2026-04-01 09:00")),
            ("2026-Q2", when("2026-07-01 09:00")),
            ("2026-Q3", when("2026-10-08 09:00")),
        ]
    );
    // When a bulletin and an assessment fall due together, the bulletin is published first.
    for assessment in &assessments {
        let bulletin_last = bulletins
            .iter()
            .filter(|b| b.local == assessment.local)
            .map(|b| b.position)
            .max()
            .expect("a bulletin the same morning");
        assert!(bulletin_last < assessment.position, "{}", assessment.period);
    }
    // Dispatches: one per task force each week, on Monday 09:00 or the next working day.
    let dispatches = of(PublicationKind::Dispatch);
    let weeks: BTreeMap<NaiveDateTime, usize> =
        dispatches.iter().fold(BTreeMap::new(), |mut weeks, m| {
            *weeks.entry(m.local).or_default() += 1;
            weeks
        });
    assert!(
        weeks.values().all(|&n| n == 3),
        "three task forces each time"
    );
    assert!(weeks
        .keys()
        .all(|t| t.format("%H:%M").to_string() == "09:00"));
    for moved in [
        "2026-02-24 09:00", // 春节: Mondays 02-16 and 02-23 made one
        "2026-04-07 09:00", // 清明节 on Monday 04-06
        "2026-05-06 09:00", // 劳动节
        "2026-10-08 09:00", // 国庆节
        "2026-12-08 09:00", // the county's own day off on Monday 12-07
    ] {
        assert!(weeks.contains_key(&when(moved)), "a dispatch on {moved}");
    }
    let merged: Vec<&&Made> = dispatches.iter().filter(|m| m.nominal == 2).collect();
    assert_eq!(merged.len(), 3, "the Spring Festival's, per task force");
    assert!(merged.iter().all(|m| m.local == when("2026-02-24 09:00")));
    let mondays = weeks
        .keys()
        .filter(|t| t.format("%a").to_string() == "Mon")
        .count();
    // From 2025-12-08 to 2026-12-28: 56 Mondays, six of them moved (one pair made one).
    assert_eq!(weeks.len(), 55, "{weeks:?}");
    assert_eq!(mondays, 50);
}

/// One test per function on each store: `sqlite::<name>` and `postgres::<name>`, as the
/// chapters are.
macro_rules! on_both_stores {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(&crate::World::sqlite().await).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(w) = crate::World::postgres().await else {
                        return;
                    };
                    super::$test(&w).await;
                }
            )+
        }
    };
}
pub(crate) use on_both_stores;

on_both_stores!(the_scheduler_walks_2026);
