//! Counting one scope or one unit (DOMAIN.md "Definitions"), with what is behind each count.

use chrono::{DateTime, Utc};
use rectiflow_domain::assessment::Rate;
use rectiflow_domain::item::{FaultDecision, ItemState};
use rectiflow_domain::publication::{Counts, OverdueCount, Period, Tally as InAndToDate};

use super::drill::{figure, Behind, FigureSources};
use crate::complaint_history::ResponseDue;
use crate::item_history::{Happened, Happening, ItemAsOf};

/// The running counts of one scope or unit.
#[derive(Debug, Default)]
pub(super) struct Tally {
    registered: InAndToDate,
    closed_on_time: InAndToDate,
    closed_late: InAndToDate,
    open: u64,
    pending_sign_off: u64,
    full: u32,
    mitigated: u32,
    exempted: u32,
    days_overdue: u64,
    due: u64,
    due_closed: u64,
    requests: u64,
    send_backs: u64,
    responses_due: u64,
    responses_in_time: u64,
    relapses: u64,
    late_acknowledgements: u64,
    pub(super) sources: FigureSources,
}

fn bump(tally: &mut InAndToDate, in_period: bool) {
    tally.to_date += 1;
    if in_period {
        tally.in_period += 1;
    }
}

fn rate(numerator: u64, denominator: u64) -> Option<Rate> {
    (denominator > 0).then(|| Rate::new(numerator, denominator))
}

impl Tally {
    fn note(&mut self, figure: &str, code: &str, positions: impl IntoIterator<Item = u64>) {
        self.sources
            .entry(figure.to_owned())
            .or_default()
            .push(Behind {
                code: code.to_owned(),
                positions: positions.into_iter().collect(),
            });
    }

    /// Counts an item as it stood at the cut-off (withdrawn items are never passed here).
    pub(super) fn item(&mut self, item: &ItemAsOf, period: &Period) {
        let cut_off = period.cut_off;
        let code = item.code.as_str();
        let in_period = |at: DateTime<Utc>| period.start <= at;
        bump(&mut self.registered, in_period(item.registered_at));
        self.note(figure::REGISTERED_TO_DATE, code, [item.registered_position]);
        if in_period(item.registered_at) {
            self.note(
                figure::REGISTERED_IN_PERIOD,
                code,
                [item.registered_position],
            );
        }
        if let (Some(closure), Some(on_time)) = (item.closure, item.closed_on_time_at(cut_off)) {
            let (tally, to_date, during) = if on_time {
                (
                    &mut self.closed_on_time,
                    figure::CLOSED_ON_TIME_TO_DATE,
                    figure::CLOSED_ON_TIME_IN_PERIOD,
                )
            } else {
                (
                    &mut self.closed_late,
                    figure::CLOSED_LATE_TO_DATE,
                    figure::CLOSED_LATE_IN_PERIOD,
                )
            };
            bump(tally, in_period(closure.at));
            self.note(to_date, code, [closure.position]);
            if in_period(closure.at) {
                self.note(during, code, [closure.position]);
            }
        }
        if item.state.is_open() {
            self.open += 1;
            self.note(figure::OPEN, code, [item.registered_position]);
        }
        if let (ItemState::PendingSignOff, Some((_, position))) = (item.state, item.requested) {
            self.pending_sign_off += 1;
            self.note(figure::PENDING_SIGN_OFF, code, [position]);
        }
        let clock = item.clock();
        let deadline_set = item.deadline_position.into_iter();
        if clock.overdue_at(cut_off) {
            let ruling = item.ruling_position_at(cut_off);
            let (count, name) = match clock.decision_at(cut_off) {
                Some(FaultDecision::Exempt) => (&mut self.exempted, figure::OVERDUE_EXEMPTED),
                Some(FaultDecision::Mitigate) => (&mut self.mitigated, figure::OVERDUE_MITIGATED),
                _ => (&mut self.full, figure::OVERDUE_FULL),
            };
            *count += 1;
            self.days_overdue += u64::try_from(clock.days_overdue_at(cut_off)).unwrap_or(0);
            self.note(name, code, deadline_set.clone().chain(ruling));
        }
        // Completion: the deadline in force (as at the cut-off) passed before it.
        if item.passes_at.is_some_and(|passes_at| passes_at < cut_off) {
            self.due += 1;
            self.note(figure::DUE, code, deadline_set);
            if let Some(closure) = item.closure {
                self.due_closed += 1;
                self.note(figure::DUE_CLOSED, code, [closure.position]);
            }
        }
    }

    /// Counts a fact that happened in the period.
    pub(super) fn happened(&mut self, code: &str, happened: &Happened) {
        let (count, name) = match happened.what {
            Happening::SignOffRequested => (&mut self.requests, figure::SIGN_OFF_REQUESTS),
            Happening::SentBack => (&mut self.send_backs, figure::SEND_BACKS),
            Happening::Relapse => (&mut self.relapses, figure::RELAPSES),
            Happening::LateAcknowledgement => (
                &mut self.late_acknowledgements,
                figure::LATE_ACKNOWLEDGEMENTS,
            ),
        };
        *count += 1;
        self.note(name, code, [happened.position]);
    }

    /// Counts a complaint whose response fell due in the period.
    pub(super) fn response(&mut self, response: &ResponseDue) {
        self.responses_due += 1;
        self.note(
            figure::RESPONSES_DUE,
            &response.complaint,
            response.positions.iter().copied(),
        );
        if response.in_time {
            self.responses_in_time += 1;
            self.note(
                figure::RESPONSES_IN_TIME,
                &response.complaint,
                response.positions.iter().copied(),
            );
        }
    }

    /// The counts, the overdue weighted by the mitigation factor `factor`.
    pub(super) fn counts(&self, factor: f64) -> Counts {
        let closed = self.closed_on_time.to_date + self.closed_late.to_date;
        Counts {
            registered: self.registered,
            closed_on_time: self.closed_on_time,
            closed_late: self.closed_late,
            open: self.open,
            pending_sign_off: self.pending_sign_off,
            overdue: OverdueCount::new(self.full, self.mitigated, self.exempted, factor),
            days_overdue: self.days_overdue,
            completion_rate: rate(self.due_closed, self.due),
            on_time_rate: rate(self.closed_on_time.to_date, closed),
            send_back_rate: rate(self.send_backs, self.requests),
            response_rate: rate(self.responses_in_time, self.responses_due),
            relapses: self.relapses,
            late_acknowledgements: self.late_acknowledgements,
        }
    }
}
