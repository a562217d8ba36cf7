//! The six boards: for each, its filters and how a row's scope is built — the same fields,
//! in the same order, as its aggregate's `Scoped` (a case: campaign, task force, field, then
//! its units; an alert: always the medical-insurance field, the unit it is about).

use chrono::{DateTime, Utc};
use rectiflow_domain::accountability::AccountabilityStatus;
use rectiflow_domain::admonishment::AdmonishmentStatus;
use rectiflow_domain::alert::AlertStatus;
use rectiflow_domain::case::CaseStatus;
use rectiflow_domain::complaint::ComplaintStatus;
use rectiflow_domain::event::Scope;
use rectiflow_domain::reading::SubjectKind;
use rectiflow_domain::settings::Field;
use rectiflow_domain::survey::Quarter;
use rectiflow_domain::values::{CampaignId, TaskForceId, UnitId};
use rectiflow_projections::accountability_register::{AccountabilityEntry, AccountabilityRegister};
use rectiflow_projections::admonishment_register::{AdmonishmentEntry, AdmonishmentRegister};
use rectiflow_projections::alert_board::{self, AlertEntry};
use rectiflow_projections::board::Filter;
use rectiflow_projections::case_board::{self, CaseEntry};
use rectiflow_projections::complaint_board::{self, field_named, ComplaintEntry};
use rectiflow_projections::survey_rounds::{RoundRow, SurveyRounds};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Board, Paged};
use crate::api::resource::{Accountabilities, Admonishments, Alerts, Cases, Complaints, Surveys};

/// A board's query parameters: its filters (each optional), then `after` and `limit`.
macro_rules! params {
    ($(#[$meta:meta])* $name:ident { $($(#[$doc:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$doc])* pub $field: Option<$ty>,)*
            /// The register as it stood at this instant (RFC 3339), rebuilt from the log; as
            /// it stands by default.
            pub as_of: Option<DateTime<Utc>>,
            /// The cursor of the page to read (from the previous page's `next`).
            pub after: Option<String>,
            /// Rows per page, 1 to 500 (100 where each row listed is a recorded read; 50 by
            /// default).
            pub limit: Option<u32>,
        }

        impl Paged for $name {
            fn after(&self) -> Option<&str> {
                self.after.as_deref()
            }

            fn limit(&self) -> Option<u32> {
                self.limit
            }

            fn as_of(&self) -> Option<DateTime<Utc>> {
                self.as_of
            }
        }
    };
}

params!(
    /// The case board's filters.
    CaseParams {
        campaign: String,
        task_force: String,
        /// `medical_insurance`, `school_meals`, `elderly_care`, `state_assets`, or a field the
        /// campaign added, by its name (`other:<name>` if it is named like one of these).
        field: String,
        /// `clue_registered`, `clue_dismissed`, `open`, `closed` or `published`.
        stage: CaseStatus,
        /// The unit investigated or the supervising department.
        unit: String,
    }
);

params!(
    /// The complaint board's filters.
    ComplaintParams {
        campaign: String,
        task_force: String,
        /// `medical_insurance`, `school_meals`, `elderly_care`, `state_assets`, or a field the
        /// campaign added, by its name (`other:<name>` if it is named like one of these).
        field: String,
        state: ComplaintStatus,
        /// The unit that received it first or handles it now.
        unit: String,
    }
);

params!(
    /// The alert board's filters (every alert is of the medical-insurance fund).
    AlertParams {
        campaign: String,
        state: AlertStatus,
        /// The institution or unit the alert is about.
        subject: String,
    }
);

params!(
    /// The survey rounds' filters.
    SurveyParams {
        campaign: String,
        task_force: String,
        /// `medical_insurance`, `school_meals`, `elderly_care`, `state_assets`, or a field the
        /// campaign added, by its name (`other:<name>` if it is named like one of these).
        field: String,
        /// `2026-Q2`.
        quarter: Quarter,
        unit: String,
    }
);

params!(
    /// The admonishment register's filters.
    AdmonishmentParams {
        campaign: String,
        /// The unit admonished.
        unit: String,
        state: AdmonishmentStatus,
        /// The publication whose figures triggered it.
        publication: String,
    }
);

