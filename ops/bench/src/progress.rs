//! Progress lines on stderr (at most one a second), so a long fill or catch-up shows it is alive
//! without mixing into the JSON lines on stdout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    label: String,
    total: u64,
    done: AtomicU64,
    started: Instant,
    last_print: Mutex<Instant>,
}

impl Progress {
    pub fn new(label: impl Into<String>, total: u64) -> Self {
        let now = Instant::now();
        Self {
            inner: Arc::new(Inner {
                label: label.into(),
                total,
                done: AtomicU64::new(0),
                started: now,
                last_print: Mutex::new(now),
            }),
        }
    }

    pub fn add(&self, n: u64) {
        self.inner.done.fetch_add(n, Ordering::Relaxed);
        self.maybe_print();
    }

    pub fn set(&self, done: u64) {
        self.inner.done.store(done, Ordering::Relaxed);
        self.maybe_print();
    }

    pub fn finish(&self) {
        self.print();
    }

    fn maybe_print(&self) {
        let due = {
            let mut last = match self.inner.last_print.lock() {
                Ok(last) => last,
                Err(poisoned) => poisoned.into_inner(),
            };
            if last.elapsed() >= Duration::from_secs(1) {
                *last = Instant::now();
                true
            } else {
                false
            }
        };
        if due {
            self.print();
        }
    }

    fn print(&self) {
        let done = self.inner.done.load(Ordering::Relaxed);
        let secs = self.inner.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        let percent = if self.inner.total > 0 {
            100.0 * done as f64 / self.inner.total as f64
        } else {
            100.0
        };
        eprintln!(
            "{}: {done}/{} ({percent:.0}%, {rate:.0}/s, {secs:.1} s)",
            self.inner.label, self.inner.total
        );
    }
}
