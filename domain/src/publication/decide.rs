//! Every decision of the publication aggregate: the event a command yields, or why it is
//! refused. The actor (`stamp.actor`) is at hand for the role checks to come.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::services::DomainServices;
use crate::settings::CampaignSettings;
use crate::values::{local_date, CampaignId, PersonId, PublicationId};
use crate::Command;

use super::aggregate::{Publication, PublicationStatus};
use super::check::check_figures;
use super::commands::{PublicationCommand, Publish, Skip};
use super::errors::PublicationError;
use super::events::{Correction, PublicationEvent};
use super::kind::{Period, PublicationKind, PublicationScope};
use super::period::period_label;
use super::rules::FigureRules;
use super::stream::{stream_name, StreamName};

/// What every publication or skip names about itself, checked the same way.
struct Header<'a> {
    kind: PublicationKind,
    campaign: &'a CampaignId,
    scope: &'a PublicationScope,
    period: Period,
    due_at: DateTime<Utc>,
    nominal: &'a [DateTime<Utc>],
}

impl Header<'_> {
    /// Checks scope, period, due instant and nominal occurrences against the kind, and
    /// returns the id of the original publication they make.
    fn original_id(&self, tz: Tz) -> Result<String, PublicationError> {
        let kind = self.kind;
        if !kind.allows(self.scope) {
            return Err(PublicationError::ScopeMismatch { kind });
        }
        let nominal_mismatch = |needs| PublicationError::NominalMismatch { kind, needs };
        let weeks = match kind {
            PublicationKind::Dispatch => {
                if self.nominal.is_empty() {
                    return Err(nominal_mismatch(
                        "names the nominal dispatches it stands for",
                    ));
                }
                if self.nominal.windows(2).any(|pair| pair[0] >= pair[1]) {
                    return Err(nominal_mismatch(
                        "names each nominal dispatch once, in order",
                    ));
                }
                if self.nominal.last() > Some(&self.due_at) {
                    return Err(nominal_mismatch(
                        "is moved to or after its nominal dispatches",
                    ));
                }
                if self.nominal.last() < Some(&self.period.cut_off) {
                    return Err(nominal_mismatch("is nominally due after its period ends"));
                }
                self.nominal.len()
            }
            _ if !self.nominal.is_empty() => {
                return Err(nominal_mismatch("has no nominal dispatches"));
            }
            _ => 0,
        };
        let label = period_label(kind, self.period, weeks, tz)?;
        if self.due_at < self.period.cut_off {
            return Err(PublicationError::DueBeforeCutOff {
                due_at: self.due_at,
                cut_off: self.period.cut_off,
            });
        }
        Ok(stream_name(kind, self.campaign, &label, self.scope))
    }
}

fn header(publish: &Publish) -> Header<'_> {
    Header {
        kind: publish.kind,
        campaign: &publish.campaign,
        scope: &publish.scope,
        period: publish.period,
        due_at: publish.due_at,
        nominal: &publish.nominal,
    }
}

fn wrong_stream(named: &PublicationId, expected: String) -> PublicationError {
    PublicationError::WrongStream {
        named: named.clone(),
        expected,
    }
}

impl Publication {
    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<PublicationCommand>,
        services: &DomainServices,
    ) -> Result<Vec<PublicationEvent>, PublicationError> {
        if self.status != PublicationStatus::NotRecorded {
            return Err(PublicationError::AlreadyRecorded {
                state: self.status.as_str(),
            });
        }
        let Command { stamp, body } = command;
        let campaign = match &body {
            PublicationCommand::Publish(publish) => &publish.campaign,
            PublicationCommand::Correct { correction, .. } => &correction.campaign,
            PublicationCommand::Skip(skip) => &skip.campaign,
        };
        let Some(settings) = services.settings.settings(campaign) else {
            return Err(PublicationError::UnknownCampaign {
                campaign: campaign.clone(),
            });
        };
        let tz = settings.time_zone;
        let event = match body {
            PublicationCommand::Publish(publish) => {
                let original = header(&publish).original_id(tz)?;
                if publish.publication.as_str() != original {
                    return Err(wrong_stream(&publish.publication, original));
                }
                // On time when published on the local day it fell due (the schedule fires at
                // 09:00); a later day means the occurrence was missed and caught up.
                let late = local_date(stamp.at, tz) > local_date(publish.due_at, tz);
                published(publish, None, late, &settings, stamp.at, stamp.actor)?
            }
            PublicationCommand::Correct {
                correction,
                corrects,
                reason,
            } => {
                let original = header(&correction).original_id(tz)?;
                let name = StreamName::read(&correction.publication)
                    .filter(|name| name.original == original && name.correction > 0);
                let Some(expected) = name.and_then(|name| name.corrects()) else {
                    return Err(wrong_stream(
                        &correction.publication,
                        format!("{original}~correction-n"),
                    ));
                };
                if corrects.as_str() != expected {
                    return Err(PublicationError::CorrectionMismatch {
                        publication: correction.publication,
                        corrects,
                        expected,
                    });
                }
                let correction_of = Correction { corrects, reason };
                published(
                    correction,
                    Some(correction_of),
                    false,
                    &settings,
                    stamp.at,
                    stamp.actor,
                )?
            }
            PublicationCommand::Skip(skip) => skipped(skip, tz, stamp.at, stamp.actor)?,
        };
        Ok(vec![event])
    }
}

fn published(
    publish: Publish,
    correction: Option<Correction>,
    late: bool,
    settings: &CampaignSettings,
    at: DateTime<Utc>,
    by: PersonId,
) -> Result<PublicationEvent, PublicationError> {
    // Its inputs are read at or after the cut-off: nothing before it can be published.
    if at < publish.period.cut_off {
        return Err(PublicationError::BeforeCutOff {
            cut_off: publish.period.cut_off,
        });
    }
    let rules = FigureRules::of(publish.kind, settings);
    check_figures(
        publish.kind,
        &publish.figures,
        settings.mitigation_factor,
        &rules,
    )?;
    Ok(PublicationEvent::Published {
        publication: publish.publication,
        kind: publish.kind,
        campaign: publish.campaign,
        scope: publish.scope,
        period: publish.period,
        due_at: publish.due_at,
        nominal: publish.nominal,
        late,
        inputs: publish.inputs,
        mitigation_factor: settings.mitigation_factor,
        rules,
        figures: Box::new(publish.figures),
        correction,
        by,
        at,
    })
}

fn skipped(
    skip: Skip,
    tz: Tz,
    at: DateTime<Utc>,
    by: PersonId,
) -> Result<PublicationEvent, PublicationError> {
    if skip.kind != PublicationKind::Dispatch {
        return Err(PublicationError::NeverSkipped { kind: skip.kind });
    }
    let original = Header {
        kind: skip.kind,
        campaign: &skip.campaign,
        scope: &skip.scope,
        period: skip.period,
        due_at: skip.due_at,
        nominal: &skip.nominal,
    }
    .original_id(tz)?;
    if skip.publication.as_str() != original {
        return Err(wrong_stream(&skip.publication, original));
    }
    // Whether it is older than the catch-up window is the scheduler's to judge; a dispatch
    // that has not fallen due cannot have been missed.
    if at < skip.due_at {
        return Err(PublicationError::NotYetDue {
            due_at: skip.due_at,
        });
    }
    Ok(PublicationEvent::Skipped {
        publication: skip.publication,
        kind: skip.kind,
        campaign: skip.campaign,
        scope: skip.scope,
        period: skip.period,
        due_at: skip.due_at,
        nominal: skip.nominal,
        by,
        at,
    })
}
