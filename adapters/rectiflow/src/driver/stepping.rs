//! Every consumer `serve` runs — each projection the registry lists, each policy the roster
//! lists — as one list of steppers, each brought up to the log's head by hand
//! ([`consumer::step`], its tables made once).

use std::future::Future;
use std::pin::Pin;

use rectiflow_engine::consumer::{self, ConsumerOptions, Handler, HandlerError};
use rectiflow_engine::{CancellationToken, StoreError};
use rectiflow_projections::policies::roster::{self, PolicyPorts, PolicyVisitor};
use rectiflow_projections::registry::{self, Visitor};
use rectiflow_store::Store;

type Stepping<'a> = Pin<Box<dyn Future<Output = Result<u64, StoreError>> + Send + 'a>>;

/// One consumer stepped by hand.
pub trait Stepper<S>: Send {
    fn name(&self) -> &str;
    /// Applies everything up to the log's head; returns the checkpoint there.
    fn step<'a>(&'a mut self, store: &'a S) -> Stepping<'a>;
}

struct Stepped<H> {
    options: ConsumerOptions,
    handler: H,
    /// Its tables are made (on the first step).
    prepared: bool,
}

impl<S: Store, H: Handler> Stepper<S> for Stepped<H> {
    fn name(&self) -> &str {
        &self.options.name
    }

    fn step<'a>(&'a mut self, store: &'a S) -> Stepping<'a> {
        Box::pin(consumer::step(
            store,
            &self.options,
            &mut self.handler,
            &mut self.prepared,
        ))
    }
}

/// Every projection, then every policy, as `serve` runs them (the policies on `ports`). A
/// policy's handler is made once, with a token that is never cancelled: it lives as long as
/// the driver.
pub fn all<S: Store>(ports: &PolicyPorts<S>) -> Result<Vec<Box<dyn Stepper<S>>>, HandlerError> {
    struct Projections<S>(Vec<Box<dyn Stepper<S>>>);
    impl<S: Store> Visitor for Projections<S> {
        fn visit<H: Handler + 'static>(&mut self, name: &'static str, make: fn() -> H) {
            self.0.push(Box::new(Stepped {
                options: ConsumerOptions::new(name),
                handler: make(),
                prepared: false,
            }));
        }
    }
    struct Policies<S> {
        steppers: Vec<Box<dyn Stepper<S>>>,
        failed: Option<HandlerError>,
    }
    impl<S: Store> PolicyVisitor for Policies<S> {
        fn visit<H, F>(&mut self, name: &'static str, make: F)
        where
            H: Handler + 'static,
            F: Fn(CancellationToken) -> Result<H, HandlerError> + Send + Sync + 'static,
        {
            match make(CancellationToken::new()) {
                Ok(handler) => self.steppers.push(Box::new(Stepped {
                    options: ConsumerOptions::new(name),
                    handler,
                    prepared: false,
                })),
                Err(error) => self.failed = Some(error),
            }
        }
    }
    let mut projections = Projections(Vec::new());
    registry::each(&mut projections);
    let mut policies = Policies {
        steppers: Vec::new(),
        failed: None,
    };
    roster::each(ports, &mut policies);
    if let Some(error) = policies.failed {
        return Err(error);
    }
    Ok(projections.0.into_iter().chain(policies.steppers).collect())
}
