//! Property tests: random command sequences, from random actors at random instants, never
//! panic and never break the item's invariants — among them 容错's: a ruling names an episode
//! the item had failed and that was not ruled on before, never excuses subjective wrongdoing,
//! and leaves every other episode's standing as it was.

mod ops;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

use self::ops::{actors, arb_op, body, id, the_unit, usual_actor, Op};
use super::*;
use crate::calendar::FixedCalendar;
use crate::directory::StaticDirectory;
use crate::organisation::Role;
use crate::services::DomainServices;
use crate::settings::CampaignSettings;
use crate::testing::fixtures::replay;
use crate::testing::{MemoryVault, StaticSettings};
use crate::values::PersonId;
use crate::{Command, Stamp};

/// What a 容错 ruling may touch of one episode, read through the item's public API: whether
/// the item failed it, and the ruling on it (cause and decision), if any.
type Standing = (bool, Option<(FaultCause, FaultDecision)>);

fn standing(item: &Item, episode: Episode) -> Standing {
    let failed = match episode {
        Episode::Deadline { number } => number
            .checked_sub(1)
            .and_then(|i| item.deadlines().get(i as usize))
            .is_some_and(|d| d.failed()),
        Episode::Relapse { number } => number >= 1 && number <= item.relapses(),
    };
    let ruling = item.ruling_on(episode).map(|r| (r.cause, r.decision));
    (failed, ruling)
}

