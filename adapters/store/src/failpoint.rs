//! Crash points for tests: places where a test can make the process die abruptly, to prove
//! that what the process was doing leaves nothing half-done behind — no timing, no signals
//! sent from outside at a lucky moment.
//!
//! Compiled in only with the `failpoints` feature, which is off by default and turned on by
//! this workspace's tests alone (as a feature of the store in their dev-dependencies, so the
//! `rectiflow` binary that `cargo test` builds for the CLI tests has it, and a `cargo build`
//! of the binary does not). Without the feature every point is an empty function.
//!
//! A point is armed by the environment variable [`FAILPOINT_VAR`]:
//! - `import-abort-after-batch=N`: the import aborts the process (as `kill -9` would end it:
//!   no destructor, no rollback sent) right after its N-th batch was written.
//! - `scheduler-park-in-bulletin`: the scheduler parks for good as a bulletin's action begins
//!   (its occurrence fired, its publication not made), after saying so on standard error — so
//!   a test can kill the process there with `SIGKILL`, at a known point, without a sleep.

/// The environment variable that arms a crash point (only with the `failpoints` feature).
pub const FAILPOINT_VAR: &str = "RECTIFLOW_FAILPOINT";

/// Called by the import after each batch it wrote (`batch` counts from 1).
#[cfg(feature = "failpoints")]
pub(crate) fn import_batch_written(batch: u64) {
    let armed = std::env::var(FAILPOINT_VAR).ok();
    if armed.as_deref() == Some(format!("import-abort-after-batch={batch}").as_str()) {
        eprintln!("rectiflow: failpoint import-abort-after-batch={batch} reached: aborting");
        std::process::abort();
    }
}

#[cfg(not(feature = "failpoints"))]
pub(crate) fn import_batch_written(_batch: u64) {}

/// What the scheduler's publisher calls as a bulletin's action begins.
#[cfg(feature = "failpoints")]
pub async fn bulletin_action_started() {
    let armed = std::env::var(FAILPOINT_VAR).ok();
    if armed.as_deref() == Some("scheduler-park-in-bulletin") {
        eprintln!("rectiflow: failpoint scheduler-park-in-bulletin reached: parked");
        std::future::pending::<()>().await;
    }
}

#[cfg(not(feature = "failpoints"))]
pub async fn bulletin_action_started() {}
