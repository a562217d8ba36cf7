//! Creating a campaign: once, in a plausible year, with valid settings.

use super::fixtures::*;
use crate::campaign::*;
use crate::settings::CampaignSettings;
use crate::values::ValueError;

#[test]
fn creates_a_campaign() {
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("2026 群腐整治"),
            year: 2026,
            settings: CampaignSettings::default(),
        }))
        .then_expect_events(vec![created()]);
}

#[test]
fn refuses_a_second_creation() {
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("again"),
            year: 2026,
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::AlreadyExists);
}

#[test]
fn refuses_an_implausible_year() {
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("x"),
            year: 26,
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::InvalidYear(26));
}

#[test]
fn refuses_invalid_settings_on_creation_and_change() {
    let bad = CampaignSettings {
        mitigation_factor: 1.5,
        ..CampaignSettings::default()
    };
    let expected = bad.validate().expect_err("invalid");
    assert!(matches!(expected, ValueError::OutOfRange { .. }));
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::CreateCampaign {
            campaign: campaign(),
            name: text("x"),
            year: 2026,
            settings: bad.clone(),
        }))
        .then_expect_error(CampaignError::InvalidSettings(expected.clone()));
    framework()
        .given(vec![created()])
        .when(cmd(CampaignCommand::ChangeSettings { settings: bad }))
        .then_expect_error(CampaignError::InvalidSettings(expected));
}

#[test]
fn commands_on_a_missing_campaign_are_refused() {
    framework()
        .given_no_previous_events()
        .when(cmd(CampaignCommand::ChangeSettings {
            settings: CampaignSettings::default(),
        }))
        .then_expect_error(CampaignError::NotFound);
}
