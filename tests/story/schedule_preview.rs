//! `rectiflow schedule preview --campaign` (issue #11) on the story's store: the campaign's
//! rhythm and time zone, and the county's working days as declared — a day off the county
//! declares on a Monday moves that week's dispatch to Tuesday, and says why.

use chrono::NaiveDate;
use rectiflow::schedule::preview_on;
use rectiflow_domain::calendar::overrides::{CountyOverrides, DeclaredDay, OverrideCommand};
use rectiflow_domain::values::{CampaignId, CountyId};
use rectiflow_scheduler::preview::{MONTHLY_BULLETIN, WEEKLY_DISPATCH};
use rectiflow_tests::Store;

use crate::world::{campaign_id, text, World};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

pub async fn the_preview_reads_the_campaign_and_the_county_calendar<S: Store>(w: &World<S>) {
    let county = CountyId::parse("zhuxi").expect("a valid CountyId");
    let campaign = campaign_id();
    let december = || {
        preview_on(
            w.store(),
            county.clone(),
            &campaign,
            date(2026, 12, 1),
            date(2026, 12, 31),
        )
    };
    let before = december().await.expect("a preview");
    let fires =
        |lines: &[rectiflow_scheduler::preview::PreviewLine], schedule: &str| -> Vec<NaiveDate> {
            lines
                .iter()
                .filter(|l| l.schedule == schedule)
                .map(|l| l.fires.date())
                .collect()
        };
    assert_eq!(
        fires(&before, WEEKLY_DISPATCH),
        [
            date(2026, 12, 7),
            date(2026, 12, 14),
            date(2026, 12, 21),
            date(2026, 12, 28)
        ]
    );
    assert_eq!(fires(&before, MONTHLY_BULLETIN), [date(2026, 12, 1)]);

    w.ok::<CountyOverrides, _>(
        "admin-wu",
        "zhuxi",
        OverrideCommand::Declare {
            date: date(2026, 12, 7),
            day: DeclaredDay::DayOff,
            reason: text("县城区停电检修"),
        },
    )
    .await;
    let after = december().await.expect("a preview");
    assert_eq!(
        fires(&after, WEEKLY_DISPATCH),
        [
            date(2026, 12, 8),
            date(2026, 12, 14),
            date(2026, 12, 21),
            date(2026, 12, 28)
        ]
    );
    let moved = after
        .iter()
        .find(|l| l.schedule == WEEKLY_DISPATCH)
        .expect("a dispatch");
    assert!(
        moved
            .why
            .contains("moved to the next working day 2026-12-08"),
        "{}",
        moved.why
    );

    let unknown = CampaignId::parse("qunfu-2099").expect("a valid CampaignId");
    let error = preview_on(
        w.store(),
        county,
        &unknown,
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    .await
    .expect_err("no such campaign");
    assert_eq!(error.to_string(), "no campaign qunfu-2099 in this store");
}
