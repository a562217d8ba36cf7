//! The demo's plan: what every item, complaint, alert, case and survey round of the county
//! does on which working day, drawn from a seeded generator before anything is written — so
//! the same seed gives the same campaign, event for event (bar ids and hashes).
//!
//! Units differ in diligence, as the source's bulletins find them: most acknowledge the next
//! working day and finish before the deadline; a few laggards (the same four every run, so
//! the demo always has someone to admonish) acknowledge late and finish late or not at all.
//! What falls after the demo's end is left undone: the issue list the leadership reads on its
//! last day still has open work.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rectiflow_domain::item::Severity;

use super::cast::TaskForce;

mod days;
mod drawing;

pub use days::{working_day_after, working_days, ymd};
use drawing::Drawing;

/// Units that lag, whatever the seed.
pub const LAGGARDS: [&str; 4] = [
    "kangning-clinic",
    "xinhua-supplies",
    "dongba-care-home",
    "water-group",
];

/// How much the demo holds.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Items the secretariats register (escalations and repairs come on top).
    pub items: usize,
    pub complaints: usize,
    pub alerts: usize,
    pub cases: usize,
}

impl Scale {
    /// The demo's own: about 2,000 items.
    pub const DEMO: Scale = Scale {
        items: 2_000,
        complaints: 160,
        alerts: 60,
        cases: 8,
    };

    /// The demo's proportions for `items` listed items (a rehearsal or a benchmark at another
    /// size): complaints, alerts and cases grow with them, at least one of each.
    pub fn with_items(items: usize) -> Scale {
        let share = |of: usize| (of * items / Self::DEMO.items).max(1);
        Scale {
            items,
            complaints: share(Self::DEMO.complaints),
            alerts: share(Self::DEMO.alerts),
            cases: share(Self::DEMO.cases),
        }
    }
}

/// Where an item comes from, which says who registers and assigns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Registered and assigned by the secretariat.
    Listed,
    /// Registered by the escalations policy (a substantiated complaint, an escalated alert);
    /// the secretariat assigns it.
    Escalated,
    /// Registered and assigned by the repair-items policy to the case's supervising
    /// department, whose head answers for it.
    Repair,
}

