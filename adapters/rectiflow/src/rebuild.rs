//! `rectiflow rebuild [NAME…]`: each named projection (all, without names) rebuilt aside from
//! position 0 and swapped in once caught up (see [`rectiflow_engine::consumer::rebuild`]),
//! one after the other, with a progress bar on a terminal and a line per projection.

use std::future::Future;
use std::io::IsTerminal;
use std::pin::Pin;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rectiflow_engine::consumer::{
    self, ConsumerOptions, ConsumerStore, Handler, RebuildOutcome, RebuildProgress, Rebuilt,
};
use rectiflow_engine::{CancellationToken, StoreError};
use rectiflow_projections::registry::{self, Visitor};

/// Why a rebuild did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("rebuilding {projection}: {source}")]
    Failed {
        projection: String,
        source: StoreError,
    },
    /// Stopped by a signal; the live model is as it was, and the next rebuild resumes.
    #[error(
        "rebuild of {projection} interrupted at position {checkpoint}; the live model is \
         unchanged, and `rectiflow rebuild {projection}` resumes from there"
    )]
    Interrupted { projection: String, checkpoint: u64 },
}

/// Rebuilds the projections named in `names` (every registered one if empty) in the order of
/// the registry, printing `rebuilt NAME: N events in T s (R events/s)` as each is swapped in.
/// The names must be registered ones (the command line checks them before anything opens).
pub async fn rebuild_projections<S: ConsumerStore>(
    store: &S,
    names: &[String],
    shutdown: &CancellationToken,
) -> Result<Vec<Rebuilt>, RebuildError> {
    let mut plan = Plan {
        store: store.clone(),
        names,
        shutdown: shutdown.clone(),
        runs: Vec::new(),
    };
    registry::each(&mut plan);
    let mut done = Vec::new();
    for (projection, run) in plan.runs {
        match run.await {
            Ok(RebuildOutcome::Swapped(rebuilt)) => {
                println!(
                    "rebuilt {projection}: {} events in {:.1} s ({:.0} events/s)",
                    rebuilt.events(),
                    rebuilt.elapsed.as_secs_f64(),
                    rebuilt.rate()
                );
                done.push(rebuilt);
            }
            Ok(RebuildOutcome::Interrupted { checkpoint, .. }) => {
                return Err(RebuildError::Interrupted {
                    projection: projection.to_owned(),
                    checkpoint,
                })
            }
            Err(source) => {
                return Err(RebuildError::Failed {
                    projection: projection.to_owned(),
                    source,
                })
            }
        }
    }
    Ok(done)
}

type Run = Pin<Box<dyn Future<Output = Result<RebuildOutcome, StoreError>> + Send>>;

/// The rebuilds to run, one per wanted projection, built while walking the registry (where
/// each handler's type is known).
struct Plan<'a, S> {
    store: S,
    names: &'a [String],
    shutdown: CancellationToken,
    runs: Vec<(&'static str, Run)>,
}

impl<S: ConsumerStore> Visitor for Plan<'_, S> {
    fn visit<H: Handler + 'static>(&mut self, name: &'static str, make: fn() -> H) {
        if !self.names.is_empty() && !self.names.iter().any(|wanted| wanted == name) {
            return;
        }
        let store = self.store.clone();
        let shutdown = self.shutdown.clone();
        self.runs.push((
            name,
            Box::pin(async move {
                let mut handler = make();
                let mut bar = Bar::on_terminal(name);
                let options = ConsumerOptions::new(name);
                let outcome =
                    consumer::rebuild(&store, &options, &mut handler, &shutdown, &mut bar).await;
                bar.finish();
                outcome
            }),
        ));
    }
}

/// The progress of one rebuild on stderr — positions done of the head, and the rate — when
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
