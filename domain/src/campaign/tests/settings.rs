//! Changing the settings: a new event each time, the old settings kept in the log.

use super::fixtures::*;
use crate::campaign::*;
use crate::settings::CampaignSettings;

#[test]
fn changing_settings_is_a_new_event_and_keeps_the_old_one() {
    let settings = CampaignSettings {
        max_extensions: 1,
        ..CampaignSettings::default()
    };
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::ChangeSettings {
            settings: settings.clone(),
        }))
        .then_expect_events(vec![CampaignEvent::SettingsChanged {
            settings: settings.clone(),
            by: secretary(),
            at: at(),
        }]);
    let mut campaign = Campaign::default();
    cqrs_es::Aggregate::apply(&mut campaign, created());
    cqrs_es::Aggregate::apply(
        &mut campaign,
        CampaignEvent::SettingsChanged {
            settings: settings.clone(),
            by: secretary(),
            at: at(),
        },
    );
    assert_eq!(campaign.settings(), &settings);
}

#[test]
fn refuses_unchanged_settings() {
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::ChangeSettings {
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::SettingsUnchanged);
}
