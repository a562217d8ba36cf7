//! Configuration: the organisation, campaigns, their schedules, the county's calendar — what
//! an admin sets up and everyone may read.

use rectiflow_domain::calendar::overrides::{CountyOverrides, OverrideCommand};
use rectiflow_domain::campaign::{Campaign, CampaignCommand};
use rectiflow_domain::organisation::{Acting, Organisation, OrganisationCommand, ORGANISATION};
use rectiflow_domain::schedule::{Schedule, ScheduleCommand};

use super::{act, create, Action, ReadRule, Resource};
use crate::access::Principal;

/// 组织 — the county's units, persons, heads and roles: one stream, changed by admins only.
pub struct Organisations;

impl Resource for Organisations {
    type Aggregate = Organisation;
    type Body = OrganisationCommand;
    const COLLECTION: &'static str = "organisation";
    const READ: ReadRule = ReadRule::Everyone;
    const SINGLETON: Option<&'static str> = Some(ORGANISATION);
    const TAG: &'static str = "organisation 组织";
    const ACTIONS: &'static [Action] = &[
        create(
            "bootstrap",
            "Bootstrap the organisation, naming its first admin",
        ),
        act("register_unit", "Register a unit (单位)"),
        act("register_person", "Register a person in a unit"),
        act("move_person", "Move a person to another unit"),
        act("appoint_head", "Appoint a unit's head (一把手)"),
        act("grant_role", "Grant a person a role"),
        act("revoke_role", "Revoke a person's role"),
    ];

    /// The organisation checks its admins against its own state; the token must act as one.
    fn may_send(principal: &Principal) -> bool {
        principal.acting == Acting::Admin
    }
}

/// 整治行动 — campaigns, their settings, task forces and vocabularies.
pub struct Campaigns;

impl Resource for Campaigns {
    type Aggregate = Campaign;
    type Body = CampaignCommand;
    const COLLECTION: &'static str = "campaigns";
    const READ: ReadRule = ReadRule::Everyone;
    const TAG: &'static str = "campaigns 整治行动";
    const TAG_FIELD: Option<&'static str> = None;
    const ACTIONS: &'static [Action] = &[
        create("create_campaign", "Create a campaign with its settings"),
        act(
            "change_settings",
            "Change the settings in force from now on",
        ),
        act("add_task_force", "Add a task force (专班) for a field"),
        act("add_category", "Add a problem category to a task force"),
        act(
            "add_task_force_member",
            "Make a unit a member of a task force",
        ),
        act(
            "close_campaign",
            "Close the campaign (收官) with its report",
        ),
    ];

    const WAKES_SCHEDULER: bool = true;
}

/// 周调度、月通报、季考核 as schedules: each campaign's rhythm, kept by the scheduler and
/// changed by an admin (paused, resumed, triggered, backfilled, moved, ended).
pub struct Schedules;

impl Resource for Schedules {
    type Aggregate = Schedule;
    type Body = ScheduleCommand;
    const COLLECTION: &'static str = "schedules";
    const READ: ReadRule = ReadRule::Everyone;
    const TAG: &'static str = "schedules 节奏";
    const ACTIONS: &'static [Action] = &[
        create("create", "Create a campaign's schedule of a kind"),
        act("change", "Change the dates it runs between"),
        act("pause", "Pause it; what falls due meanwhile fires after"),
        act("resume", "Resume it"),
        act("trigger_now", "Ask the scheduler to look now"),
        act("backfill", "Open a past range (a campaign set up late)"),
        act("delete", "End it for good"),
    ];
    const WAKES_SCHEDULER: bool = true;
}

/// 调休 and county days off: the county's declarations beside China's arrangement. The stream
/// is the county's id; its first declaration creates it (`If-Match: "0"` or `*`).
pub struct CountyCalendars;

impl Resource for CountyCalendars {
    type Aggregate = CountyOverrides;
    type Body = OverrideCommand;
    const COLLECTION: &'static str = "county-calendars";
    const READ: ReadRule = ReadRule::Everyone;
    const TAG: &'static str = "calendar 工作日";
    const ACTIONS: &'static [Action] = &[
        act("declare", "Declare a day a working day or a day off"),
        act("revoke", "Revoke a declaration"),
    ];
    const WAKES_SCHEDULER: bool = true;
}
