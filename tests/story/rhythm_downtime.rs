//! Not chapters: the scheduler as several processes and after downtime, on the campaign set up
//! as in [`crate::rhythm`]. Two schedulers looking at once fire each occurrence once and make
//! each publication once, the bulletin before the assessment; after three days down the missed
//! dispatch and bulletin fire, late; after nine, the dispatch past its catch-up window is
//! recorded as skipped; a dispatch fired whose publications were not made before its window
//! closed has them recorded as skipped.

use rectiflow_domain::publication::{PublicationKind, PublicationScope};
use rectiflow_domain::schedule::{Schedule, ScheduleKind};
use rectiflow_scheduler::firing::{ActionFailed, PublicationOrder, Publisher, Scheduler};
use rectiflow_tests::{shanghai, CancellationToken, CommandContext, Store};

use crate::rhythm::{publications, scheduler, when, Walk};
use crate::world::World;

/// How each schedule stands: its nominal times done, and the occurrences awaiting action.
async fn done_and_awaiting<S: Store>(w: &World<S>, kind: ScheduleKind) -> (usize, usize) {
    let (schedule, _) = w
        .exec
        .load::<Schedule>(&format!("qunfu-2026:{}", kind.as_str()))
        .await
        .expect("the schedule");
    let state = schedule.state().expect("created");
    (state.done.len(), state.awaiting.len())
}

async fn two_schedulers_fire_each_occurrence_once<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    let stop = walk.stop.clone();
    let (one, other) = (scheduler(w), scheduler(w));
    // December 2025 and the new year's first week: five dispatches, the December bulletin and
    // the fourth quarter's assessment (both on Sunday 01-04).
    let end = shanghai(2026, 1, 6, 0, 0);
    let (mut fired, mut lost) = (0, 0);
    loop {
        let (a, b) = tokio::join!(one.tick(&stop), other.tick(&stop));
        let (a, b) = (a.expect("a look"), b.expect("a look"));
        assert!(
            a.failures.is_empty() && b.failures.is_empty(),
            "{a:?} {b:?}"
        );
        fired += a.fired.len() + b.fired.len();
        lost += a.lost + b.lost;
        match a.next_due.into_iter().chain(b.next_due).min() {
            Some(next) if next < end => w.at(next),
            _ => break,
        };
    }
    walk.end().await;
    assert_eq!(fired, 7, "each occurrence fired by one of the two");
    let (made, skipped) = publications(w).await;
    assert!(skipped.is_empty());
    let count = |kind| made.iter().filter(|m| m.kind == kind).count();
    assert_eq!(count(PublicationKind::Dispatch), 5 * 3, "per task force");
    assert_eq!(
        count(PublicationKind::Bulletin),
        4,
        "county and per task force"
    );
    assert_eq!(count(PublicationKind::Assessment), 1);
    // On 01-04 the December bulletin (every scope) came before the quarter's assessment.
    let at_new_year = |kind| {
        made.iter()
            .filter(|m| m.kind == kind && m.local == when("2026-01-04 09:00"))
            .map(|m| m.position)
            .collect::<Vec<u64>>()
    };
    let (bulletins, assessments) = (
        at_new_year(PublicationKind::Bulletin),
        at_new_year(PublicationKind::Assessment),
    );
    assert_eq!((bulletins.len(), assessments.len()), (4, 1));
    assert!(
        bulletins.iter().all(|b| *b < assessments[0]),
        "{bulletins:?} {assessments:?}"
    );
    for (kind, done) in [
        (ScheduleKind::WeeklyDispatch, 5),
        (ScheduleKind::MonthlyBulletin, 1),
        (ScheduleKind::QuarterlyAssessment, 1),
    ] {
        assert_eq!(done_and_awaiting(w, kind).await, (done, 0), "{kind}");
    }
    // How many races were lost depends on timing; what neither may do is act twice or out of
    // order, which the counts and positions above rule out. Say what happened, for whoever
    // reads a failure.
    eprintln!("{}: the two schedulers lost {lost} races", w.backend);
}

