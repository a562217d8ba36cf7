//! Every decision of the alert aggregate: the events a command yields, in order, or why it is
//! refused. The actor (`stamp.actor`) is at hand for role checks (the platform's integrator
//! pushes, the secretariat triages, the schedule records the miss), which the
//! organisation port will bring.

use crate::services::DomainServices;
use crate::values::AlertId;
use crate::Command;

use super::aggregate::{Alert, AlertStatus};
use super::commands::{AlertCommand, Triage};
use super::deadline::triage_due;
use super::errors::AlertError;
use super::events::AlertEvent;

impl Alert {
    pub(super) fn decide(
        &self,
        command: Command<AlertCommand>,
        services: &DomainServices,
    ) -> Result<Vec<AlertEvent>, AlertError> {
        let Command { stamp, body } = command;
        let request = body.name();
        // A late triage records the missed window first, so the miss is one fact whichever of
        // the schedule and the secretariat comes first.
        let mut first = None;
        let event = match body {
            AlertCommand::Receive(push) => {
                if let Some(receipt) = &self.receipt {
                    return Err(AlertError::Duplicate {
                        reference: receipt.reference.clone(),
                    });
                }
                let expected = AlertId::of_reference(&push.reference);
                if push.alert != expected {
                    return Err(AlertError::WrongAlertId {
                        reference: push.reference,
                        named: push.alert,
                        expected,
                    });
                }
                let Some(settings) = services.settings.settings(&push.campaign) else {
                    return Err(AlertError::UnknownCampaign {
                        campaign: push.campaign,
                    });
                };
                let days = settings.alert_triage_working_days;
                let due = triage_due(
                    stamp.at,
                    days,
                    settings.time_zone,
                    services.calendar.as_ref(),
                );
                AlertEvent::Received {
                    alert: push.alert,
                    reference: push.reference,
                    campaign: push.campaign,
                    subject: push.subject,
                    summary: push.summary,
                    amount_involved: push.amount_involved,
                    raised_at: push.raised_at,
                    by: stamp.actor,
                    at: stamp.at,
                    triage_working_days: days,
                    triage_due: due.value,
                    calendar_unknown: due.calendar_unknown,
                }
            }
            AlertCommand::Triage(triage) => {
                match self.status {
                    AlertStatus::Open => {}
                    AlertStatus::Triaged => return Err(AlertError::AlreadyTriaged),
                    AlertStatus::NotReceived => return Err(self.refuse(request)),
                }
                let receipt = self.receipt.as_ref().ok_or_else(|| self.refuse(request))?;
                match &triage {
                    Triage::Dismissed { reasons } if reasons.is_empty() => {
                        return Err(AlertError::NoReasons)
                    }
                    Triage::Merged { into } if *into == receipt.alert => {
                        return Err(AlertError::MergeIntoItself)
                    }
                    _ => {}
                }
                let due = receipt.triage_due;
                let late = stamp.at >= due;
                if late && !self.triage_missed {
                    first = Some(AlertEvent::TriageMissed {
                        triage_due: due,
                        calendar_unknown: receipt.calendar_unknown,
                        by: stamp.actor.clone(),
                        at: stamp.at,
                    });
                }
                AlertEvent::Triaged {
                    triage,
                    late,
                    triage_due: due,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AlertCommand::RecordTriageMissed => {
                let receipt = self.receipt.as_ref().ok_or_else(|| self.refuse(request))?;
                if self.status == AlertStatus::Triaged {
                    return Err(AlertError::AlreadyTriaged);
                }
                if self.triage_missed {
                    return Err(AlertError::TriageAlreadyMissed);
                }
                if stamp.at < receipt.triage_due {
                    return Err(AlertError::TriageNotYetDue {
                        triage_due: receipt.triage_due,
                    });
                }
                AlertEvent::TriageMissed {
                    triage_due: receipt.triage_due,
                    calendar_unknown: receipt.calendar_unknown,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(first.into_iter().chain([event]).collect())
    }
}
