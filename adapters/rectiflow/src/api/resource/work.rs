//! The campaign's work: items of the issue list, cases, complaints, data alerts, surveys.

use rectiflow_domain::alert::{Alert, AlertCommand};
use rectiflow_domain::case::{Case, CaseCommand};
use rectiflow_domain::complaint::{Complaint, ComplaintCommand};
use rectiflow_domain::item::{Item, ItemCommand};
use rectiflow_domain::reading::SubjectKind;
use rectiflow_domain::survey::{Survey, SurveyCommand};

use super::{act, create, Action, ReadRule, Resource};

/// 问题清单 — items of the issue list.
pub struct Items;

impl Resource for Items {
    type Aggregate = Item;
    type Body = ItemCommand;
    const COLLECTION: &'static str = "items";
    const READ: ReadRule = ReadRule::Work { units: true };
    const TAG: &'static str = "items 问题清单";
    const TAG_FIELD: Option<&'static str> = None;
    const ACTIONS: &'static [Action] = &[
        create(
            "register",
            "Register an item (问题登记); the code in the body is its id",
        ),
        act(
            "assign",
            "Assign it (交办) to a unit and person with a deadline",
        ),
        act("reassign", "Reassign it (改派) to another unit and person"),
        act(
            "acknowledge",
            "Acknowledge it (签收) as the responsible unit",
        ),
        act("report_progress", "Report progress (进展) with evidence"),
        act("request_extension", "Ask for a later deadline (延期申请)"),
        act("approve_extension", "Approve the pending extension"),
        act("deny_extension", "Deny the pending extension"),
        act(
            "request_sign_off",
            "Ask for sign-off (申请销号) with the four elements",
        ),
        act("verify_sign_off", "Verify and close it (销号)"),
        act(
            "reject_sign_off",
            "Send the request back (退回补正) with reasons",
        ),
        act("record_reinspection", "Record the re-inspection (回头看)"),
        act("withdraw", "Withdraw it (撤销) as a duplicate or unfounded"),
        act("rule_fault_tolerance", "Rule 容错纠错 on an episode"),
        act("record_instruction", "Record a leader's instruction (批示)"),
        act("urge", "Urge a unit (催办)"),
        act("carry_over", "Carry it over (结转) to a later campaign"),
        act("record_outcome", "Record outcome indicators (成效)"),
        act("correct_outcome", "Correct outcome indicators (更正)"),
    ];
}

/// 问题线索-案件查办-制度修复 — a clue, its case, its two investigations and the repairs.
pub struct Cases;

impl Resource for Cases {
    type Aggregate = Case;
    type Body = CaseCommand;
    const COLLECTION: &'static str = "cases";
    const READ: ReadRule = ReadRule::Work { units: false };
    const RECORDS_READS: Option<SubjectKind> = Some(SubjectKind::Case);
    const TAG: &'static str = "cases 案件查办";
    const ACTIONS: &'static [Action] = &[
        create(
            "register_clue",
            "Register a clue (问题线索); the case id in the body is its id",
        ),
        act("dismiss_clue", "Dismiss the clue, with reasons"),
        act("open_case", "Open the case (立案)"),
        act("record_joint_team", "Record the joint investigation team"),
        act(
            "start_investigation",
            "Start one of the two investigations (一案双查)",
        ),
        act(
            "conclude_investigation",
            "Conclude an investigation (discipline inspection)",
        ),
        act("spawn_repair_item", "Spawn a system-repair item (制度修复)"),
        act("record_repair_item_closed", "Record a repair item closed"),
        act(
            "record_repair_item_reopened",
            "Record a repair item reopened",
        ),
        act(
            "record_repair_item_withdrawn",
            "Record a repair item withdrawn",
        ),
        act(
            "record_no_repair_needed",
            "Record that no repair is needed, with reasons",
        ),
        act("close_case", "Close the case"),
        act(
            "publish_typical_case",
            "Publish it as a typical case (典型案例)",
        ),
        act("record_outcome", "Record outcome indicators"),
        act("correct_outcome", "Correct outcome indicators"),
    ];
}

/// 群众监督 — complaints, their handlers, responses and feedback. The complainant's identity
/// and words are sealed on receipt; revealing them is an act of its own (not offered here yet).
pub struct Complaints;

impl Resource for Complaints {
    type Aggregate = Complaint;
    type Body = ComplaintCommand;
    const COLLECTION: &'static str = "complaints";
    const READ: ReadRule = ReadRule::Work { units: true };
    const TAG: &'static str = "complaints 群众监督";
    const ACTIONS: &'static [Action] = &[
        create(
            "receive",
            "Receive a complaint; its secret part is sealed at once",
        ),
        act("designate_handler", "Designate the handling unit's handler"),
        act("respond", "Respond as the designated handler"),
        act("transfer", "Transfer it to another unit"),
        act("resolve", "Resolve it"),
        act("record_feedback", "Record the complainant's feedback"),
        act("close", "Close it"),
        act(
            "erase_identity",
            "Erase the complainant's identity for good (crypto-shredding)",
        ),
    ];
}

/// 数据预警 — alerts pushed by the monitoring platforms, triaged by the secretariat.
pub struct Alerts;

impl Resource for Alerts {
    type Aggregate = Alert;
    type Body = AlertCommand;
    const COLLECTION: &'static str = "alerts";
    const READ: ReadRule = ReadRule::Work { units: false };
    const TAG: &'static str = "alerts 数据预警";
    const ACTIONS: &'static [Action] = &[
        create("receive", "Push an alert (the platform's integrator)"),
        act("triage", "Triage it: dismiss, merge or escalate to an item"),
    ];
}

/// 满意度调查 — survey rounds of a quarter.
pub struct Surveys;

impl Resource for Surveys {
    type Aggregate = Survey;
    type Body = SurveyCommand;
    const COLLECTION: &'static str = "surveys";
    const READ: ReadRule = ReadRule::Work { units: false };
    const TAG: &'static str = "surveys 满意度调查";
    const ACTIONS: &'static [Action] = &[
        create("open_round", "Open a survey round"),
        act("record_score", "Record a unit's score"),
        act("close_round", "Close the round"),
    ];
}