/// Every episode either item could speak of, and one beyond.
fn episodes(before: &Item, after: &Item) -> Vec<Episode> {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
    let deadlines = count(before.deadlines().len().max(after.deadlines().len()));
    let relapses = before.relapses().max(after.relapses()).saturating_add(1);
    (1..=deadlines.max(5))
        .map(|number| Episode::Deadline { number })
        .chain((1..=relapses.max(4)).map(|number| Episode::Relapse { number }))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_item_commands_never_panic_and_keep_the_invariants(
        steps in prop::collection::vec((arb_op(), 0usize..5, 0i64..36, prop::bool::weighted(0.6)), 1..100),
        max_extensions in 0u32..3,
    ) {
        let settings = CampaignSettings { max_extensions, ..CampaignSettings::default() };
        let directory = StaticDirectory::default()
            .with_member(the_unit(), id("zhang-san"))
            .with_member(the_unit(), id("li-si"))
            .with_member(id("other-unit"), id("wu"))
            .with_role(id("sec-wang"), Role::Secretariat { task_force: id("yibao") })
            .with_role(id("li-si"), Role::Secretariat { task_force: id("yibao") });
        let services = DomainServices {
            calendar: Arc::new(FixedCalendar::weekdays()),
            directory: Arc::new(directory.clone()),
            vault: Arc::new(MemoryVault::default()),
            settings: Arc::new(StaticSettings(settings)),
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap_or_default();
        let mut item = Item::default();
        let mut history: Vec<ItemEvent> = Vec::new();
        // Deadline generation -> facts recorded against it.
        let mut generation = 0usize;
        let mut overdue_per_generation: BTreeMap<usize, u32> = BTreeMap::new();
        let mut warnings_per_generation: BTreeMap<usize, u32> = BTreeMap::new();
        // Assignment or reopening -> overdue 签收 facts recorded against it.
        let mut ack_generation = 0usize;
        let mut ack_overdue_per_generation: BTreeMap<usize, u32> = BTreeMap::new();
        // The outcome totals as the events say they should be.
        let (mut expected_fen, mut expected_people) = (0u64, 0u64);
        // 容错 episodes as the events say: the deadlines failed (by number: an overdue fact or
        // a late closure against it), the relapses found, the episodes ruled on.
        let mut failed_deadlines: HashSet<u32> = HashSet::new();
        let mut relapses_found = 0u32;
        let mut ruled: HashSet<Episode> = HashSet::new();

        // Every sequence starts with a registration, so the rest has an item to work on.
        let first = (Op::Register, 0usize, 0i64, true);
        for (op, actor, hours, usual) in std::iter::once(first).chain(steps) {
            now += Duration::hours(hours);
            // Most steps come from the actor whose request they are (a ruling names its own,
            // mostly the secretariat); the rest from the random one.
            let actor = match (&op, usual) {
                (Op::Ruling { by, .. }, _) => *by,
                (_, true) => usual_actor(&op),
                (_, false) => actor,
            };
            let actor = actors()[actor].clone();
            let command = Command::new(Stamp { at: now, actor }, body(&op, &item, now));
            let before = item.clone();
            let sink = EventSink::default();
            let result = runtime.block_on(item.handle(command, &services, &sink));
            let events = runtime.block_on(sink.collect());
            // A ruling the secretariat (from outside the unit) makes on an episode the item
            // failed and that is not ruled on yet, on a cause that permits the decision, is
            // recorded — unless the item was withdrawn.
            if let Op::Ruling { episode, cause, decision, by: 0 } = &op {
                let failed = match *episode {
                    Episode::Deadline { number } => failed_deadlines.contains(&number),
                    Episode::Relapse { number } => number >= 1 && number <= relapses_found,
                };
                if failed && !ruled.contains(episode) && cause.permits(*decision)
                    && before.state() != ItemState::Withdrawn
                {
                    prop_assert!(result.is_ok(), "a due ruling on {} was refused: {:?}", episode, result);
                }
            }
            match result {
                Err(error) => {
                    prop_assert!(events.is_empty(), "refused command emitted {:?}", events);
                    prop_assert_eq!(&item, &before, "refused command changed the state");
                    prop_assert!(error.code().starts_with("item."));
                    continue;
                }
                Ok(()) => prop_assert!(!events.is_empty()),
            }
            let outside_unit = |by: &PersonId| {
                Some(by) != before.responsible_person() && !directory.as_organisation().is_member(&the_unit(), by)
            };
            for event in &events {
                match event {
                    ItemEvent::ItemAssigned { .. } | ItemEvent::ItemReopened { .. } => {
                        generation += 1;
                        ack_generation += 1;
                    }
                    ItemEvent::ExtensionApproved { .. } => generation += 1,
                    // 改派 opens a new 签收 window, under the same deadline.
                    ItemEvent::ItemReassigned { .. } => ack_generation += 1,
                    ItemEvent::AcknowledgementOverdueRecorded { effective_at, at, .. } => {
                        *ack_overdue_per_generation.entry(ack_generation).or_default() += 1;
                        prop_assert!(at >= effective_at, "签收 overdue recorded before it was due");
                    }
                    ItemEvent::ItemAcknowledged { late: true, .. } => {
                        prop_assert!(item.acknowledgement_overdue_recorded(), "late 签收 without its fact");
                    }
                    ItemEvent::SignOffRejected { by, .. } | ItemEvent::ExtensionDenied { by, .. } => {
                        prop_assert!(outside_unit(by), "the unit decided on its own request");
                    }
                    ItemEvent::ItemBecameOverdue { effective_at, at, .. } => {
                        *overdue_per_generation.entry(generation).or_default() += 1;
                        prop_assert!(at >= effective_at, "overdue recorded before the deadline passed");
                        prop_assert!(before.state().has_running_deadline(), "overdue on a {} item", before.state());
                        prop_assert_eq!(Some(*effective_at), before.current_deadline().map(|d| d.passes_at));
                    }
                    ItemEvent::DeadlineWarningRecorded { effective_at, .. } => {
                        *warnings_per_generation.entry(generation).or_default() += 1;
                        let set_at = before.current_deadline().map(|d| d.set_at);
                        prop_assert!(set_at.is_some_and(|s| *effective_at >= s), "warning before its deadline was set");
                    }
                    ItemEvent::ItemClosed { by, .. } => {
                        let responsible = before.responsible_person().cloned();
                        prop_assert!(Some(by) != responsible.as_ref(), "closed by the responsible person");
                        prop_assert!(!directory.as_organisation().is_member(&the_unit(), by), "closed by a member of the unit");
                    }
                    _ => {}
                }
            }
            // 容错: each ruling names an episode failed by then and not ruled on before, and
            // never excuses subjective wrongdoing. Tracked from the events in their order.
            let mut deadline_number = u32::try_from(before.deadlines().len()).unwrap_or(u32::MAX);
            for event in &events {
                match event {
                    ItemEvent::ItemAssigned { .. }
                    | ItemEvent::ExtensionApproved { .. }
                    | ItemEvent::ItemReopened { .. } => {
                        deadline_number += 1;
                        if matches!(event, ItemEvent::ItemReopened { .. }) {
                            relapses_found += 1;
                        }
                    }
                    ItemEvent::ItemBecameOverdue { .. }
                    | ItemEvent::ItemClosed { on_time: false, .. } => {
                        failed_deadlines.insert(deadline_number);
                    }
                    ItemEvent::FaultToleranceRuled { episode, cause, decision, .. } => {
                        let failed = match *episode {
                            Episode::Deadline { number } => failed_deadlines.contains(&number),
                            Episode::Relapse { number } => number >= 1 && number <= relapses_found,
                        };
                        prop_assert!(failed, "ruled on {} which the item had not failed", episode);
                        prop_assert!(ruled.insert(*episode), "{} ruled on twice", episode);
                        prop_assert!(
                            cause.excusable() || *decision == FaultDecision::None,
                            "{:?} on subjective wrongdoing", decision
                        );
                    }
                    _ => {}
                }
            }
            // The events' account of the episodes is the item's.
            prop_assert_eq!(deadline_number as usize, item.deadlines().len());
            prop_assert_eq!(relapses_found, item.relapses());
            for (i, d) in item.deadlines().iter().enumerate() {
                let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
                prop_assert_eq!(d.failed(), failed_deadlines.contains(&number), "deadline {}", number);
            }
            // A ruling touches its own episode only: every other episode's standing — failed
            // or not, ruled or not, and how — is as it was, and so is the item's exemption or
            // mitigation unless it rules on the deadline in force.
            if let Some(ItemEvent::FaultToleranceRuled { episode, cause, decision, .. }) = events
                .iter()
                .find(|e| matches!(e, ItemEvent::FaultToleranceRuled { .. }))
            {
                prop_assert_eq!(events.len(), 1, "a ruling records nothing else");
                for other in episodes(&before, &item) {
                    if other == *episode {
                        prop_assert_eq!(standing(&before, other), (true, None));
                        prop_assert_eq!(standing(&item, other), (true, Some((*cause, *decision))));
                    } else {
                        prop_assert_eq!(standing(&before, other), standing(&item, other), "{} moved", other);
                    }
                }
                if before.current_deadline_episode() != Some(*episode) {
                    prop_assert_eq!(before.is_exempt(), item.is_exempt());
                    prop_assert_eq!(before.is_mitigated(), item.is_mitigated());
                }
                prop_assert_eq!(item.state(), before.state());
                prop_assert_eq!(item.deadlines(), before.deadlines());
            }
            // A command that moves the deadline or ends the item at or after the instant the
            // deadline in force passed leaves that deadline's overdue fact recorded — unless
            // the item's clock had stopped at a sign-off request made before it passed.
            let moves_on = events.iter().any(|e| matches!(e,
                ItemEvent::ItemClosed { .. } | ItemEvent::ItemWithdrawn { .. }
                | ItemEvent::ExtensionApproved { .. } | ItemEvent::ItemReopened { .. }
                | ItemEvent::SignOffRejected { .. }));
            if moves_on && before.state().has_running_deadline() && before.clock_stopped_at().is_none() {
                if let Some(index) = before.deadlines().len().checked_sub(1) {
                    if now >= before.deadlines()[index].passes_at {
                        prop_assert!(item.deadlines()[index].overdue_recorded, "a passed deadline lost its overdue fact");
                    }
                }
            }
            // 改派 keeps the deadline in force: changing hands buys no time.
            if events.iter().any(|e| matches!(e, ItemEvent::ItemReassigned { .. })) {
                prop_assert_eq!(item.deadlines().len(), before.deadlines().len(), "a reassignment moved the deadline");
                prop_assert_eq!(item.state(), ItemState::Assigned);
            }
            // The clock stops at an in-time sign-off request: no overdue fact while it waits,
            // except the one a send-back records.
            if before.clock_stopped_at().is_some()
                && events.iter().any(|e| matches!(e, ItemEvent::ItemBecameOverdue { .. }))
            {
                prop_assert!(
                    events.iter().any(|e| matches!(e, ItemEvent::SignOffRejected { .. })),
                    "overdue recorded while an in-time request waited"
                );
            }
            if let Some(ItemEvent::ItemClosed { on_time, sign_off_requested_at, .. }) = events.last() {
                let passes_at = before.deadlines().last().map(|d| d.passes_at);
                prop_assert_eq!(Some(*on_time), passes_at.map(|p| *sign_off_requested_at < p), "on time is judged by the request");
            }
            if item.state() == ItemState::Closed && item.closure().is_some_and(|c| !c.on_time) {
                prop_assert!(item.is_overdue(), "closed late without the overdue fact");
            }
            // 结转 keeps the code, the state and every deadline; only the campaign moves on.
            if let Some(ItemEvent::ItemCarriedOver { from, to, .. }) = events.last() {
                prop_assert_eq!(Some(from), before.campaign());
                prop_assert_eq!(item.campaign(), Some(to));
                prop_assert_eq!(item.code(), before.code());
                prop_assert_eq!(item.state(), before.state());
                // The same deadlines (a passed one may have had its overdue fact caught up).
                let dates = |i: &Item| i.deadlines().iter().map(|d| (d.deadline, d.passes_at)).collect::<Vec<_>>();
                prop_assert_eq!(dates(&item), dates(&before));
                prop_assert!(!matches!(before.state(), ItemState::Closed | ItemState::Withdrawn));
                prop_assert!(before.carry_overs().iter().all(|c| &c.from != to), "carried back");
            }
            // The outcome totals are the sum of what was recorded and verified, less what was
            // corrected; nothing is recorded on a withdrawn item.
            for event in &events {
                match event {
                    ItemEvent::OutcomeRecorded { indicators, .. }
                    | ItemEvent::ItemClosed { outcome: Some(indicators), .. } => {
                        expected_fen += indicators.funds_recovered().fen();
                        expected_people += u64::from(indicators.people_affected());
                    }
                    ItemEvent::OutcomeCorrected { deducted, .. } => {
                        expected_fen -= deducted.funds_recovered().fen();
                        expected_people -= u64::from(deducted.people_affected());
                    }
                    _ => {}
                }
                if matches!(event, ItemEvent::OutcomeRecorded { .. } | ItemEvent::OutcomeCorrected { .. }) {
                    prop_assert!(before.state() != ItemState::Withdrawn, "an outcome on a withdrawn item");
                }
            }
            prop_assert_eq!(item.outcome().funds_recovered.fen(), expected_fen);
            prop_assert_eq!(u64::from(item.outcome().people_affected), expected_people);
            history.extend(events);

            prop_assert!(item.extensions_approved() <= max_extensions);
            prop_assert!(overdue_per_generation.values().all(|n| *n <= 1), "overdue twice for one deadline");
            prop_assert!(warnings_per_generation.values().all(|n| *n <= 1), "warned twice for one deadline");
            prop_assert!(ack_overdue_per_generation.values().all(|n| *n <= 1), "签收 overdue twice");
            prop_assert_eq!(item.state() == ItemState::Closed, item.closure().is_some() && item.state() == ItemState::Closed);
            if item.state() == ItemState::Closed {
                let verifier = item.closure().map(|c| c.verified_by.clone());
                prop_assert!(verifier.as_ref() != item.responsible_person());
                prop_assert!(!verifier.is_some_and(|v| directory.as_organisation().is_member(&the_unit(), &v)));
            }
            // Colour never panics and closed items are green.
            let colour = item.colour(now);
            if matches!(item.state(), ItemState::Closed | ItemState::Withdrawn) {
                prop_assert_eq!(colour, Colour::Green);
            }
        }

        // Replaying the log gives the same state; the snapshot round-trips.
        let replayed: Item = replay(history);
        prop_assert_eq!(&replayed, &item);
        let json = serde_json::to_string(&item).expect("serialises");
        let back: Item = serde_json::from_str(&json).expect("deserialises");
        prop_assert_eq!(back, item);
    }
}
