//! The drawing in progress: the seeded generator, the items drawn so far and the acts by day,
//! with the one rule every kind of item shares — its life once assigned.

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rectiflow_domain::item::Severity;

use super::{working_day_after, Act, ItemPlan, Origin, LAGGARDS};
use crate::demo::cast::{TaskForce, Unit};

pub(super) struct Drawing<'a> {
    pub rng: ChaCha8Rng,
    pub forces: &'a [TaskForce],
    /// The last day anything is done.
    pub last: NaiveDate,
    pub items: Vec<ItemPlan>,
    pub acts: Vec<(NaiveDate, Act)>,
}

impl Drawing<'_> {
    pub fn at(&mut self, day: NaiveDate, act: Act) {
        if day <= self.last {
            self.acts.push((day, act));
        }
    }

    fn severity(&mut self) -> Severity {
        match self.rng.random_range(0..20) {
            0 => Severity::Critical,
            1..=5 => Severity::High,
            6..=14 => Severity::Medium,
            _ => Severity::Low,
        }
    }

    /// A new item of `task_force` at `unit` (answered for by `person`), due `days` after
    /// `from`; its code is given once every item is drawn.
    pub fn item(
        &mut self,
        task_force: usize,
        unit: String,
        person: String,
        from: NaiveDate,
        origin: Origin,
    ) -> usize {
        let categories = self.forces[task_force].field.seed_categories();
        let category = categories[self.rng.random_range(0..categories.len())];
        let severity = self.severity();
        let days = self.rng.random_range(20..=60);
        let title = format!("{category}问题整改");
        self.items.push(ItemPlan {
            code: String::new(),
            task_force,
            unit,
            person,
            category,
            severity,
            title,
            deadline: from + Days::new(days),
            origin,
        });
        self.items.len() - 1
    }

    /// An item the escalations policy registers on `day` (a complaint resolved as
    /// substantiated, an alert escalated), assigned by the secretariat the next working day.
    pub fn escalated(&mut self, task_force: usize, unit: &Unit, n: usize, day: NaiveDate) -> usize {
        let i = self.item(
            task_force,
            unit.id.clone(),
            unit.staff(n),
            day,
            Origin::Escalated,
        );
        let assigned = working_day_after(day, 1);
        self.at(assigned, Act::Assign(i));
        self.life(i, assigned);
        i
    }

    /// The item's life from the day it is assigned: 签收, progress, sign-off and its
    /// verification — on time for a diligent unit, late (or never) for a laggard.
    pub fn life(&mut self, i: usize, assigned: NaiveDate) {
        let item = &self.items[i];
        let (deadline, laggard) = (item.deadline, LAGGARDS.contains(&item.unit.as_str()));
        let late_ack = laggard && self.rng.random_bool(0.5);
        let ack = working_day_after(assigned, if late_ack { 4 } else { 1 });
        self.at(ack, Act::Acknowledge(i));
        let on_time = self.rng.random_bool(if laggard { 0.2 } else { 0.95 });
        let finish = if on_time {
            let room = (deadline - ack).num_days().max(2);
            working_day_after(ack + Days::new(self.rng.random_range(1..room) as u64), 0)
        } else {
            working_day_after(deadline + Days::new(self.rng.random_range(3..40)), 0)
        };
        let midway = ack + Days::new(((finish - ack).num_days() / 2).max(1) as u64);
        self.at(working_day_after(midway, 0), Act::Progress(i));
        self.at(finish, Act::RequestSignOff(i));
        let mut verified = working_day_after(finish, self.rng.random_range(1..=3));
        if self.rng.random_bool(0.1) {
            self.at(verified, Act::SendBack(i));
            let again = working_day_after(verified, 2);
            self.at(again, Act::RequestSignOff(i));
            verified = working_day_after(again, 1);
        }
        self.at(verified, Act::Verify(i));
    }
}
