//! The steps of the item's property test: abstract operations, and the concrete command each
//! becomes given the item's state and "now".

use chrono::{DateTime, Days, Utc};
use proptest::prelude::*;

use crate::item::*;
use crate::testing::fixtures::{code, evidence_ref, text};
use crate::values::{
    local_date, CampaignId, Deadline, EvidenceRef, OutcomeIndicators, Percent, PersonId,
    TaskForceId, UnitId, Yuan,
};

/// An abstract step; concrete dates are chosen relative to the item's clock and deadline.
#[derive(Debug, Clone)]
pub(super) enum Op {
    Register,
    Assign {
        days: i64,
        person: usize,
    },
    Acknowledge,
    Progress,
    RequestExtension {
        days: i64,
    },
    Approve,
    Deny,
    RequestSignOff {
        complete: bool,
        fen: u64,
    },
    Verify,
    Reject {
        with_reasons: bool,
    },
    ReinspectPass,
    Relapse {
        days: i64,
    },
    Withdraw,
    AckOverdue,
    Warning,
    Overdue,
    /// 容错 on any episode (a deadline or a relapse, numbered 1–4 / 1–3, failed or not), for
    /// any cause and decision, sent by `by` (an index into [`actors`], usually the
    /// secretariat so that rulings get through).
    Ruling {
        episode: Episode,
        cause: FaultCause,
        decision: FaultDecision,
        by: usize,
    },
    Instruction,
    Urge {
        responsible: bool,
    },
    Reassign {
        person: usize,
    },
    CarryOver {
        campaign: usize,
    },
    RecordOutcome {
        fen: u64,
        people: u32,
    },
    CorrectOutcome {
        fen: u64,
    },
}

pub(super) fn arb_op() -> impl Strategy<Value = Op> {
    // Weighted so that sequences get far: withdrawal (terminal) is rare, the main road common.
    prop_oneof![
        2 => Just(Op::Register),
        10 => (-2i64..40, 0usize..3).prop_map(|(days, person)| Op::Assign { days, person }),
        15 => Just(Op::Acknowledge),
        10 => Just(Op::Progress),
        25 => (-3i64..20).prop_map(|days| Op::RequestExtension { days }),
        20 => Just(Op::Approve),
        4 => Just(Op::Deny),
        15 => (prop::bool::weighted(0.8), 0u64..3).prop_map(|(complete, fen)| Op::RequestSignOff { complete, fen }),
        12 => Just(Op::Verify),
        8 => prop::bool::weighted(0.8).prop_map(|with_reasons| Op::Reject { with_reasons }),
        5 => Just(Op::ReinspectPass),
        8 => (-2i64..30).prop_map(|days| Op::Relapse { days }),
        1 => Just(Op::Withdraw),
        8 => Just(Op::AckOverdue),
        8 => Just(Op::Warning),
        12 => Just(Op::Overdue),
        25 => arb_ruling(),
        3 => Just(Op::Instruction),
        3 => prop::bool::ANY.prop_map(|responsible| Op::Urge { responsible }),
        3 => (0usize..3).prop_map(|person| Op::Reassign { person }),
        3 => (0usize..3).prop_map(|campaign| Op::CarryOver { campaign }),
        4 => (0u64..3, 0u32..2).prop_map(|(fen, people)| Op::RecordOutcome { fen, people }),
        3 => (0u64..4).prop_map(|fen| Op::CorrectOutcome { fen }),
    ]
}

/// Every cause, including subjective wrongdoing, which no ruling may excuse.
const CAUSES: [FaultCause; 4] = [
    FaultCause::ForceMajeure,
    FaultCause::ManagementError,
    FaultCause::InexperienceInReform,
    FaultCause::SubjectiveWrongdoing,
];

const DECISIONS: [FaultDecision; 3] = [
    FaultDecision::Exempt,
    FaultDecision::Mitigate,
    FaultDecision::None,
];

fn arb_ruling() -> impl Strategy<Value = Op> {
    let episode = prop_oneof![
        3 => (1u32..=4).prop_map(|number| Episode::Deadline { number }),
        1 => (1u32..=3).prop_map(|number| Episode::Relapse { number }),
    ];
    // sec-wang mostly; any of the five actors otherwise (li-si, a secretariat who is also a
    // member of the unit, must be refused).
    let by = prop_oneof![3 => Just(0usize), 2 => 0usize..5];
    (episode, 0usize..CAUSES.len(), 0usize..DECISIONS.len(), by).prop_map(
        |(episode, cause, decision, by)| Op::Ruling {
            episode,
            cause: CAUSES[cause],
            decision: DECISIONS[decision],
            by,
        },
    )
}

/// The actor (an index into [`actors`]) whose request `op` usually is, so that sequences get
/// far; the test sends it from a random actor too, for the refusals. A ruling names its own.
pub(super) fn usual_actor(op: &Op) -> usize {
    match op {
        Op::Acknowledge
        | Op::Progress
        | Op::RequestExtension { .. }
        | Op::RequestSignOff { .. } => 1,
        Op::AckOverdue | Op::Warning | Op::Overdue => 4,
        Op::Ruling { by, .. } => *by,
        _ => 0,
    }
}

pub(super) fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().expect("valid id")
}

pub(super) fn the_unit() -> UnitId {
    id("yibao-ju")
}

