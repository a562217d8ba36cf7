//! The aggregates the API sends commands to, each described once: its collection, the
//! commands a person may send it (the scheduler's and the policies' are not among them: a
//! person cannot declare an item overdue), and who may read it. The router and the OpenAPI
//! document are both made from these tables, so they cannot drift apart.
//!
//! - [`work`]: items, cases, complaints, alerts, surveys — the campaign's work;
//! - [`oversight`]: admonishments, accountability, publications — what follows from it;
//! - [`configuration`]: the organisation, campaigns, schedules, the county's calendar;
//! - [`registry`]: the supplier blacklist and the care homes.

mod configuration;
mod oversight;
mod registry;
mod work;

pub use configuration::{Campaigns, CountyCalendars, Organisations, Schedules};
pub use oversight::{Accountabilities, Admonishments, Publications, ReadRecords};
pub use registry::{CareHomes, Suppliers};
pub use work::{Alerts, Cases, Complaints, Items, Surveys};

/// Calls `$visit!(Type)` for every resource: the one list the router and the document walk.
#[macro_export]
macro_rules! each_resource {
    ($visit:ident) => {
        $visit!(Items);
        $visit!(Cases);
        $visit!(Complaints);
        $visit!(Alerts);
        $visit!(Surveys);
        $visit!(Admonishments);
        $visit!(Accountabilities);
        $visit!(Publications);
        $visit!(ReadRecords);
        $visit!(Campaigns);
        $visit!(Organisations);
        $visit!(Schedules);
        $visit!(CountyCalendars);
        $visit!(Suppliers);
        $visit!(CareHomes);
    };
}

use cqrs_es::Aggregate;
use rectiflow_domain::event::{PublicView, Scoped};
use rectiflow_domain::reading::SubjectKind;
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

pub(crate) const fn act(variant: &'static str, summary: &'static str) -> Action {
    Action {
        variant,
        creates: false,
        summary,
    }
}

pub(crate) const fn create(variant: &'static str, summary: &'static str) -> Action {
    Action {
        variant,
        creates: true,
        summary,
    }
}

/// An aggregate as a resource of the API.
pub trait Resource: Send + Sync + 'static {
    type Aggregate: Aggregate<
            Command = Command<Self::Body>,
            Services = DomainServices,
            Error: DomainError,
            Event: PublicView,
        > + FoldVersion
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

    /// Whether a change to this resource is news to the scheduler (a campaign's rhythm, a
    /// schedule paused or triggered), which is then woken rather than left to its next poll.
    const WAKES_SCHEDULER: bool = false;

    /// Who reads this resource, and so who may change an existing one (see [`ReadRule`]).
    const READ: ReadRule;

    /// Reads of it are recorded (查阅记录: case files and accountability records name the
    /// persons they accuse), as reads of this kind of subject.
    const RECORDS_READS: Option<SubjectKind> = None;
}

/// Who may read a resource (DOMAIN.md, "Roles and permissions"). Leadership and discipline
/// inspection read everything; an admin is infrastructure and an integrator pushes, so neither
/// reads the campaign's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadRule {
    /// Configuration every token may read: the organisation, campaigns, schedules, calendars.
    Everyone,
    /// The campaign's work: a secretariat reads its task forces' (named in the scope, or
    /// through the campaign's task force for the scope's field), the civil-affairs authority
    /// elderly care's; with `units`, a unit reads what involves it (an item it answers for or
    /// supervises, a complaint it handles) — never a case or an alert about itself.
    Work { units: bool },
    /// County-wide acts any secretariat takes part in: admonishments, accountability,
    /// publications, the supplier blacklist.
    CountyWide,
    /// The care homes: the civil-affairs authority's.
    CareHomes,
}
