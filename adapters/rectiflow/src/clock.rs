//! The wall clock: the domain's `Clock` port as the service runs it. It lives here, in the
//! adapter, because reading the wall clock is I/O; tests and the virtual-time driver give the
//! executor a clock of their own instead.

use chrono::{DateTime, Utc};
use rectiflow_domain::clock::Clock;

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