/// One item of the issue list.
#[derive(Debug, Clone)]
pub struct ItemPlan {
    pub code: String,
    pub task_force: usize,
    pub unit: String,
    /// Who answers for it (and requests its sign-off).
    pub person: String,
    pub category: &'static str,
    pub severity: Severity,
    pub title: String,
    pub deadline: NaiveDate,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct ComplaintPlan {
    pub id: String,
    pub task_force: usize,
    pub school_meal: bool,
    /// The item a substantiated complaint is followed up by.
    pub follow_up: Option<usize>,
    pub rating: u8,
}

#[derive(Debug, Clone)]
pub struct AlertPlan {
    pub reference: String,
    pub unit: String,
    pub amount_fen: u64,
    /// The item it is escalated to; `None`: dismissed.
    pub escalated: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct CasePlan {
    pub id: String,
    pub task_force: usize,
    pub subject: String,
    pub repair: usize,
    pub amount_fen: u64,
}

/// What happens, on a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Registered and assigned (a listed item).
    List(usize),
    /// Assigned (an escalated item the policy registered).
    Assign(usize),
    Acknowledge(usize),
    Progress(usize),
    RequestSignOff(usize),
    SendBack(usize),
    Verify(usize),
    ReceiveComplaint(usize),
    DesignateHandler(usize),
    Respond(usize),
    Resolve(usize),
    Feedback(usize),
    CloseComplaint(usize),
    ReceiveAlert(usize),
    Triage(usize),
    RegisterClue(usize),
    OpenCase(usize),
    Investigate(usize),
    Conclude(usize),
    SpawnRepair(usize),
    CloseCase(usize),
    /// Every unit's satisfaction survey round of quarter 1..=4: opened, scored, closed.
    Surveys(u8),
}

/// The whole plan: the county's items, complaints, alerts and cases, and the acts by day.
pub struct Plan {
    pub items: Vec<ItemPlan>,
    pub complaints: Vec<ComplaintPlan>,
    pub alerts: Vec<AlertPlan>,
    pub cases: Vec<CasePlan>,
    /// Acts in the order they happen (day, then as drawn).
    pub acts: Vec<(NaiveDate, Act)>,
}

/// Draws the plan for `forces` from `seed`: items registered from `first` to `listing_ends`,
/// everything done by `last`.
pub fn draw(
    seed: u64,
    scale: Scale,
    forces: &[TaskForce],
    first: NaiveDate,
    listing_ends: NaiveDate,
    last: NaiveDate,
) -> Plan {
    let days = working_days(first, listing_ends);
    let mut drawing = Drawing {
        rng: ChaCha8Rng::seed_from_u64(seed),
        forces,
        last,
        items: Vec::new(),
        acts: Vec::new(),
    };
    // Share of the items by task force: medical insurance, school meals, elderly care, SOEs.
    let shares = [35, 25, 20, 20];
    let pick_force = |rng: &mut ChaCha8Rng| {
        let roll: u32 = rng.random_range(0..100);
        let mut below = 0;
        shares
            .iter()
            .position(|share| {
                below += share;
                roll < below
            })
            .unwrap_or(0)
    };
    for n in 0..scale.items {
        let tf = pick_force(&mut drawing.rng);
        let members = &forces[tf].members;
        let unit = members[drawing.rng.random_range(0..members.len())].clone();
        let day = days[drawing.rng.random_range(0..days.len())];
        let i = drawing.item(tf, unit.id.clone(), unit.staff(n), day, Origin::Listed);
        drawing.at(day, Act::List(i));
        drawing.life(i, day);
    }
    let mut complaints = Vec::new();
    for c in 0..scale.complaints {
        let school_meal = drawing.rng.random_bool(0.5);
        let tf = if school_meal {
            1
        } else {
            pick_force(&mut drawing.rng)
        };
        let day = days[drawing.rng.random_range(0..days.len())];
        drawing.at(day, Act::ReceiveComplaint(c));
        // 首接负责制: the head designates a handler the same day; school meals are answered
        // within 24 hours (a few are missed), others within days.
        drawing.at(day, Act::DesignateHandler(c));
        let missed = drawing.rng.random_bool(0.08);
        let respond = if school_meal && !missed {
            day
        } else {
            working_day_after(day, if missed { 6 } else { 2 })
        };
        drawing.at(respond, Act::Respond(c));
        let resolve = working_day_after(respond, drawing.rng.random_range(3..=10));
        drawing.at(resolve, Act::Resolve(c));
        let follow_up = drawing.rng.random_bool(0.25).then(|| {
            let members = &forces[tf].members;
            let unit = members[drawing.rng.random_range(0..members.len())].clone();
            drawing.escalated(tf, &unit, c, resolve)
        });
        let rated = working_day_after(resolve, 2);
        drawing.at(rated, Act::Feedback(c));
        drawing.at(working_day_after(rated, 1), Act::CloseComplaint(c));
        complaints.push(ComplaintPlan {
            id: format!("TS-2026-{:04}", c + 1),
            task_force: tf,
            school_meal,
            follow_up,
            rating: drawing.rng.random_range(2..=5),
        });
    }
    let mut alerts = Vec::new();
    let hospitals = forces[0].members.clone();
    for a in 0..scale.alerts {
        let unit = hospitals[drawing.rng.random_range(0..hospitals.len())].clone();
        let day = days[drawing.rng.random_range(0..days.len())];
        drawing.at(day, Act::ReceiveAlert(a));
        let late = drawing.rng.random_bool(0.1);
        let triaged = working_day_after(day, if late { 5 } else { 1 });
        drawing.at(triaged, Act::Triage(a));
        let escalated = drawing
            .rng
            .random_bool(0.3)
            .then(|| drawing.escalated(0, &unit, a, triaged));
        alerts.push(AlertPlan {
            reference: format!("YBJK-2026-{:05}", 10_000 + a * 7),
            unit: unit.id,
            amount_fen: drawing.rng.random_range(500_000..=48_000_000),
            escalated,
        });
    }
    let mut cases = Vec::new();
    // Cases come early, so their repair items are done within the demo.
    let early = working_days(first, first + Days::new(40));
    for k in 0..scale.cases {
        let tf = if k % 2 == 0 { 0 } else { 3 };
        let members = &forces[tf].members;
        let subject = members[drawing.rng.random_range(0..members.len())]
            .id
            .clone();
        let day = early[drawing.rng.random_range(0..early.len())];
        drawing.at(day, Act::RegisterClue(k));
        let opened = working_day_after(day, 2);
        drawing.at(opened, Act::OpenCase(k));
        drawing.at(working_day_after(opened, 1), Act::Investigate(k));
        let concluded = working_day_after(opened, drawing.rng.random_range(10..=20));
        drawing.at(concluded, Act::Conclude(k));
        let spawned = working_day_after(concluded, 1);
        drawing.at(spawned, Act::SpawnRepair(k));
        let lead = forces[tf].lead;
        let i = drawing.item(
            tf,
            lead.to_owned(),
            format!("{lead}-head"),
            spawned,
            Origin::Repair,
        );
        drawing.life(i, working_day_after(spawned, 0));
        cases.push(CasePlan {
            id: format!("AJ-2026-{:03}", k + 1),
            task_force: tf,
            subject,
            repair: i,
            amount_fen: drawing.rng.random_range(2_000_000..=200_000_000),
        });
    }
    // Surveys: the first quarter's at its last week, the second's in mid-June.
    drawing.at(working_day_after(ymd(2026, 3, 23), 0), Act::Surveys(1));
    drawing.at(working_day_after(ymd(2026, 6, 15), 0), Act::Surveys(2));

    let Drawing {
        mut items,
        mut acts,
        ..
    } = drawing;
    // The cases close once their repair item is verified (the policy records it closed).
    for (k, case) in cases.iter().enumerate() {
        if let Some(verified) = acts
            .iter()
            .find(|(_, act)| *act == Act::Verify(case.repair))
            .map(|(day, _)| *day)
        {
            let closing = working_day_after(verified, 1);
            if closing <= last {
                acts.push((closing, Act::CloseCase(k)));
            }
        }
    }
    // Stable: the acts of one day keep the order they were drawn in.
    acts.sort_by_key(|(day, _)| *day);
    number_items(&mut items, &acts, forces);
    Plan {
        items,
        complaints,
        alerts,
        cases,
        acts,
    }
}

/// Codes in the order items first appear (`YB-2026-0001`, …), per task force: an escalated
/// item's code is named by the resolution or triage that creates it, a repair item's by the
/// case that spawns it.
fn number_items(items: &mut [ItemPlan], acts: &[(NaiveDate, Act)], forces: &[TaskForce]) {
    let mut next = vec![0usize; forces.len()];
    let mut order: Vec<usize> = Vec::with_capacity(items.len());
    let mut seen = vec![false; items.len()];
    for (_, act) in acts {
        let i = match act {
            Act::List(i) | Act::Assign(i) | Act::Acknowledge(i) => *i,
            _ => continue,
        };
        if !seen[i] {
            seen[i] = true;
            order.push(i);
        }
    }
    // Items nothing happens to within the demo still get a code, last.
    order.extend((0..items.len()).filter(|i| !seen[*i]));
    for i in order {
        let tf = items[i].task_force;
        next[tf] += 1;
        items[i].code = format!("{}-2026-{:04}", forces[tf].prefix, next[tf]);
    }
}

#[cfg(test)]
mod tests;
