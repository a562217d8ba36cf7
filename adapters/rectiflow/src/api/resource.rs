//! The aggregates the API sends commands to, each described once: its collection, the
//! commands a person may send it (the scheduler's and the policies' are not among them: a
//! person cannot declare an item overdue), and who may read it. The router and the OpenAPI
//! document are both made from these tables, so they cannot drift apart.

use cqrs_es::Aggregate;
use rectiflow_domain::campaign::{Campaign, CampaignCommand};
use rectiflow_domain::event::Scoped;
use rectiflow_domain::item::{Item, ItemCommand};
use rectiflow_domain::organisation::{Acting, Organisation, OrganisationCommand, ORGANISATION};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::access::Principal;

/// One command a person may send: its variant (snake_case, as in the body's schema), whether
/// it creates the stream (sent to the collection, the id taken from the body), and what it
/// does, for the document.
#[derive(Debug, Clone, Copy)]
pub struct Action {
    pub variant: &'static str,
    pub creates: bool,
    pub summary: &'static str,
}

impl Action {
    /// The path segment: the variant in kebab-case (`report-progress`).
    pub fn segment(&self) -> String {
        self.variant.replace('_', "-")
    }
}

const fn act(variant: &'static str, summary: &'static str) -> Action {
    Action {
        variant,
        creates: false,
        summary,
    }
}

const fn create(variant: &'static str, summary: &'static str) -> Action {
    Action {
        variant,
        creates: true,
        summary,
    }
}

/// An aggregate as a resource of the API.
pub trait Resource: Send + Sync + 'static {
    type Aggregate: Aggregate<Command = Command<Self::Body>, Services = DomainServices, Error: DomainError>
        + FoldVersion
        + Scoped
        + Serialize
        + JsonSchema
        + Send
        + Sync;
    type Body: DeserializeOwned + Serialize + Clone + Addressed + JsonSchema + Send + Sync + 'static;

    /// The path under `/api/v1/`: `items`.
    const COLLECTION: &'static str;
    /// The one stream of a resource there is one of (the organisation).
    const SINGLETON: Option<&'static str> = None;
    /// The document's tag.
    const TAG: &'static str;
    /// How the command enum names its variant: in a field of the body (`{"type": …}`, most
    /// aggregates), or `None` for an enum tagged from outside (`{"register": {…}}`). Over
    /// HTTP the variant is the path's action either way, and the body is the rest.
    const TAG_FIELD: Option<&'static str> = Some("type");
    const ACTIONS: &'static [Action];

    /// Whether the principal may send this resource commands at all (the domain decides each
    /// one; this is for what the domain cannot see, such as the organisation's own admin
    /// check, which reads its state, not the role the token acts in).
    fn may_send(principal: &Principal) -> bool {
        let _ = principal;
        true
    }

    /// Whether the principal may read this instance: its scope (DOMAIN.md, "Roles and
    /// permissions").
    fn may_read(principal: &Principal, aggregate: &Self::Aggregate) -> bool;
}

/// 问题清单 — items of the issue list.
pub struct Items;

impl Resource for Items {
    type Aggregate = Item;
    type Body = ItemCommand;
    const COLLECTION: &'static str = "items";
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

    fn may_read(principal: &Principal, item: &Item) -> bool {
        match &principal.acting {
            Acting::Leadership | Acting::DisciplineInspection => true,
            Acting::Secretariat { task_forces } => item
                .registration()
                .is_some_and(|r| task_forces.contains(&r.task_force)),
            Acting::Unit { unit } => item
                .assignment()
                .is_some_and(|a| &a.responsible_unit == unit || &a.supervising_unit == unit),
            Acting::Admin | Acting::CivilAffairs | Acting::Integrator { .. } => false,
        }
    }
}

/// 组织 — the county's units, persons, heads and roles: one stream, changed by admins only.
pub struct Organisations;

impl Resource for Organisations {
    type Aggregate = Organisation;
    type Body = OrganisationCommand;
    const COLLECTION: &'static str = "organisation";
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

    fn may_read(_: &Principal, _: &Organisation) -> bool {
        true
    }
}

/// 整治行动 — campaigns, their settings, task forces and vocabularies.
pub struct Campaigns;

impl Resource for Campaigns {
    type Aggregate = Campaign;
    type Body = CampaignCommand;
    const COLLECTION: &'static str = "campaigns";
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

    fn may_read(_: &Principal, _: &Campaign) -> bool {
        true
    }
}