async fn downtime_fires_late_and_skips_what_is_too_old<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    let stop = walk.stop.clone();
    let scheduler = scheduler(w);
    // Running until Sunday 2026-03-01.
    walk.until(w, &scheduler, shanghai(2026, 3, 1, 0, 0)).await;
    // Down three days and a bit: Monday 03-02's dispatch (inside its 3-day window) and the
    // February bulletin (never skipped) fire on restart, late.
    w.at(shanghai(2026, 3, 4, 12, 0));
    let tick = scheduler.tick(&stop).await.expect("a look");
    assert!(tick.failures.is_empty(), "{:?}", tick.failures);
    assert_eq!(tick.fired.len(), 2, "{tick:?}");
    assert!(tick.skipped.is_empty());
    // Down nine days: Monday 03-09's dispatch is past its window (closed 03-12 09:00).
    w.at(shanghai(2026, 3, 13, 10, 0));
    let tick = scheduler.tick(&stop).await.expect("a look");
    assert!(tick.failures.is_empty(), "{:?}", tick.failures);
    assert!(tick.fired.is_empty(), "{tick:?}");
    assert_eq!(tick.skipped.len(), 1, "{tick:?}");
    walk.end().await;

    let (made, skipped) = publications(w).await;
    let restart = when("2026-03-04 12:00");
    let late: Vec<(PublicationKind, &str)> = made
        .iter()
        .filter(|m| m.late && m.scope != PublicationScope::TaskForce(tf("xiaoyuan")))
        .filter(|m| m.scope != PublicationScope::TaskForce(tf("yanglao")))
        .map(|m| {
            assert_eq!(m.local, restart, "published on restart: {m:?}");
            (m.kind, m.period.as_str())
        })
        .collect();
    assert_eq!(
        late,
        vec![
            (PublicationKind::Bulletin, "2026-02"),
            (PublicationKind::Bulletin, "2026-02"),
            (PublicationKind::Dispatch, "2026-02-23"),
        ],
        "county and one task force's February bulletin, that task force's dispatch"
    );
    assert_eq!(
        made.iter().filter(|m| m.late).map(|m| m.due_at).min(),
        Some(when("2026-03-02 09:00"))
    );
    assert_eq!(skipped.len(), 3, "one dispatch per task force: {skipped:?}");
    assert!(
        skipped.iter().all(|id| id.contains("2026-03-02")),
        "{skipped:?}"
    );
}

/// A publisher that fails every time, as a process stopped after firing would leave things.
struct Stopped;

impl Publisher for Stopped {
    async fn publish(
        &self,
        _order: &PublicationOrder,
        _context: &CommandContext,
        _stop: &CancellationToken,
    ) -> Result<(), ActionFailed> {
        Err(ActionFailed("the process stopped".into()))
    }
}

/// A dispatch fired whose publications were not made before its catch-up window closed (its
/// process stopped in between) has them recorded as skipped when taken up — the publication
/// would refuse them — and the look goes on to the bulletin behind it.
async fn a_fired_dispatch_past_its_window_is_completed_as_skipped<S: Store>(w: &World<S>) {
    let walk = Walk::begin(w).await;
    let stop = walk.stop.clone();
    let stopped = Scheduler::new(w.exec.clone(), w.services.clone(), Stopped);
    // Monday 2025-12-08 09:00: the first dispatch fires, and its publishing fails.
    w.at(shanghai(2025, 12, 8, 9, 0));
    let tick = stopped.tick(&stop).await.expect("a look");
    assert_eq!(tick.fired.len(), 1, "{tick:?}");
    assert_eq!(tick.failures.len(), 1, "{tick:?}");
    assert_eq!(
        done_and_awaiting(w, ScheduleKind::WeeklyDispatch).await,
        (1, 1)
    );
    // Back on Friday 12-12 12:00, past that dispatch's window (12-11 09:00).
    w.at(shanghai(2025, 12, 12, 12, 0));
    let tick = scheduler(w).tick(&stop).await.expect("a look");
    assert!(tick.failures.is_empty(), "{:?}", tick.failures);
    assert_eq!(tick.completed.len(), 1, "{tick:?}");
    assert_eq!(
        done_and_awaiting(w, ScheduleKind::WeeklyDispatch).await,
        (1, 0)
    );
    walk.end().await;
    let (made, skipped) = publications(w).await;
    assert!(made.is_empty(), "{made:?}");
    assert_eq!(skipped.len(), 3, "one per task force: {skipped:?}");
}

fn tf(id: &str) -> rectiflow_domain::values::TaskForceId {
    rectiflow_domain::values::TaskForceId::parse(id).expect("a task force id")
}

crate::rhythm::on_both_stores!(
    two_schedulers_fire_each_occurrence_once,
    a_fired_dispatch_past_its_window_is_completed_as_skipped,
    downtime_fires_late_and_skips_what_is_too_old,
);
