//! Progress of long passes over the log (verify, export, import), drawn on stderr only when it
//! is a terminal, so pipes, files and CI logs stay clean.

use std::fmt;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress display, or nothing. Cheap to clone; clones drive the same bar.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("shown", &self.bar.is_some())
            .finish()
    }
}

impl Progress {
    /// Shows nothing (libraries, tests, pipes).
    pub fn hidden() -> Self {
        Self { bar: None }
    }

    /// A bar on stderr when stderr is a terminal; hidden otherwise.
    pub fn on_terminal() -> Self {
        if std::io::stderr().is_terminal() {
            Self {
                bar: Some(ProgressBar::with_draw_target(
                    None,
                    ProgressDrawTarget::stderr(),
                )),
            }
        } else {
            Self::hidden()
        }
    }

    /// Starts a phase named `message`, counting towards `total` if it is known.
    pub fn start(&self, message: &'static str, total: Option<u64>) {
        let Some(bar) = &self.bar else { return };
        let template = match total {
            Some(_) => {
                "{msg:>10} [{bar:40}] {human_pos}/{human_len} ({elapsed} so far, {eta} left)"
            }
            None => "{msg:>10} {spinner} {human_pos} events ({elapsed})",
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(message);
        bar.set_length(total.unwrap_or(0));
        bar.reset();
    }

    pub fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
