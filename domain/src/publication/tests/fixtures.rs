//! Fixtures shared by the publication tests: the county-wide bulletin of March 2026 (Asia/
//! Shanghai), the yibao task force's dispatch of the week from Monday 2026-03-09, the
//! assessment of 2026-Q1, and figures that hang together.

use cqrs_es::test::TestFramework;

use crate::assessment::Rate;
use crate::publication::*;
use crate::settings::CampaignSettings;
use crate::testing::default_services;
pub(super) use crate::testing::fixtures::{at, campaign, person, text, unit};
use crate::values::{PersonId, PublicationId, TaskForceId};
use crate::{Command, Stamp};

pub(super) fn framework() -> TestFramework<Publication> {
    TestFramework::with(default_services())
}

/// The test services on China's vendored arrangement (2024–2026 known, later years guessed).
pub(super) fn china() -> TestFramework<Publication> {
    TestFramework::with(crate::services::DomainServices {
        calendar: std::sync::Arc::new(crate::calendar::ChinaCalendar),
        ..default_services()
    })
}

/// 2026-03-01 00:00 and 2026-04-01 00:00 Beijing time.
pub(super) const MARCH: &str = "2026-02-28T16:00:00Z";
pub(super) const APRIL: &str = "2026-03-31T16:00:00Z";
/// Wednesday 2026-04-01 09:00 Beijing time: the bulletin and the assessment fall due.
pub(super) const DUE: &str = "2026-04-01T01:00:00Z";
/// Minutes later the same day: on time.
pub(super) const NOW: &str = "2026-04-01T01:05:00Z";

/// Who sends `body`: a correction is a secretariat's, everything else the schedule's.
pub(super) fn actor_for(body: &PublicationCommand) -> PersonId {
    match body {
        PublicationCommand::Correct { .. } => secretariat(),
        _ => schedule(),
    }
}

/// The medical-insurance secretariat of the test directory, who publishes corrections.
pub(super) fn secretariat() -> PersonId {
    person("sec-yibao")
}

pub(super) fn schedule() -> PersonId {
    person("schedule:bulletin")
}

pub(super) fn yibao() -> PublicationScope {
    PublicationScope::TaskForce(TaskForceId::parse("yibao").expect("task force"))
}

pub(super) fn period(start: &str, cut_off: &str) -> Period {
    Period {
        start: at(start),
        cut_off: at(cut_off),
    }
}

pub(super) fn pid(s: &str) -> PublicationId {
    PublicationId::parse(s).expect("publication id")
}

pub(super) fn digest() -> ChainDigest {
    ChainDigest::parse("ab".repeat(32)).expect("digest")
}

pub(super) fn cmd_at(when: &str, body: PublicationCommand) -> Command<PublicationCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: actor_for(&body),
        },
        body,
    )
}

pub(super) fn cmd(body: PublicationCommand) -> Command<PublicationCommand> {
    cmd_at(NOW, body)
}

pub(super) fn counts(full: u32, mitigated: u32, exempted: u32, days: u64) -> Counts {
    Counts {
        registered: Tally {
            in_period: 4,
            to_date: 10,
        },
        closed_on_time: Tally {
            in_period: 1,
            to_date: 2,
        },
        closed_late: Tally::default(),
        open: 8,
        pending_sign_off: 1,
        overdue: OverdueCount::new(full, mitigated, exempted, 0.5),
        days_overdue: days,
        completion_rate: Some(Rate::new(2, 7)),
        on_time_rate: Some(Rate::new(2, 2)),
        send_back_rate: None,
        response_rate: Some(Rate::new(3, 4)),
        relapses: 0,
        late_acknowledgements: 1,
    }
}

/// township-a: 3 overdue + 1 mitigated (3.5), 40 days; township-b: 1 overdue, 5 days.
pub(super) fn figures() -> Figures {
    Figures {
        totals: counts(4, 1, 1, 45),
        units: vec![
            UnitRow {
                unit: unit("township-a"),
                counts: counts(3, 1, 1, 40),
            },
            UnitRow {
                unit: unit("township-b"),
                counts: counts(1, 0, 0, 5),
            },
            UnitRow {
                unit: unit("township-c"),
                counts: counts(0, 0, 0, 0),
            },
        ],
        ranking: vec![
            Ranked {
                unit: unit("township-a"),
                overdue: 3.5,
                days_overdue: 40,
            },
            Ranked {
                unit: unit("township-b"),
                overdue: 1.0,
                days_overdue: 5,
            },
        ],
        bottom: vec![unit("township-a"), unit("township-b")],
        named: vec![unit("township-a"), unit("township-b")],
        scores: vec![],
        dispatch: None,
    }
}

