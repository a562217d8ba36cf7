//! Deadline arithmetic across weekends and holidays.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::calendar::FixedCalendar;
use crate::item::*;
use crate::settings::CampaignSettings;
use crate::testing::services;

#[test]
fn acknowledgement_window_skips_the_weekend() {
    // Assigned Friday 2026-03-06 16:00 local: two working days are Monday 9 and Tuesday 10.
    let event = assigned_with(
        services(directory()).0,
        local(2026, 3, 6, 16, 0),
        deadline(2026, 3, 31),
    );
    assert_eq!(instants(&event).0, local(2026, 3, 11, 0, 0));
}

#[test]
fn deadline_arithmetic_across_national_day_with_a_make_up_day() {
    // 2026-10-01..07 National Day holiday (Thu–Wed); Sunday 10-11 a make-up working day.
    let calendar = FixedCalendar::weekdays()
        .with_holidays((1..=7).map(|d| date(2026, 10, d)))
        .with_make_up_days([date(2026, 10, 11)]);
    let holiday_services = services_with(calendar, CampaignSettings::default());
    let assigned_at = local(2026, 9, 29, 10, 0);
    let due = deadline(2026, 10, 12);

    let (ack, passes, warn) = instants(&assigned_with(holiday_services, assigned_at, due));
    // Tuesday 09-29 + 2 working days: Wednesday 30, (holidays), Thursday 10-08.
    assert_eq!(ack, local(2026, 10, 9, 0, 0));
    // Due by 24:00 local of Monday 10-12 = 16:00 UTC the same day.
    assert_eq!(passes, local(2026, 10, 13, 0, 0));
    assert_eq!(passes.to_rfc3339(), "2026-10-12T16:00:00+00:00");
    // Three working days before Monday 10-12: Sunday 11 (make-up), Friday 9, Thursday 8.
    assert_eq!(warn, local(2026, 10, 8, 0, 0));

    // The same assignment on a plain weekday calendar gives different instants, which is why
    // they are computed once and stored in the event.
    let (ack, passes, warn) = instants(&assigned_with(services(directory()).0, assigned_at, due));
    assert_eq!(ack, local(2026, 10, 2, 0, 0));
    assert_eq!(passes, local(2026, 10, 13, 0, 0));
    assert_eq!(warn, local(2026, 10, 7, 0, 0));
}

#[test]
fn a_later_calendar_change_does_not_rewrite_stored_instants() {
    // The history says the warning opened at 03-26; a calendar declaring 03-27 a holiday now
    // does not move it: the state comes from the events, not from recomputation.
    let calendar = FixedCalendar::weekdays().with_holidays([date(2026, 3, 27)]);
    let events = TestFramework::<Item>::with(services_with(calendar, CampaignSettings::default()))
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 26, 9, 0),
            scheduler(),
            ItemCommand::RecordDeadlineWarning,
        ))
        .inspect_result()
        .expect("warning accepted");
    assert_eq!(events, vec![warning(local(2026, 3, 26, 9, 0))]);
}
