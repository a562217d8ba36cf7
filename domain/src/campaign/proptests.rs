//! Random command sequences never panic and keep the campaign's referential invariants.

use std::collections::BTreeSet;

use chrono::{Duration, TimeZone, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::organisation::Role;
use crate::settings::{CampaignSettings, Field};
use crate::testing::fixtures::replay;
use crate::testing::services;
use crate::values::{CampaignId, PersonId, TaskForceId, Text, UnitId, Uri};
use crate::{Command, Stamp};

fn id<T: std::str::FromStr>(prefix: &str, n: u8) -> T
where
    T::Err: std::fmt::Debug,
{
    format!("{prefix}{n}").parse().expect("valid id")
}

fn arb_body() -> impl Strategy<Value = CampaignCommand> {
    let text = || Just(Text::parse("名称").expect("valid"));
    prop_oneof![
        (2000u16..2101, 0u32..4).prop_map(|(year, max)| CampaignCommand::CreateCampaign {
            campaign: CampaignId::parse("c").expect("valid"),
            name: Text::parse("整治").expect("valid"),
            year: if year == 2100 { 1999 } else { year },
            settings: CampaignSettings {
                max_extensions: max,
                ..CampaignSettings::default()
            },
        }),
        (0u32..4, prop::bool::ANY).prop_map(|(max, bad)| CampaignCommand::ChangeSettings {
            settings: CampaignSettings {
                max_extensions: max,
                mitigation_factor: if bad { 2.0 } else { 0.5 },
                ..CampaignSettings::default()
            },
        }),
        (0u8..3, 0u8..3, 0u8..3, text()).prop_map(|(t, f, p, name)| {
            CampaignCommand::AddTaskForce {
                task_force: id::<TaskForceId>("tf", t),
                field: Field::Other(format!("f{f}")),
                name,
                lead: id::<PersonId>("lead", t),
                prefix: ItemPrefix::parse(["YB", "XYC", "YL"][usize::from(p)]).expect("valid"),
                categories: vec![crate::values::Text::parse("欺诈骗保").expect("valid")],
            }
        }),
        (0u8..3, 0u8..3).prop_map(|(t, u)| CampaignCommand::AddTaskForceMember {
            task_force: id::<TaskForceId>("tf", t),
            unit: id::<UnitId>("u", u),
        }),
        text().prop_map(|summary| CampaignCommand::CloseCampaign {
            report: Uri::parse("https://files.example/report.pdf").expect("valid"),
            summary,
        }),
    ]
}

/// The organisation the campaign's member units must come from: u0 and u1 exist, u2 does not;
/// `admin` is its administrator.
fn directory() -> StaticDirectory {
    StaticDirectory::default()
        .with_member(id("u", 0), id("p", 0))
        .with_member(id("u", 1), id("p", 1))
        .with_role(PersonId::parse("admin").expect("valid"), Role::Admin)
}

fn check_invariants(campaign: &Campaign) -> Result<(), TestCaseError> {
    let directory = directory();
    let units: BTreeSet<_> = directory.as_organisation().units().keys().collect();
    let mut prefixes = BTreeSet::new();
    let mut fields = BTreeSet::new();
    for tf in campaign.task_forces().values() {
        prop_assert!(prefixes.insert(tf.prefix.clone()), "a prefix used twice");
        prop_assert!(fields.insert(tf.field.clone()), "a field covered twice");
        for member in &tf.members {
            prop_assert!(units.contains(member), "a member unit that is unknown");
        }
    }
    prop_assert!(campaign.settings().validate().is_ok());
    Ok(())
}

proptest! {
    #[test]
    fn random_campaign_commands_keep_the_invariants(bodies in prop::collection::vec(arb_body(), 0..40)) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let (services, _) = services(directory());
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0).single().unwrap_or_default();
        let mut campaign = Campaign::default();
        let mut history = Vec::new();
        for (i, body) in bodies.into_iter().enumerate() {
            let command = Command::new(
                Stamp { at: start + Duration::hours(i as i64), actor: PersonId::parse("admin").expect("valid") },
                body,
            );
            let before = campaign.clone();
            let sink = EventSink::default();
            let result = runtime.block_on(campaign.handle(command, &services, &sink));
            let events = runtime.block_on(sink.collect());
            match result {
                Err(error) => {
                    prop_assert!(events.is_empty(), "a refused command emitted events");
                    prop_assert_eq!(&campaign, &before, "a refused command changed the state");
                    prop_assert!(error.code().starts_with("campaign."));
                }
                Ok(()) => prop_assert_eq!(events.len(), 1),
            }
            // A closed campaign stays closed, and what it owns no longer changes.
            if before.is_closed() {
                prop_assert!(campaign.is_closed());
                prop_assert_eq!(campaign.closure(), before.closure());
                prop_assert_eq!(campaign.settings(), before.settings());
                prop_assert_eq!(campaign.task_forces(), before.task_forces());
            }
            history.extend(events);
            check_invariants(&campaign)?;
        }
        // Replaying the log gives the same state as folding it live.
        let replayed: Campaign = replay(history);
        prop_assert_eq!(replayed, campaign);
    }
}
