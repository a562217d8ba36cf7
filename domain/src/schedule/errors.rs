//! Why a schedule command was refused.

use chrono::{DateTime, NaiveDate, Utc};

use super::commands::{ScheduleCommand, ScheduleKind};
use crate::failure::DomainError;
use crate::values::CampaignId;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// E.g. creating a schedule twice, resuming one not paused, anything on a deleted one.
    #[error(
        "发布计划处于“{}”状态，不能{}",
        state_label(state),
        ScheduleCommand::label_of(request)
    )]
    InvalidTransition {
        /// `not_created`, `running`, `paused` or `deleted`.
        state: &'static str,
        request: &'static str,
    },
    #[error("结束日期 {ends} 早于开始日期 {starts}，发布计划不能在开始前结束")]
    EndsBeforeStart { starts: NaiveDate, ends: NaiveDate },
    #[error("{date} 超出发布计划可覆盖的年份（{min} 年至 {max} 年）")]
    DateOutOfRange { date: NaiveDate, min: i32, max: i32 },
    #[error(
        "补发区间 {from} 至 {to} 有误：结束日不得早于起始日，且须早于发布计划的开始日期 {starts}"
    )]
    BadBackfill {
        from: NaiveDate,
        to: NaiveDate,
        starts: NaiveDate,
    },
    #[error("补发区间 {from} 至 {to} 过长，最多 {max_days} 天")]
    BackfillTooLong {
        from: NaiveDate,
        to: NaiveDate,
        max_days: i64,
    },
    #[error("本期须按时间先后列明其原定时点，且各原定时点须在同一时刻到期")]
    BadOccurrence,
    #[error("{nominal} 不是本整治行动{}的原定时点", kind.label())]
    NotANominalTime {
        nominal: DateTime<Utc>,
        kind: ScheduleKind,
    },
    #[error("本期 {due_at} 方才到期，不能提前触发")]
    NotYetDue { due_at: DateTime<Utc> },
    #[error("本期仍在补发期内（至 {until}），应予补发并标注延迟")]
    InsideCatchUpWindow { until: DateTime<Utc> },
    #[error("本次周调度的补发期已于 {until} 截止，应记为跳过")]
    CatchUpWindowPassed { until: DateTime<Utc> },
    #[error("整治行动 {campaign} 的{}发布计划编号应为 {expected}", kind.label())]
    WrongStream {
        campaign: CampaignId,
        kind: ScheduleKind,
        expected: String,
    },
    /// The occurrence of this nominal time was already fired or skipped: exactly once.
    #[error("原定于 {nominal} 的一期{}，不再重复处理", done_label(done))]
    AlreadyDone {
        nominal: DateTime<Utc>,
        /// `fired` or `skipped`.
        done: &'static str,
    },
    #[error(
        "原定日期 {day} 不在发布计划的运行期内（{starts}{ends}）",
        ends = ends.map(|e| format!(" 至 {e}")).unwrap_or_else(|| " 起".to_owned())
    )]
    OutsideSchedule {
        day: NaiveDate,
        starts: NaiveDate,
        ends: Option<NaiveDate>,
    },
    /// Only an occurrence fired or skipped, and not completed yet, awaits its action.
    #[error("没有原定于 {nominal} 且待完成后续操作的一期")]
    NotAwaitingAction { nominal: DateTime<Utc> },
    #[error("{}不得跳过，应补发并标注延迟", kind.label())]
    NeverSkipped { kind: ScheduleKind },
    #[error("整治行动 {0} 不存在")]
    UnknownCampaign(CampaignId),
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory or the settings did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

/// The name users read of a schedule's state, as the aggregate names it (`running`…).
fn state_label(state: &str) -> &str {
    match state {
        "not_created" => "尚未创建",
        "running" => "正在运行",
        "paused" => "已暂停",
        "deleted" => "已删除",
        other => other,
    }
}

/// What was already done with an occurrence: `fired` or `skipped`.
fn done_label(done: &str) -> &str {
    match done {
        "fired" => "已触发",
        "skipped" => "已跳过",
        other => other,
    }
}

impl ScheduleError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "schedule.invalid_transition",
            Self::EndsBeforeStart { .. } => "schedule.ends_before_start",
            Self::DateOutOfRange { .. } => "schedule.date_out_of_range",
            Self::BadBackfill { .. } => "schedule.bad_backfill",
            Self::BackfillTooLong { .. } => "schedule.backfill_too_long",
            Self::BadOccurrence => "schedule.bad_occurrence",
            Self::NotANominalTime { .. } => "schedule.not_a_nominal_time",
            Self::NotYetDue { .. } => "schedule.not_yet_due",
            Self::InsideCatchUpWindow { .. } => "schedule.inside_catch_up_window",
            Self::CatchUpWindowPassed { .. } => "schedule.catch_up_window_passed",
            Self::WrongStream { .. } => "schedule.wrong_stream",
            Self::AlreadyDone { .. } => "schedule.already_done",
            Self::OutsideSchedule { .. } => "schedule.outside_schedule",
            Self::NotAwaitingAction { .. } => "schedule.not_awaiting_action",
            Self::NeverSkipped { .. } => "schedule.never_skipped",
            Self::UnknownCampaign(_) => "schedule.unknown_campaign",
            Self::Forbidden(_) => "schedule.forbidden",
            Self::Unavailable(_) => "schedule.unavailable",
        }
    }
}

impl DomainError for ScheduleError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        ScheduleError::code(self)
    }
}

impl From<crate::permission::Refused> for ScheduleError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
