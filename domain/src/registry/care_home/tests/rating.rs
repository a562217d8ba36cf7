//! 星级评定: three dimensions weighted into a total, stars by the campaign's bands, and the
//! event keeping the weights and bands it used.

use super::fixtures::*;
use crate::settings::{CampaignSettings, CareHomeRating, CareHomeWeights, StarBands};
use crate::testing::{services_with_settings, without_campaigns};

#[test]
fn an_inspection_weighs_three_dimensions_into_stars() {
    let s = scores(90.0, 84.0, 75.0);
    framework()
        .given_no_previous_events()
        .when(cmd(inspect(s)))
        .then_expect_events(vec![inspected(s, 83.0, 4)]);
}

#[test]
fn the_weights_and_bands_are_the_campaigns_and_are_recorded() {
    let rating = CareHomeRating {
        weights: CareHomeWeights {
            facilities: 1.0,
            services: 2.0,
            staff: 1.0,
        },
        bands: StarBands {
            two: 50.0,
            three: 65.0,
            four: 75.0,
            five: 85.0,
        },
    };
    let settings = CampaignSettings {
        care_home: rating.clone(),
        ..CampaignSettings::default()
    };
    let s = scores(60.0, 90.0, 80.0);
    // (60 + 2×90 + 80) / 4 = 80 → four stars under these bands (three under the defaults).
    cqrs_es::test::TestFramework::<CareHome>::with(services_with_settings(settings))
        .given_no_previous_events()
        .when(cmd(inspect(s)))
        .then_expect_events(vec![CareHomeEvent::Inspected {
            campaign: campaign(),
            scores: s,
            rating,
            total: score(80.0),
            stars: stars(4),
            findings: text("消防通道畅通，膳食记录齐全"),
            by: inspector(),
            at: at(NOW),
        }]);
}

#[test]
fn an_inspection_needs_a_known_campaign_and_a_licensed_home() {
    cqrs_es::test::TestFramework::<CareHome>::with(without_campaigns(
        crate::testing::default_services(),
    ))
    .given_no_previous_events()
    .when(cmd(inspect(scores(80.0, 80.0, 80.0))))
    .then_expect_error(CareHomeError::UnknownCampaign {
        campaign: campaign(),
    });
    framework()
        .given(revoked())
        .when(cmd(inspect(scores(95.0, 95.0, 95.0))))
        .then_expect_error(invalid("revoked", "record_inspection"));
}
