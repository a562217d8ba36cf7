//! Drill-down: for every figure of a publication, the items (or complaints) behind it and the
//! log positions of the events that make each count — so a reader who doubts "3 overdue" can
//! open the three items and the events that made them overdue.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One item or complaint behind a figure, and the positions of the events that make it count.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Behind {
    /// An item code (`YB-2026-0001`) or a complaint id.
    pub code: String,
    pub positions: Vec<u64>,
}

/// What is behind each figure of one scope or unit, by figure name (see [`figure`]).
pub type FigureSources = BTreeMap<String, Vec<Behind>>;

/// What is behind the figures of a publication: its whole scope, and each unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillDown {
    pub totals: FigureSources,
    pub units: BTreeMap<String, FigureSources>,
}

/// The figures' names in a drill-down: the fields of
/// [`Counts`](rectiflow_domain::publication::Counts), a rate by its numerator and denominator.
pub mod figure {
    pub const REGISTERED_IN_PERIOD: &str = "registered.in_period";
    pub const REGISTERED_TO_DATE: &str = "registered.to_date";
    pub const CLOSED_ON_TIME_IN_PERIOD: &str = "closed_on_time.in_period";
    pub const CLOSED_ON_TIME_TO_DATE: &str = "closed_on_time.to_date";
    pub const CLOSED_LATE_IN_PERIOD: &str = "closed_late.in_period";
    pub const CLOSED_LATE_TO_DATE: &str = "closed_late.to_date";
    pub const OPEN: &str = "open";
    pub const PENDING_SIGN_OFF: &str = "pending_sign_off";
    pub const OVERDUE_FULL: &str = "overdue.full";
    pub const OVERDUE_MITIGATED: &str = "overdue.mitigated";
    pub const OVERDUE_EXEMPTED: &str = "overdue.exempted";
    /// The completion rate's denominator: items whose deadline in force passed before the
    /// cut-off; its numerator: those of them closed.
    pub const DUE: &str = "completion.due";
    pub const DUE_CLOSED: &str = "completion.closed";
    pub const SIGN_OFF_REQUESTS: &str = "send_back.requests";
    pub const SEND_BACKS: &str = "send_back.send_backs";
    pub const RESPONSES_DUE: &str = "response.due";
    pub const RESPONSES_IN_TIME: &str = "response.in_time";
    pub const RELAPSES: &str = "relapses";
    pub const LATE_ACKNOWLEDGEMENTS: &str = "late_acknowledgements";

    /// Every figure's name, in the order of [`Counts`](rectiflow_domain::publication::Counts).
    pub const ALL: [&str; 19] = [
        REGISTERED_IN_PERIOD,
        REGISTERED_TO_DATE,
        CLOSED_ON_TIME_IN_PERIOD,
        CLOSED_ON_TIME_TO_DATE,
        CLOSED_LATE_IN_PERIOD,
        CLOSED_LATE_TO_DATE,
        OPEN,
        PENDING_SIGN_OFF,
        OVERDUE_FULL,
        OVERDUE_MITIGATED,
        OVERDUE_EXEMPTED,
        DUE,
        DUE_CLOSED,
        SIGN_OFF_REQUESTS,
        SEND_BACKS,
        RESPONSES_DUE,
        RESPONSES_IN_TIME,
        RELAPSES,
        LATE_ACKNOWLEDGEMENTS,
    ];
}
