//! Given/when/then tests of the survey round, and of [`Quarter`]; shared fixtures here, one
//! file per rule.

use cqrs_es::test::TestFramework;

use crate::settings::Field;
pub(super) use crate::survey::*;
pub(super) use crate::testing::fixtures::{at, campaign, date, officer, score, unit};
use crate::values::{SurveyId, TaskForceId};
use crate::{Command, Stamp};

mod lifecycle;
mod one_round;
mod quarter;
mod roles;
mod task_force;
mod within_quarter;

pub(super) fn framework() -> TestFramework<Survey> {
    TestFramework::with(crate::testing::default_services())
}

pub(super) const NOW: &str = "2026-03-25T02:00:00Z";

pub(super) fn q1() -> Quarter {
    Quarter::new(2026, 1).expect("quarter")
}

pub(super) fn cmd(body: SurveyCommand) -> Command<SurveyCommand> {
    cmd_at(NOW, body)
}

pub(super) fn cmd_at(instant: &str, body: SurveyCommand) -> Command<SurveyCommand> {
    Command::new(
        Stamp {
            at: at(instant),
            actor: officer(),
        },
        body,
    )
}

/// The id of the 2026-Q1 elderly-care round of the civil-affairs bureau.
pub(super) fn round() -> SurveyId {
    SurveyId::parse("qunfu-2026~2026-Q1~elderly_care~civil-affairs-bureau").expect("id")
}

pub(super) fn open() -> SurveyCommand {
    SurveyCommand::OpenRound {
        round: round(),
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        unit: unit("civil-affairs-bureau"),
    }
}

/// The elderly-care task force (养老专班) of the test campaign.
pub(super) fn yanglao() -> TaskForceId {
    TaskForceId::parse("yanglao").expect("id")
}

/// 2026-Q1 in Asia/Shanghai (UTC+8): from 2026-01-01 00:00 to 2026-04-01 00:00 local.
pub(super) const Q1_STARTS: &str = "2025-12-31T16:00:00Z";
pub(super) const Q1_ENDS: &str = "2026-03-31T16:00:00Z";

pub(super) fn opened() -> SurveyEvent {
    SurveyEvent::RoundOpened {
        round: round(),
        campaign: campaign(),
        quarter: q1(),
        field: Field::ElderlyCare,
        task_force: Some(yanglao()),
        unit: unit("civil-affairs-bureau"),
        quarter_starts_at: at(Q1_STARTS),
        quarter_ends_at: at(Q1_ENDS),
        by: officer(),
        at: at(NOW),
    }
}

pub(super) fn recorded(v: f64, n: u32) -> SurveyEvent {
    SurveyEvent::ScoreRecorded {
        score: score(v),
        sample_size: n,
        by: officer(),
        at: at(NOW),
    }
}

pub(super) fn closed(n: u64, mean: Option<f64>) -> SurveyEvent {
    SurveyEvent::RoundClosed {
        sample_size: n,
        mean: mean.map(score),
        by: officer(),
        at: at(NOW),
    }
}

pub(super) fn invalid(state: &'static str, request: &'static str) -> SurveyError {
    SurveyError::InvalidTransition { state, request }
}
