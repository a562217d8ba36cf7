//! The working-day calendar served from the log: China's vendored arrangement with the county's
//! declarations (`county_calendar` stream) at their latest version.
//!
//! A county declares a day worked or off (防汛调休, a local holiday) as an event; a 签收 window
//! or a deadline warning decided a moment later must count with it, on every node. So before
//! each decision the calendar loads the county's stream through the executor and decides with
//! the [`CountyCalendar`] it folds to. Outside a decision it answers with the declarations it
//! last read.

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use rectiflow_domain::calendar::overrides::CountyOverrides;
use rectiflow_domain::calendar::{CalendarFuture, CountyCalendar, WorkingCalendar};
use rectiflow_domain::values::CountyId;
use rectiflow_domain::PortUnavailable;

use crate::executor::{Executor, Followed};
use crate::store::EventStore;

/// The name the calendar goes by in a [`PortUnavailable`].
pub const CALENDAR: &str = "calendar";

/// The county's calendar, read through an [`Executor`].
pub struct StoreCalendar<S> {
    executor: Executor<S>,
    county: CountyId,
    last_read: RwLock<CountyCalendar>,
    followed: Followed<CountyOverrides>,
}

impl<S> StoreCalendar<S> {
    pub fn new(executor: Executor<S>, county: CountyId) -> Self {
        Self {
            executor,
            county,
            last_read: RwLock::new(CountyCalendar::china()),
            followed: Followed::default(),
        }
    }

    fn last_read(&self) -> CountyCalendar {
        self.last_read
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl<S: EventStore + Clone + Send + Sync + 'static> WorkingCalendar for StoreCalendar<S> {
    fn is_working_day(&self, date: NaiveDate) -> bool {
        self.last_read().is_working_day(date)
    }

    fn is_known_year(&self, year: i32) -> bool {
        self.last_read().is_known_year(year)
    }

    fn is_guessed(&self, date: NaiveDate) -> bool {
        self.last_read().is_guessed(date)
    }

    fn in_force(&self) -> Option<CalendarFuture<'_>> {
        Some(Box::pin(async move {
            let overrides = self
                .followed
                .latest(&self.executor, self.county.as_str())
                .await
                .map_err(|error| PortUnavailable {
                    port: CALENDAR,
                    reason: error.to_string(),
                })?;
            let calendar = CountyCalendar::new(&overrides);
            *self
                .last_read
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = calendar.clone();
            let calendar: Arc<dyn WorkingCalendar> = Arc::new(calendar);
            Ok(calendar)
        }))
    }
}
