//! `rectiflow rebuild [NAME…]`: the named projections (all, without names) rebuilt aside from
//! position 0 in one pass over the log and swapped in together once caught up (see
//! [`rectiflow_engine::consumer::Rebuild`]), with a progress bar on a terminal and a line per
//! projection.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rectiflow_engine::consumer::{
    ConsumerStore, Handler, Rebuild, RebuildOutcome, RebuildProgress, Rebuilt,
};
use rectiflow_engine::{CancellationToken, StoreError};
use rectiflow_projections::registry::{self, Visitor};

/// Why a rebuild did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("rebuilding {projections}: {source}")]
    Failed {
        projections: String,
        source: StoreError,
    },
    /// Stopped by a signal; the live models are as they were, and the next rebuild resumes.
    #[error(
        "rebuild of {projections} interrupted at position {checkpoint}; the live models are \
         unchanged, and `rectiflow rebuild {projections}` resumes from there"
    )]
    Interrupted {
        projections: String,
        checkpoint: u64,
    },
}

/// Rebuilds the projections named in `names` (every registered one if empty) together, in one
/// pass over the log, printing `rebuilt NAME: N events in T s (R events/s)` for each once they
/// are swapped in (T is the whole pass's: they were built side by side). The names must be
/// registered ones (the command line checks them before anything opens).
pub async fn rebuild_projections<S: ConsumerStore>(
    store: &S,
    names: &[String],
    shutdown: &CancellationToken,
) -> Result<Vec<Rebuilt>, RebuildError> {
    let mut plan = Plan {
        names,
        rebuild: Rebuild::new(),
    };
    registry::each(&mut plan);
    let projections = plan.rebuild.names().join(" ");
    let mut bar = Bar::on_terminal(&match plan.rebuild.names().len() {
        1 => projections.clone(),
        n => format!("{n} projections"),
    });
    let outcomes = plan.rebuild.run(store, shutdown, &mut bar).await;
    bar.finish();
    let outcomes = outcomes.map_err(|source| RebuildError::Failed {
        projections: projections.clone(),
        source,
    })?;
    let stopped_at = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            RebuildOutcome::Interrupted { checkpoint, .. } => Some(*checkpoint),
            RebuildOutcome::Swapped(_) => None,
        })
        .min();
    if let Some(checkpoint) = stopped_at {
        return Err(RebuildError::Interrupted {
            projections,
            checkpoint,
        });
    }
    let mut done = Vec::new();
    for outcome in outcomes {
        if let RebuildOutcome::Swapped(rebuilt) = outcome {
            println!(
                "rebuilt {}: {} events in {:.1} s ({:.0} events/s)",
                rebuilt.consumer,
                rebuilt.events(),
                rebuilt.elapsed.as_secs_f64(),
                rebuilt.rate()
            );
            done.push(rebuilt);
        }
    }
    Ok(done)
}

/// The rebuild to run, one consumer per wanted projection, added while walking the registry
/// (where each handler's type is known).
struct Plan<'a, S: ConsumerStore> {
    names: &'a [String],
    rebuild: Rebuild<'static, S>,
}

impl<S: ConsumerStore> Visitor for Plan<'_, S> {
    fn visit<H: Handler + 'static>(&mut self, name: &'static str, make: fn() -> H) {
        if !self.names.is_empty() && !self.names.iter().any(|wanted| wanted == name) {
            return;
        }
        let rebuild = std::mem::take(&mut self.rebuild);
        self.rebuild = rebuild.consumer(name, make());
    }
}

/// The progress of a rebuild on stderr — positions done of the head, and the rate — when
/// stderr is a terminal; nothing otherwise, so pipes and logs stay clean.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn on_terminal(projection: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }
        let style = ProgressStyle::with_template(
            "{msg} [{wide_bar}] {human_pos}/{human_len} ({rate}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} events/s", state.per_sec());
            },
        )
        .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(style);
        bar.set_message(projection.to_owned());
        Self { bar: Some(bar) }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl RebuildProgress for Bar {
    fn waiting_for_lease(&mut self, consumer: &str) {
        let line = format!(
            "waiting for {consumer}: another instance (a running `serve`?) runs it, and the \
             rebuild swaps in under its lease"
        );
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn advanced(&mut self, checkpoint: u64, head: u64) {
        let Some(bar) = &self.bar else { return };
        let first = bar.length().is_none();
        bar.set_length(head.max(checkpoint));
        bar.set_position(checkpoint);
        if first {
            // A resumed rebuild starts part-way: the rate counts from here, not from 0.
            bar.reset_eta();
        }
    }
}
