//! What may be asked of a county's calendar.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::values::Text;

/// What a county declares a day to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredDay {
    /// Worked, whatever the weekday or the national arrangement says.
    WorkingDay,
    /// Off, whatever the weekday or the national arrangement says.
    DayOff,
}

impl DeclaredDay {
    pub fn is_working(self) -> bool {
        self == DeclaredDay::WorkingDay
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredDay::WorkingDay => "working_day",
            DeclaredDay::DayOff => "day_off",
        }
    }

    /// The name users read (中文): 工作日, 休息日.
    pub fn label(self) -> &'static str {
        match self {
            DeclaredDay::WorkingDay => "工作日",
            DeclaredDay::DayOff => "休息日",
        }
    }
}

impl fmt::Display for DeclaredDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a county-calendar command; it travels as [`crate::Command<OverrideCommand>`].
/// `reason` is a [`Text`], so an empty reason is refused before it reaches the aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OverrideCommand {
    /// Declares `date` (a local date of the county) a working day or a day off.
    Declare {
        date: NaiveDate,
        day: DeclaredDay,
        reason: Text,
    },
    /// Withdraws the declaration of `date`: China's arrangement applies to it again.
    Revoke { date: NaiveDate, reason: Text },
}

impl OverrideCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            OverrideCommand::Declare { .. } => "declare",
            OverrideCommand::Revoke { .. } => "revoke",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "declare" => "设定工作日或休息日",
            "revoke" => "撤销工作日或休息日设定",
            other => other,
        }
    }
}
