//! Who may follow which events: the API's read rule of each stream's resource ([`ReadRule`])
//! applied to the scope the event's metadata carries — a subscription shows a principal no
//! more than reading the resources would. Integrators, who read no resource, follow the
//! configuration everyone reads and the campaign's items, complaints, alerts and surveys of
//! their kind's field ([`IntegratorKind::field`](rectiflow_domain::organisation::IntegratorKind::field); a
//! notifier's: every field).

use std::collections::HashMap;
use std::sync::OnceLock;

use cqrs_es::Aggregate;
use rectiflow_domain::event::Scope;
use rectiflow_domain::organisation::{Acting, IntegratorKind};
use rectiflow_domain::values::{CampaignId, TaskForceId, UnitId};
use rectiflow_engine::{LoggedEvent, Metadata};
use rectiflow_store::Store;

use crate::access::Principal;
use crate::api::problem::Problem;
use crate::api::resource::{ReadRule, Resource};
use crate::api::scope::ScopeCheck;
use crate::api::Api;

/// The read rule of each stream type: its resource's.
fn rules() -> &'static HashMap<&'static str, ReadRule> {
    static RULES: OnceLock<HashMap<&'static str, ReadRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = HashMap::new();
        macro_rules! rule {
            ($resource:ident) => {
                rules.insert(
                    <<crate::api::resource::$resource as Resource>::Aggregate as Aggregate>::TYPE,
                    <crate::api::resource::$resource as Resource>::READ,
                );
            };
        }
        crate::each_resource!(rule);
        rules
    })
}

/// The streams of the campaign's work an integrator follows (in its kind's field, or every
/// field for a notifier): items, complaints, alerts and surveys — what the platforms push and
/// the people notifiers remind. Never a case (it names the persons investigated), a read
/// record, accountability, an admonishment or a care home: those are for the roles that read
/// them through the API, and no integrator reads any resource there.
fn integrators_follow() -> [&'static str; 4] {
    use crate::api::resource::{Alerts, Complaints, Items, Surveys};
    [
        <<Items as Resource>::Aggregate as Aggregate>::TYPE,
        <<Complaints as Resource>::Aggregate as Aggregate>::TYPE,
        <<Alerts as Resource>::Aggregate as Aggregate>::TYPE,
        <<Surveys as Resource>::Aggregate as Aggregate>::TYPE,
    ]
}

/// Whether an integrator of `kind` follows `event`, which belongs where `scope` says: the
/// configuration everyone reads, and the work [`integrators_follow`] names of its kind's field
/// (a notifier's: every field).
pub fn follows(kind: IntegratorKind, event: &LoggedEvent, scope: &Scope) -> bool {
    let stream_type = event.event.stream.stream_type.as_str();
    match (rules().get(stream_type), kind.field()) {
        (None, _) => false,
        (Some(ReadRule::Everyone), _) => true,
        _ if !integrators_follow().contains(&stream_type) => false,
        (_, None) => true,
        (_, Some(field)) => scope.field.as_ref() == Some(&field),
    }
}

/// Where `event` belongs, as its metadata says. An id the metadata holds that is not a valid
/// id (which the executor never writes) is left out, so it widens no one's view; metadata
/// that cannot be read at all belongs nowhere, and only rules that ask for no scope pass it.
pub fn scope_of(event: &LoggedEvent) -> Scope {
    let Ok(metadata) = serde_json::from_value::<Metadata>(event.event.metadata.clone()) else {
        return Scope::default();
    };
    let mut scope = Scope {
        campaign: metadata.campaign.and_then(|c| CampaignId::parse(c).ok()),
        task_force: metadata.task_force.and_then(|t| TaskForceId::parse(t).ok()),
        field: metadata.field,
        units: Vec::new(),
    };
    for unit in metadata.units {
        scope = scope.with_unit(UnitId::parse(unit).ok().as_ref());
    }
    scope
}

/// [`ScopeCheck`] for events: one per subscriber, kept across batches (it remembers the
/// campaigns' task forces per field as it meets them).
pub struct Audience<'a, S: Store> {
    principal: &'a Principal,
    checks: HashMap<ReadRuleKey, ScopeCheck<'a, S>>,
    api: &'a Api<S>,
}

/// [`ReadRule`] as a map key.
type ReadRuleKey = (u8, bool);

fn key(rule: ReadRule) -> ReadRuleKey {
    match rule {
        ReadRule::Everyone => (0, false),
        ReadRule::Work { units } => (1, units),
        ReadRule::CountyWide => (2, false),
        ReadRule::CareHomes => (3, false),
    }
}

impl<'a, S: Store> Audience<'a, S> {
    pub fn new(api: &'a Api<S>, principal: &'a Principal) -> Self {
        Self {
            principal,
            checks: HashMap::new(),
            api,
        }
    }

    /// Whether the principal may follow `event`, which belongs where `scope` says.
    pub async fn admits(&mut self, event: &LoggedEvent, scope: &Scope) -> Result<bool, Problem> {
        let Some(rule) = rules()
            .get(event.event.stream.stream_type.as_str())
            .copied()
        else {
            // A stream no resource describes is nobody's to follow.
            return Ok(false);
        };
        if let Acting::Integrator { kind } = &self.principal.acting {
            return Ok(follows(*kind, event, scope));
        }
        let (api, principal) = (self.api, self.principal);
        self.checks
            .entry(key(rule))
            .or_insert_with(|| ScopeCheck::new(api, principal, rule))
            .admits(scope)
            .await
    }
}
