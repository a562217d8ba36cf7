//! What follows from the work: admonishment talks (约谈提醒), accountability (问责), the
//! publications' corrections, and the record of who read case files and accountability.

use rectiflow_domain::accountability::{Accountability, AccountabilityCommand};
use rectiflow_domain::admonishment::{Admonishment, AdmonishmentCommand};
use rectiflow_domain::publication::{Publication, PublicationCommand};
use rectiflow_domain::reading::{ReadingCommand, Readings, SubjectKind};

use super::{act, create, Action, ReadRule, Resource};

/// 约谈提醒 — admonishment talks with a unit's head.
pub struct Admonishments;

impl Resource for Admonishments {
    type Aggregate = Admonishment;
    type Body = AdmonishmentCommand;
    const COLLECTION: &'static str = "admonishments";
    const READ: ReadRule = ReadRule::CountyWide;
    const TAG: &'static str = "admonishments 约谈提醒";
    const ACTIONS: &'static [Action] = &[
        create("trigger_manually", "Call a talk by hand, with reasons"),
        act("schedule", "Schedule the talk"),
        act("record_held", "Record the talk held"),
        act("record_follow_up", "Record the follow-up"),
        act("withdraw", "Withdraw it, with reasons"),
    ];
}

/// 问责 — accountability of persons, decided by discipline inspection.
pub struct Accountabilities;

impl Resource for Accountabilities {
    type Aggregate = Accountability;
    type Body = AccountabilityCommand;
    const COLLECTION: &'static str = "accountability";
    const READ: ReadRule = ReadRule::CountyWide;
    const RECORDS_READS: Option<SubjectKind> = Some(SubjectKind::Accountability);
    const TAG: &'static str = "accountability 问责";
    const ACTIONS: &'static [Action] = &[
        create("propose", "Propose accountability of a person"),
        act(
            "decide",
            "Decide it (discipline inspection), or exempt under 容错",
        ),
        act("withdraw", "Withdraw it, with reasons"),
    ];
}

/// 周调度、月通报、季考核 — dispatches, bulletins and assessments, published by the schedules;
/// a person only corrects one.
pub struct Publications;

impl Resource for Publications {
    type Aggregate = Publication;
    type Body = PublicationCommand;
    const COLLECTION: &'static str = "publications";
    const READ: ReadRule = ReadRule::CountyWide;
    const TAG: &'static str = "publications 调度·通报·考核";
    const ACTIONS: &'static [Action] = &[act(
        "correct",
        "Publish a correction (更正) of figures, with reasons",
    )];
}

/// 查阅记录 — who read which case file or accountability record, and when: recorded by the
/// API before it serves the read, never sent by a person.
pub struct ReadRecords;

impl Resource for ReadRecords {
    type Aggregate = Readings;
    type Body = ReadingCommand;
    const COLLECTION: &'static str = "readings";
    /// County-wide, as accountability is (whose records carry no task force): who read which
    /// file, never what it says.
    const READ: ReadRule = ReadRule::CountyWide;
    const TAG: &'static str = "readings 查阅记录";
    const ACTIONS: &'static [Action] = &[];
}