params!(
    /// The accountability register's filters.
    AccountabilityParams {
        campaign: String,
        /// The unit charged.
        unit: String,
        /// The person held to account.
        person: String,
        state: AccountabilityStatus,
    }
);

/// A filter on `columns` for each value given.
fn filters(given: &[(&'static [&'static str], Option<String>)]) -> Vec<Filter> {
    given
        .iter()
        .filter_map(|(columns, value)| value.clone().map(|v| Filter::new(columns, v)))
        .collect()
}

/// A state or other enum as its column holds it (its serde name).
fn text<T: Serialize>(value: &Option<T>) -> Option<String> {
    value
        .as_ref()
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
}

/// The scope of a row naming `campaign`, perhaps a task force and a field, and `units`.
fn scope_of<'u>(
    campaign: &str,
    task_force: Option<&str>,
    field: Option<Field>,
    units: impl IntoIterator<Item = &'u str>,
) -> Scope {
    let Ok(campaign) = CampaignId::parse(campaign) else {
        return Scope::default();
    };
    let task_force = task_force.and_then(|t| TaskForceId::parse(t).ok());
    units.into_iter().fold(
        Scope::campaign(&campaign)
            .with_task_force(task_force.as_ref())
            .with_field(field.as_ref()),
        |scope, unit| scope.with_unit(UnitId::parse(unit).ok().as_ref()),
    )
}

/// 案件查办 — the case board: counts and amounts, never the persons named; each row listed is
/// a recorded read of the case file.
pub struct CaseBoard;

impl Board for CaseBoard {
    type Resource = Cases;
    type Projection = case_board::CaseBoard;
    type Params = CaseParams;
    const SUMMARY: &'static str = "案件查办: the case board — stage, both investigations in \
                                   counts and amounts, the repair items";
    const UNIT_COLUMNS: &'static [&'static str] = &["subject_unit", "supervising_unit"];
    const RECORDS_READS: Option<SubjectKind> = Some(SubjectKind::Case);

    fn filters(p: &CaseParams) -> Vec<Filter> {
        filters(&[
            (&["campaign"], p.campaign.clone()),
            (&["task_force"], p.task_force.clone()),
            (&["field"], p.field.clone()),
            (&["stage"], text(&p.stage)),
            (Self::UNIT_COLUMNS, p.unit.clone()),
        ])
    }

    fn scope(row: &CaseEntry) -> Scope {
        let units = [&row.subject_unit, &row.supervising_unit];
        let units = units.into_iter().flatten().map(String::as_str);
        let units = units.chain(row.joint_team_units.iter().map(String::as_str));
        let units = units.chain(row.repair_items.iter().map(|r| r.unit.as_str()));
        scope_of(
            &row.campaign,
            row.task_force.as_deref(),
            Some(field_named(&row.field)),
            units,
        )
    }

    fn version(row: &CaseEntry) -> u64 {
        u64::try_from(row.version).unwrap_or(0)
    }
}

/// 投诉举报 — the complaint board: the public part only (the complainant is sealed).
pub struct ComplaintBoard;

impl Board for ComplaintBoard {
    type Resource = Complaints;
    type Projection = complaint_board::ComplaintBoard;
    type Params = ComplaintParams;
    const SUMMARY: &'static str = "投诉举报: the complaint board — who handles each, its \
                                   response window, how it was resolved and rated";
    const UNIT_COLUMNS: &'static [&'static str] = &["first_receiver", "handling_unit"];

    fn filters(p: &ComplaintParams) -> Vec<Filter> {
        filters(&[
            (&["campaign"], p.campaign.clone()),
            (&["task_force"], p.task_force.clone()),
            (&["field"], p.field.clone()),
            (&["state"], text(&p.state)),
            (Self::UNIT_COLUMNS, p.unit.clone()),
        ])
    }

    fn scope(row: &ComplaintEntry) -> Scope {
        scope_of(
            &row.campaign,
            row.task_force.as_deref(),
            Some(field_named(&row.field)),
            [row.first_receiver.as_str(), row.handling_unit.as_str()],
        )
    }
}