pub(super) const BULLETIN: &str = "bulletin~qunfu-2026~2026-03~county";

pub(super) fn bulletin() -> Publish {
    Publish {
        publication: pid(BULLETIN),
        kind: PublicationKind::Bulletin,
        campaign: campaign(),
        scope: PublicationScope::County,
        period: period(MARCH, APRIL),
        nominal: vec![],
        inputs: LogPoint {
            position: 4_711,
            digest: digest(),
        },
        figures: figures(),
    }
}

/// What the aggregate computes for the fixtures on the weekdays calendar: the bulletin and
/// the assessment fall due on Wednesday 1 April 09:00, a dispatch on its last nominal Monday.
pub(super) fn due_of(publish: &Publish) -> &'static str {
    match publish.kind {
        PublicationKind::Dispatch if publish.nominal.len() > 1 => MERGED_DUE,
        PublicationKind::Dispatch => DISPATCH_DUE,
        _ => DUE,
    }
}

pub(super) fn published(publish: Publish, late: bool, when: &str) -> PublicationEvent {
    let due = due_of(&publish);
    published_due(publish, due, false, late, when)
}

/// A publication as published at `when`, due at `due`, computed on a guessed calendar or not.
pub(super) fn published_due(
    publish: Publish,
    due: &str,
    calendar_unknown: bool,
    late: bool,
    when: &str,
) -> PublicationEvent {
    PublicationEvent::Published {
        publication: publish.publication,
        kind: publish.kind,
        campaign: publish.campaign,
        scope: publish.scope,
        period: publish.period,
        due_at: at(due),
        calendar_unknown,
        rhythm: crate::testing::rhythm(),
        nominal: publish.nominal,
        late,
        inputs: publish.inputs,
        mitigation_factor: 0.5,
        rules: FigureRules::of(publish.kind, &CampaignSettings::default()),
        figures: Box::new(publish.figures),
        correction: None,
        by: schedule(),
        at: at(when),
    }
}

/// Monday 2026-03-09 00:00 and 2026-03-16 00:00 Beijing time; nominally due 2026-03-16 09:00.
pub(super) const WEEK: &str = "2026-03-08T16:00:00Z";
pub(super) const NEXT_WEEK: &str = "2026-03-15T16:00:00Z";
pub(super) const DISPATCH_DUE: &str = "2026-03-16T01:00:00Z";
/// The fixtures' only merged dispatch (Spring Festival, on China's calendar): Mondays 16 and
/// 23 February 2026, both moved to Tuesday 24 February 09:00.
pub(super) const MERGED_DUE: &str = "2026-02-24T01:00:00Z";

pub(super) fn dispatch() -> Publish {
    Publish {
        publication: pid("dispatch~qunfu-2026~2026-03-09~task_force:yibao"),
        kind: PublicationKind::Dispatch,
        scope: yibao(),
        period: period(WEEK, NEXT_WEEK),
        nominal: vec![at(DISPATCH_DUE)],
        figures: Figures {
            dispatch: Some(DispatchLists::default()),
            ..figures()
        },
        ..bulletin()
    }
}

/// 2026-01-01 00:00 Beijing time.
pub(super) const Q1: &str = "2025-12-31T16:00:00Z";

pub(super) fn assessment() -> Publish {
    Publish {
        publication: pid("assessment~qunfu-2026~2026-Q1~county"),
        kind: PublicationKind::Assessment,
        period: period(Q1, APRIL),
        figures: Figures {
            scores: vec![UnitScore {
                unit: unit("township-a"),
                score: Some(crate::testing::fixtures::score(55.0)),
                grade: Some(crate::assessment::Grade::Fail),
            }],
            ..figures()
        },
        ..bulletin()
    }
}

pub(super) fn publish(publish: Publish) -> PublicationCommand {
    PublicationCommand::Publish(publish)
}
