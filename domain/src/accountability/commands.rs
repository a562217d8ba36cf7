//! What may be asked of an accountability case (问责).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fault::{FaultCause, FaultDecision};
use crate::values::{
    AccountabilityId, AdmonishmentId, CampaignId, ItemCode, PersonId, Text, UnitId,
};

/// Why a person is held to account. A proposal names at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ground {
    /// 推诿扯皮 — passing the buck between units.
    Shirking { facts: Text },
    /// 敷衍塞责 — going through the motions.
    PerfunctoryWork { facts: Text },
    /// 虚假销号 — a sign-off requested on a rectification that was not done, on `item`.
    FalseSignOff { item: ItemCode, facts: Text },
    /// A second admonishment (约谈提醒) of the person's unit within the referral window of an
    /// earlier one: the two admonishments, the instants they rest on, and the person's role.
    RepeatedAdmonishment {
        earlier: AdmonishmentBasis,
        later: AdmonishmentBasis,
        role: Role,
    },
}

impl Ground {
    pub fn as_str(&self) -> &'static str {
        match self {
            Ground::Shirking { .. } => "shirking",
            Ground::PerfunctoryWork { .. } => "perfunctory_work",
            Ground::FalseSignOff { .. } => "false_sign_off",
            Ground::RepeatedAdmonishment { .. } => "repeated_admonishment",
        }
    }
}

/// One admonishment a repeated-admonishment ground rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdmonishmentBasis {
    pub admonishment: AdmonishmentId,
    /// The cut-off of the publication the admonishment rests on; for a manual admonishment
    /// (which rests on none), the instant it was triggered. The window is measured between
    /// these two instants (DOMAIN.md "Admonishment and accountability").
    pub cut_off: DateTime<Utc>,
}

/// The person's role in the unit when it was admonished the second time: the policy proposes
/// the unit head and the responsible persons of the overdue items in the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Role {
    /// 一把手 — the head of the unit, with whom the talk was held.
    UnitHead,
    /// 责任人 of the named overdue items (at least one).
    ResponsiblePerson { items: Vec<ItemCode> },
}

/// What discipline inspection decides (问责方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 批评教育
    CriticismAndEducation,
    /// 诫勉谈话
    AdmonishingTalk,
    /// 通报批评
    PublicCriticism,
    /// 组织处理
    OrganisationalHandling,
    /// 移送党纪政务处分 — referred for party or administrative discipline.
    DisciplinaryReferral,
    /// 不予问责
    NotHeldAccountable,
}

impl Outcome {
    /// Whether the person is held accountable, which is what deducts points from their unit.
    pub fn holds_accountable(self) -> bool {
        self != Outcome::NotHeldAccountable
    }

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            Outcome::CriticismAndEducation => "批评教育",
            Outcome::AdmonishingTalk => "诫勉谈话",
            Outcome::PublicCriticism => "通报批评",
            Outcome::OrganisationalHandling => "组织处理",
            Outcome::DisciplinaryReferral => "移送党纪政务处分",
            Outcome::NotHeldAccountable => "不予问责",
        }
    }
}

/// 容错纠错 as discipline inspection rules it within its decision: the cause it found and
/// what it makes of it. The episode is the case itself, filled in when it is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FaultToleranceRuling {
    pub cause: FaultCause,
    pub decision: FaultDecision,
    pub reason: Text,
}

/// The proposal of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Proposal {
    /// This stream's id. With a repeated-admonishment ground it must be
    /// [`AccountabilityId::for_occasion`] of the person and the later admonishment.
    pub case: AccountabilityId,
    pub campaign: CampaignId,
    /// The cadre held to account.
    pub person: PersonId,
    /// The unit the person belonged to when the grounds arose: any deduction goes to it,
    /// whatever unit the person has moved to since.
    pub unit: UnitId,
    pub grounds: Vec<Ground>,
}

/// The body of an accountability command; it travels as
/// [`crate::Command<AccountabilityCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AccountabilityCommand {
    /// Proposes the case (by a policy, `policy:<name>`, or by a secretariat).
    Propose(Proposal),
    /// Discipline inspection decides, once, with reasons and optionally a 容错 ruling.
    Decide {
        outcome: Outcome,
        reasons: Vec<Text>,
        #[serde(default)]
        fault_tolerance: Option<FaultToleranceRuling>,
    },
    /// Withdraws an undecided case with reasons (e.g. the proposal was mistaken).
    Withdraw { reasons: Vec<Text> },
}

impl AccountabilityCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            AccountabilityCommand::Propose(_) => "propose",
            AccountabilityCommand::Decide { .. } => "decide",
            AccountabilityCommand::Withdraw { .. } => "withdraw",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` (as
    /// [`AccountabilityCommand::name`] names it, e.g. in a refused transition); a name it does
    /// not know is returned as it is.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "propose" => "提出问责建议",
            "decide" => "作出问责决定",
            "withdraw" => "撤回问责建议",
            other => other,
        }
    }
}
