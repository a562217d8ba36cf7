//! The setting values an item decision used, recorded in its event (DOMAIN.md: "Settings are
//! read as in force at the instant of each decision, and the event records the values it
//! used"). The instants an event stores already fix the outcome; these say *why* they are what
//! they are, so an auditor — or a projection explaining a 签收 window — never has to guess
//! which version of the campaign's settings was in force, and a later change of the settings
//! cannot make the log look inconsistent.
//!
//! A decision that reads one setting records it as a field named after the setting
//! (`acknowledgement_working_days` on `ItemReassigned`, `max_extensions` on
//! `ExtensionRequested`, `reinspection_days` on `ItemClosed`); one that reads several records
//! them together in one of the structs here. `time_zone` and `yellow_after_send_backs` are
//! fixed at registration and recorded in `ItemRegistered`.

use serde::{Deserialize, Serialize};

use crate::settings::CampaignSettings;

/// What setting a deadline and opening a 签收 window read: recorded by `ItemAssigned` (交办)
/// and `ItemReopened` (回头看 relapse), which do both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeadlineSettings {
    /// 签收 is due by 24:00 local of this many working days after the decision's local date.
    pub acknowledgement_working_days: u32,
    /// The warning window opens this many working days before the deadline.
    pub warning_working_days: u32,
}

impl DeadlineSettings {
    /// The values of `settings` a deadline-setting decision reads.
    pub fn of(settings: &CampaignSettings) -> Self {
        Self {
            acknowledgement_working_days: settings.acknowledgement_working_days,
            warning_working_days: settings.warning_working_days,
        }
    }
}

/// What approving an extension (延期) read: the limit it was checked against, and the warning
/// window of the new deadline. Recorded by `ExtensionApproved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExtensionSettings {
    /// Approved extensions an item may have; this approval was within it.
    pub max_extensions: u32,
    /// The new deadline's warning window opens this many working days before it.
    pub warning_working_days: u32,
}

impl ExtensionSettings {
    /// The values of `settings` an extension approval reads.
    pub fn of(settings: &CampaignSettings) -> Self {
        Self {
            max_extensions: settings.max_extensions,
            warning_working_days: settings.warning_working_days,
        }
    }
}