/// sec-wang (secretariat), zhang-san (responsible person), li-si (unit member who also holds
/// the secretariat role — the adversarial case segregation of duties must still refuse), wu
/// (another unit), schedule:deadlines.
pub(super) fn actors() -> Vec<PersonId> {
    ["sec-wang", "zhang-san", "li-si", "wu", "schedule:deadlines"]
        .into_iter()
        .map(id)
        .collect()
}

pub(super) fn evidence() -> EvidenceRef {
    evidence_ref("e.pdf", "application/pdf", "s3://bucket/e.pdf")
}

pub(super) fn shift(date: chrono::NaiveDate, days: i64) -> Deadline {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    Deadline::new(moved.unwrap_or(date))
}

pub(super) fn body(op: &Op, item: &Item, now: DateTime<Utc>) -> ItemCommand {
    let tz = chrono_tz::Asia::Shanghai;
    let today = local_date(now, tz);
    let in_force = item.deadline_in_force().map_or(today, |d| d.date());
    match op {
        Op::Register => ItemCommand::Register(RegisterItem {
            campaign: id::<CampaignId>("qunfu-2026"),
            task_force: id::<TaskForceId>("yibao"),
            code: code("YB-2026-0001"),
            title: text("t"),
            description: text("d"),
            category: text("虚构服务"),
            source: ItemSource::Inspection,
            source_ref: None,
            severity: Severity::Medium,
        }),
        Op::Assign { days, person } => ItemCommand::Assign(AssignItem {
            responsible_unit: the_unit(),
            responsible_person: actors()[*person].clone(),
            supervising_unit: id("jiwei"),
            deadline: shift(today, *days),
            measures: text("m"),
            milestones: vec![],
        }),
        Op::Reassign { person } => ItemCommand::Reassign {
            responsible_unit: the_unit(),
            responsible_person: actors()[*person].clone(),
            reason: text("r"),
        },
        Op::Acknowledge => ItemCommand::Acknowledge,
        Op::Progress => ItemCommand::ReportProgress {
            text: text("p"),
            percent: Percent::parse(50).expect("valid"),
            evidence: vec![],
        },
        Op::RequestExtension { days } => ItemCommand::RequestExtension {
            reason: text("r"),
            new_deadline: shift(in_force, *days),
        },
        Op::Approve => ItemCommand::ApproveExtension { note: None },
        Op::Deny => ItemCommand::DenyExtension { reason: text("no") },
        Op::RequestSignOff { complete, fen } => ItemCommand::RequestSignOff(SignOffRequest {
            problem: Some(text("p")),
            measures: Some(text("m")),
            result: complete.then(|| text("r")),
            indicators: OutcomeIndicators::new(Yuan::from_fen(*fen), 0, Yuan::ZERO).ok(),
            evidence: vec![evidence()],
        }),
        Op::CarryOver { campaign } => ItemCommand::CarryOver {
            to: id(["qunfu-2026", "qunfu-2027", "qunfu-2028"][*campaign]),
            task_force: None,
            reason: text("r"),
        },
        Op::RecordOutcome { fen, people } => ItemCommand::RecordOutcome {
            // Zero fen and zero people is refused at the edge: a record of nothing.
            indicators: match OutcomeIndicators::new(Yuan::from_fen(*fen), *people, Yuan::ZERO) {
                Ok(indicators) => indicators,
                Err(_) => return ItemCommand::Acknowledge,
            },
            evidence: if *people == 0 {
                vec![]
            } else {
                vec![evidence()]
            },
        },
        Op::CorrectOutcome { fen } => {
            match OutcomeIndicators::new(Yuan::from_fen(*fen), 0, Yuan::ZERO) {
                Ok(deduct) => ItemCommand::CorrectOutcome {
                    deduct,
                    reason: text("r"),
                },
                Err(_) => ItemCommand::Acknowledge,
            }
        }
        Op::Verify => ItemCommand::VerifySignOff { note: None },
        Op::Reject { with_reasons } => ItemCommand::RejectSignOff {
            reasons: if *with_reasons {
                vec![text("more")]
            } else {
                vec![]
            },
        },
        Op::ReinspectPass => {
            ItemCommand::RecordReinspection(ReinspectionOutcome::Passed { findings: None })
        }
        Op::Relapse { days } => ItemCommand::RecordReinspection(ReinspectionOutcome::Relapsed {
            findings: text("f"),
            new_deadline: shift(today, *days),
        }),
        Op::Withdraw => ItemCommand::Withdraw {
            ground: WithdrawalGround::Unfounded,
            reason: text("r"),
        },
        Op::AckOverdue => ItemCommand::RecordAcknowledgementOverdue,
        Op::Warning => ItemCommand::RecordDeadlineWarning,
        Op::Overdue => ItemCommand::RecordOverdue,
        Op::Ruling {
            episode,
            cause,
            decision,
            ..
        } => ItemCommand::RuleFaultTolerance {
            episode: *episode,
            cause: *cause,
            decision: *decision,
            reason: text("r"),
        },
        Op::Instruction => ItemCommand::RecordInstruction {
            text: text("i"),
            by: id("leader"),
        },
        Op::Urge { responsible } => ItemCommand::Urge {
            unit: if *responsible {
                the_unit()
            } else {
                id("elsewhere")
            },
            text: text("u"),
        },
    }
}
