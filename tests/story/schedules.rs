//! The rhythm's schedules as aggregates (issue #11) on the story's store: the administrator
//! creates the campaign's monthly-bulletin schedule, and three processes fire the same
//! occurrence at once through executors of their own — it is fired once; the others are
//! refused as already done, and the stream holds one `occurrence_fired`.

use chrono::{DateTime, Utc};
use rectiflow_domain::schedule::{
    actor_of, schedule_id, Schedule, ScheduleCommand, ScheduleError, ScheduleEvent, ScheduleKind,
};
use rectiflow_engine::StreamRef;
use rectiflow_tests::{shanghai, CommandContext, ExecuteError, Executor, Store};

use crate::policy_runs::decoded;
use crate::world::{campaign_id, World};

pub async fn three_processes_fire_one_occurrence_once<S: Store>(w: &World<S>) {
    let kind = ScheduleKind::MonthlyBulletin;
    let id = schedule_id(&campaign_id(), kind).expect("a schedule id");
    w.ok::<Schedule, _>(
        "admin-wu",
        id.as_str(),
        ScheduleCommand::Create {
            schedule: id.clone(),
            campaign: campaign_id(),
            kind,
            starts: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
        },
    )
    .await;
    let refused = w
        .refused::<Schedule, _>("sec-li", id.as_str(), ScheduleCommand::Resume)
        .await;
    assert_eq!(refused.code(), "schedule.forbidden");

    // The September bulletin: nominally 10-01 09:00, due 10-08 09:00 after National Day —
    // the aggregate computes that on the county's calendar; fired a minute early, it is
    // refused.
    let nominal: DateTime<Utc> = shanghai(2026, 10, 1, 9, 0);
    let due = shanghai(2026, 10, 8, 9, 0);
    let actor = actor_of(&id).expect("the schedule's actor");
    w.at(due - chrono::Duration::minutes(1));
    let early = w
        .refused::<Schedule, _>(
            actor.as_str(),
            id.as_str(),
            ScheduleCommand::Fire {
                nominal: vec![nominal],
            },
        )
        .await;
    assert_eq!(early.code(), "schedule.not_yet_due");
    w.at(due);
    let fire = || {
        // Each process has an executor of its own over the same store.
        let exec = Executor::new(w.store().clone(), std::sync::Arc::new(w.clock.clone()));
        let services = w.services.clone();
        let actor = actor.clone();
        let id = id.clone();
        async move {
            exec.execute::<Schedule, _>(
                &CommandContext::new(actor),
                id.as_str(),
                None,
                ScheduleCommand::Fire {
                    nominal: vec![nominal],
                },
                &services,
            )
            .await
        }
    };
    let processes = [
        tokio::spawn(fire()),
        tokio::spawn(fire()),
        tokio::spawn(fire()),
    ];
    let mut outcomes = Vec::new();
    for process in processes {
        outcomes.push(process.await.expect("the firing task"));
    }
    let fired = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(fired, 1, "{outcomes:?}");
    for outcome in outcomes.into_iter().filter_map(Result::err) {
        match outcome {
            ExecuteError::Refused(ScheduleError::AlreadyDone { nominal: n, done }) => {
                assert_eq!((n, done), (nominal, "fired"));
            }
            other => panic!("expected the occurrence already fired, got {other}"),
        }
    }
    let events: Vec<ScheduleEvent> =
        decoded(w.store(), &StreamRef::new("schedule", id.as_str())).await;
    let fired: Vec<&ScheduleEvent> = events
        .iter()
        .filter(|e| matches!(e, ScheduleEvent::OccurrenceFired { .. }))
        .collect();
    assert_eq!(fired.len(), 1, "{events:?}");
}
