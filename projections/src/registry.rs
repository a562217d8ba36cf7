//! Every projection, listed once by name: what `serve` keeps live and `rebuild` can rebuild.
//! A projection added later is served and rebuildable by one line in [`each`].
//!
//! Projections are handlers of different types, so the list is walked with a visitor rather
//! than kept in a collection: each caller (spawning a consumer, running a rebuild) gets the
//! handler's concrete type and stays generic over the store.

use rectiflow_engine::consumer::Handler;

use crate::accountability_register::AccountabilityRegister;
use crate::admonishment_register::AdmonishmentRegister;
use crate::alert_board::AlertBoard;
use crate::case_board::CaseBoard;
use crate::complaint_board::ComplaintBoard;
use crate::complaint_history::ComplaintHistory;
use crate::due_work::{AlertWatch, ComplaintWatch, ItemWatch};
use crate::item_history::ItemHistory;
use crate::item_register::ItemRegister;
use crate::projector::{Projector, RowProjection};
use crate::survey_rounds::SurveyRounds;

/// What is done with each registered projection.
pub trait Visitor {
    /// `name` is the consumer's name (its checkpoint's); `make` builds a fresh live handler.
    fn visit<H: Handler + 'static>(&mut self, name: &'static str, make: fn() -> H);
}

/// Walks every projection, in the order listed.
pub fn each<V: Visitor>(visitor: &mut V) {
    visitor.visit(ItemRegister::NAME, Projector::<ItemRegister>::new);
    visitor.visit(ItemHistory::NAME, Projector::<ItemHistory>::new);
    visitor.visit(ComplaintHistory::NAME, Projector::<ComplaintHistory>::new);
    visitor.visit(SurveyRounds::NAME, Projector::<SurveyRounds>::new);
    visitor.visit(ComplaintBoard::NAME, Projector::<ComplaintBoard>::new);
    visitor.visit(CaseBoard::NAME, Projector::<CaseBoard>::new);
    visitor.visit(AlertBoard::NAME, Projector::<AlertBoard>::new);
    visitor.visit(
        AccountabilityRegister::NAME,
        Projector::<AccountabilityRegister>::new,
    );
    visitor.visit(
        AdmonishmentRegister::NAME,
        Projector::<AdmonishmentRegister>::new,
    );
    visitor.visit(ItemWatch::NAME, Projector::<ItemWatch>::new);
    visitor.visit(ComplaintWatch::NAME, Projector::<ComplaintWatch>::new);
    visitor.visit(AlertWatch::NAME, Projector::<AlertWatch>::new);
}

/// Every projection's name and code version ([`Handler::VERSION`]), in the order listed.
pub fn versions() -> Vec<(&'static str, u32)> {
    struct Versions(Vec<(&'static str, u32)>);
    impl Visitor for Versions {
        fn visit<H: Handler + 'static>(&mut self, name: &'static str, _make: fn() -> H) {
            self.0.push((name, H::VERSION));
        }
    }
    let mut versions = Versions(Vec::new());
    each(&mut versions);
    versions.0
}

/// The names of every projection, in the order listed.
pub fn names() -> Vec<&'static str> {
    struct Names(Vec<&'static str>);
    impl Visitor for Names {
        fn visit<H: Handler + 'static>(&mut self, name: &'static str, _make: fn() -> H) {
            self.0.push(name);
        }
    }
    let mut names = Names(Vec::new());
    each(&mut names);
    names.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_include_the_register() {
        let names = names();
        assert!(names.contains(&"item-register"), "{names:?}");
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "a name listed twice: {names:?}");
    }
}
