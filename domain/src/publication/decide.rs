//! Every decision of the publication aggregate: the event a command yields, or why it is
//! refused. The actor (`stamp.actor`) is at hand for the role checks to come.

use chrono::{DateTime, Datelike, Days, Utc};
use chrono_tz::Tz;

use crate::calendar::{Reckoned, WorkingCalendar};
use crate::services::DomainServices;
use crate::settings::{CampaignSettings, Rhythm};
use crate::values::{local_date, CampaignId, PersonId, PublicationId};
use crate::Command;

use super::aggregate::{Publication, PublicationStatus};
use super::check::check_figures;
use super::commands::{PublicationCommand, Publish, Skip};
use super::due::{catch_up_until, due_at, first_working_day_at, local_instant};
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
    nominal: &'a [DateTime<Utc>],
}

/// What a checked header makes: the id of the original publication, and when it falls due.
struct Checked {
    original: String,
    due: Reckoned<DateTime<Utc>>,
}

impl Header<'_> {
    /// Checks scope, period and nominal occurrences against the kind and the rhythm, and
    /// returns the id of the original publication they make and its due instant, computed on
    /// `calendar` ([`due_at`]).
    fn check(
        &self,
        tz: Tz,
        rhythm: &Rhythm,
        calendar: &dyn WorkingCalendar,
    ) -> Result<Checked, PublicationError> {
        let kind = self.kind;
        if !kind.allows(self.scope) {
            return Err(PublicationError::ScopeMismatch { kind });
        }
        let nominal_mismatch = |needs| PublicationError::NominalMismatch { kind, needs };
        let weeks = match kind {
            PublicationKind::Dispatch => {
                if self.nominal.is_empty() {
                    return Err(nominal_mismatch("须列明所代表的原定调度时点"));
                }
                if self.nominal.windows(2).any(|pair| pair[0] >= pair[1]) {
                    return Err(nominal_mismatch("须按时间先后列明各原定调度时点，不得重复"));
                }
                self.nominal.len()
            }
            _ if !self.nominal.is_empty() => {
                return Err(nominal_mismatch("不设原定调度时点"));
            }
            _ => 0,
        };
        let label = period_label(kind, self.period, weeks, tz)?;
        if kind == PublicationKind::Dispatch {
            self.check_nominal(tz, rhythm, calendar)?;
        }
        Ok(Checked {
            original: stream_name(kind, self.campaign, &label, self.scope),
            due: due_at(kind, self.period, self.nominal, rhythm, tz, calendar),
        })
    }

    /// A dispatch's nominal occurrences: one as each week it covers ends, on the rhythm's
    /// dispatch weekday at its publication time; merged only when they were moved onto the
    /// same day.
    fn check_nominal(
        &self,
        tz: Tz,
        rhythm: &Rhythm,
        calendar: &dyn WorkingCalendar,
    ) -> Result<(), PublicationError> {
        let needs = |needs| PublicationError::NominalMismatch {
            kind: self.kind,
            needs,
        };
        let first = local_date(self.period.start, tz);
        for (week, nominal) in (1u64..).zip(self.nominal) {
            let day = local_date(*nominal, tz);
            if day.weekday() != rhythm.dispatch_weekday
                || *nominal != local_instant(day, rhythm.publish_at, tz)
            {
                return Err(needs("的原定调度时点须为调度日的发布时刻"));
            }
            if first.checked_add_days(Days::new(week * 7)) != Some(day) {
                return Err(needs("的原定调度时点须为所覆盖各周的结束之时"));
            }
        }
        let due_day = |nominal: &DateTime<Utc>| {
            first_working_day_at(local_date(*nominal, tz), rhythm.publish_at, tz, calendar).value
        };
        let mut dues = self.nominal.iter().map(due_day);
        if let Some(first_due) = dues.next() {
            if dues.any(|due| due != first_due) {
                return Err(needs("只能合并顺延至同一天的原定调度"));
            }
        }
        Ok(())
    }
}

fn header(publish: &Publish) -> Header<'_> {
    Header {
        kind: publish.kind,
        campaign: &publish.campaign,
        scope: &publish.scope,
        period: publish.period,
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
        let rhythm = settings.rhythm;
        let calendar = &*services.calendar;
        let event = match body {
            PublicationCommand::Publish(publish) => {
                let Checked { original, due } = header(&publish).check(tz, &rhythm, calendar)?;
                if publish.publication.as_str() != original {
                    return Err(wrong_stream(&publish.publication, original));
                }
                // A dispatch older than the catch-up window is skipped, never published.
                if publish.kind == PublicationKind::Dispatch {
                    let until = catch_up_until(due.value, &rhythm);
                    if stamp.at >= until {
                        return Err(PublicationError::CatchUpWindowPassed {
                            due_at: due.value,
                            until,
                        });
                    }
                }
                let late = super::due::is_late(stamp.at, due.value, tz);
                published(publish, None, due, late, &settings, stamp.at, stamp.actor)?
            }
            PublicationCommand::Correct {
                correction,
                corrects,
                reason,
            } => {
                let Checked { original, due } = header(&correction).check(tz, &rhythm, calendar)?;
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
                // A correction never falls due: it records its original's due instant and is
                // never late.
                published(
                    correction,
                    Some(correction_of),
                    due,
                    false,
                    &settings,
                    stamp.at,
                    stamp.actor,
                )?
            }
            PublicationCommand::Skip(skip) => {
                skipped(skip, tz, &rhythm, calendar, stamp.at, stamp.actor)?
            }
        };
        Ok(vec![event])
    }
}

#[allow(clippy::too_many_arguments)]
fn published(
    publish: Publish,
    correction: Option<Correction>,
    due: Reckoned<DateTime<Utc>>,
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
        due_at: due.value,
        calendar_unknown: due.calendar_unknown,
        rhythm: settings.rhythm,
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
    rhythm: &Rhythm,
    calendar: &dyn WorkingCalendar,
    at: DateTime<Utc>,
    by: PersonId,
) -> Result<PublicationEvent, PublicationError> {
    if skip.kind != PublicationKind::Dispatch {
        return Err(PublicationError::NeverSkipped { kind: skip.kind });
    }
    let Checked { original, due } = Header {
        kind: skip.kind,
        campaign: &skip.campaign,
        scope: &skip.scope,
        period: skip.period,
        nominal: &skip.nominal,
    }
    .check(tz, rhythm, calendar)?;
    if skip.publication.as_str() != original {
        return Err(wrong_stream(&skip.publication, original));
    }
    // A dispatch that has not fallen due cannot have been missed; one inside the catch-up
    // window must still be published, late.
    if at < due.value {
        return Err(PublicationError::NotYetDue { due_at: due.value });
    }
    let until = catch_up_until(due.value, rhythm);
    if at < until {
        return Err(PublicationError::InsideCatchUpWindow {
            due_at: due.value,
            until,
        });
    }
    Ok(PublicationEvent::Skipped {
        publication: skip.publication,
        kind: skip.kind,
        campaign: skip.campaign,
        scope: skip.scope,
        period: skip.period,
        due_at: due.value,
        calendar_unknown: due.calendar_unknown,
        rhythm: *rhythm,
        nominal: skip.nominal,
        by,
        at,
    })
}
