//! Property: any sequence of supplier commands never panics and an award is never cleared
//! while the supplier is listed (一票否决); a refused command records nothing.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::values::{CampaignId, CaseId, PersonId, Text};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8, b: u8) -> Option<SupplierCommand> {
    let base = NaiveDate::from_ymd_opt(2026, 3, 1)?;
    let text = Text::parse(format!("text {a}")).ok()?;
    Some(match kind % 3 {
        0 => SupplierCommand::Blacklist {
            campaign: CampaignId::parse("qunfu-2026").ok()?,
            basis: BlacklistBasis::Case {
                case: CaseId::parse("case-1").ok()?,
            },
            reason: text,
            from: base.checked_add_days(Days::new(u64::from(a % 20)))?,
            until: base.checked_add_days(Days::new(u64::from(b % 30)))?,
        },
        1 => SupplierCommand::RemoveFromBlacklist { reason: text },
        _ => SupplierCommand::CheckAward {
            procurement_ref: text,
        },
    })
}

proptest! {
    #[test]
    fn an_award_is_never_cleared_while_listed(
        steps in prop::collection::vec((0u8..3, any::<u8>(), any::<u8>(), 0i64..48), 0..60)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let mut now: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("officer").map_err(|_| TestCaseError::fail("id"))?;
        let mut supplier = Supplier::default();
        for (kind, a, b, hours) in steps {
            now += Duration::hours(hours);
            let Some(body) = body(kind, a, b) else { continue };
            let is_check = matches!(body, SupplierCommand::CheckAward { .. });
            let before = supplier.clone();
            match supplier.decide(Command::new(Stamp { at: now, actor: actor.clone() }, body), &services) {
                Ok(events) => {
                    for event in events {
                        if matches!(event, SupplierEvent::AwardCleared { .. }) {
                            prop_assert!(!before.is_listed_at(now), "cleared while listed");
                        }
                        if let SupplierEvent::Blacklisted { listed_from, listed_until, .. } = &event {
                            prop_assert!(listed_from < listed_until);
                            prop_assert!(*listed_until > now);
                        }
                        supplier.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("supplier."));
                    prop_assert_eq!(&supplier, &before);
                    if is_check {
                        prop_assert!(supplier.is_listed_at(now));
                        prop_assert_eq!(error.code(), "supplier.blacklisted");
                    }
                }
            }
        }
    }
}