/// 数据预警 — the alert board.
pub struct AlertBoard;

impl Board for AlertBoard {
    type Resource = Alerts;
    type Projection = alert_board::AlertBoard;
    type Params = AlertParams;
    const SUMMARY: &'static str = "数据预警: the alert board — each alert, its triage and \
                                   whether it was triaged in time";
    const UNIT_COLUMNS: &'static [&'static str] = &["subject"];

    fn filters(p: &AlertParams) -> Vec<Filter> {
        filters(&[
            (&["campaign"], p.campaign.clone()),
            (&["state"], text(&p.state)),
            (Self::UNIT_COLUMNS, p.subject.clone()),
        ])
    }

    fn scope(row: &AlertEntry) -> Scope {
        scope_of(
            &row.campaign,
            None,
            Some(Field::MedicalInsurance),
            [row.subject.as_str()],
        )
    }
}

/// 群众满意度测评 — the survey rounds.
pub struct SurveyBoard;

impl Board for SurveyBoard {
    type Resource = Surveys;
    type Projection = SurveyRounds;
    type Params = SurveyParams;
    const SUMMARY: &'static str = "群众满意度测评: the survey rounds — per unit and quarter, \
                                   the sample and its mean once closed";
    const UNIT_COLUMNS: &'static [&'static str] = &["unit"];

    fn filters(p: &SurveyParams) -> Vec<Filter> {
        filters(&[
            (&["campaign"], p.campaign.clone()),
            (&["task_force"], p.task_force.clone()),
            (&["field"], p.field.clone()),
            (&["quarter"], text(&p.quarter)),
            (Self::UNIT_COLUMNS, p.unit.clone()),
        ])
    }

    fn scope(row: &RoundRow) -> Scope {
        scope_of(
            &row.campaign,
            row.task_force.as_deref(),
            Some(field_named(&row.field)),
            [row.unit.as_str()],
        )
    }
}

/// 约谈 — the admonishment register.
pub struct AdmonishmentBoard;

impl Board for AdmonishmentBoard {
    type Resource = Admonishments;
    type Projection = AdmonishmentRegister;
    type Params = AdmonishmentParams;
    const SUMMARY: &'static str = "约谈: the admonishment register — why each unit was \
                                   admonished, when it was held and who attended";
    const UNIT_COLUMNS: &'static [&'static str] = &["unit"];

    fn filters(p: &AdmonishmentParams) -> Vec<Filter> {
        filters(&[
            (&["campaign"], p.campaign.clone()),
            (Self::UNIT_COLUMNS, p.unit.clone()),
            (&["state"], text(&p.state)),
            (&["publication"], p.publication.clone()),
        ])
    }

    fn scope(row: &AdmonishmentEntry) -> Scope {
        scope_of(&row.campaign, None, None, [row.unit.as_str()])
    }
}

/// 问责 — the accountability register; each row listed is a recorded read.
pub struct AccountabilityBoard;

impl Board for AccountabilityBoard {
    type Resource = Accountabilities;
    type Projection = AccountabilityRegister;
    type Params = AccountabilityParams;
    const SUMMARY: &'static str = "问责: the accountability register — who is held to account, \
                                   on what grounds, and discipline inspection's decision; each \
                                   row listed is recorded as a read (查阅记录)";
    const UNIT_COLUMNS: &'static [&'static str] = &["unit"];
    const RECORDS_READS: Option<SubjectKind> = Some(SubjectKind::Accountability);

    fn filters(p: &AccountabilityParams) -> Vec<Filter> {
        filters(&[
            (&["campaign"], p.campaign.clone()),
            (Self::UNIT_COLUMNS, p.unit.clone()),
            (&["person"], p.person.clone()),
            (&["state"], text(&p.state)),
        ])
    }

    fn scope(row: &AccountabilityEntry) -> Scope {
        scope_of(&row.campaign, None, None, [row.unit.as_str()])
    }

    fn version(row: &AccountabilityEntry) -> u64 {
        u64::try_from(row.version).unwrap_or(0)
    }
}
