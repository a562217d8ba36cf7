//! The world the story happens in: one store, the executor over it with a manual clock, the
//! campaign's ports, and what one chapter leaves for a later one. Also the story's cast of
//! commands and values.

use std::sync::{Arc, OnceLock};

use cqrs_es::Aggregate;
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::event::Scoped;
use rectiflow_domain::identity::Sealed;
use rectiflow_domain::item::{
    AssignItem, Item, ItemCommand, ItemSource, RegisterItem, Severity, SignOffRequest,
};
use rectiflow_domain::publication::{ChainDigest, LogPoint};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::*;
use rectiflow_domain::{Command, FoldVersion};
use rectiflow_engine::calendar::StoreCalendar;
use rectiflow_engine::directory::StoreDirectory;
use rectiflow_engine::settings::StoreSettings;
use rectiflow_tests::{
    clock_at, digest_at, person, services, shanghai, unit, Backend, CommandContext, ExecuteError,
    Executor, KeyVault, Outcome, Progress, Store,
};
use serde::Serialize;

pub const COMPLAINANT: &str = "张三丰";
pub const PHONE: &str = "13800000000";
/// Complaint A's own words: sealed with the identity (they name the child's class).
pub const MEAL_COMPLAINT: &str = "我孩子在实验小学三年级二班，午餐肉类分量明显不足";

pub struct World<S> {
    /// `sqlite` or `postgres`, for the messages.
    pub backend: &'static str,
    pub exec: Executor<S>,
    pub services: DomainServices,
    pub vault: KeyVault<S>,
    pub clock: ManualClock,
    /// Complaint A's secret part (identity, words, photo) as sealed on receipt, for the
    /// erasure chapter.
    pub sealed: OnceLock<Sealed>,
    /// Keeps the store (and its database or folder) alive for the story.
    _backend: Backend<S>,
}

impl World<rectiflow_tests::SqliteStore> {
    pub async fn sqlite() -> Self {
        Self::on("sqlite", rectiflow_tests::sqlite().await)
    }
}

impl World<rectiflow_tests::PgStore> {
    /// `None` only when the PostgreSQL tests are skipped (see `fresh_postgres_db`).
    pub async fn postgres() -> Option<Self> {
        Some(Self::on("postgres", rectiflow_tests::postgres().await?))
    }
}

impl<S: Store> World<S> {
    fn on(name: &'static str, backend: Backend<S>) -> Self {
        let clock = clock_at(shanghai(2026, 3, 2, 9, 0));
        // Roles are read from the organisation stream at its latest version, as in production:
        // the first chapter bootstraps it through commands.
        let reader = Executor::new(backend.store.clone(), Arc::new(clock.clone()));
        let directory = StoreDirectory::new(reader.clone());
        let settings = StoreSettings::new(reader.clone());
        // China's 2026 arrangement with the county's declarations (chapter zero declares one).
        let county = CountyId::parse("zhuxi").expect("a valid CountyId");
        let calendar = StoreCalendar::new(reader, county);
        let (services, vault) = services(
            &backend.store,
            Arc::new(directory),
            Arc::new(settings),
            Arc::new(calendar),
        );
        let exec =
            Executor::new(backend.store.clone(), Arc::new(clock.clone())).with_snapshot_every(5);
        Self {
            backend: name,
            exec,
            services,
            vault,
            clock,
            sealed: OnceLock::new(),
            _backend: backend,
        }
    }

    pub fn store(&self) -> &S {
        self.exec.store()
    }

    pub fn at(&self, at: chrono::DateTime<chrono::Utc>) -> &Self {
        self.clock.set(at);
        self
    }

    pub async fn ok<A, C>(&self, actor: &str, stream: &str, body: C) -> Outcome<A::Event>
    where
        A: Aggregate<Command = Command<C>, Services = DomainServices> + FoldVersion + Scoped,
        C: Serialize + Clone + rectiflow_domain::Addressed,
        A::Error: rectiflow_domain::DomainError,
    {
        self.exec
            .execute::<A, C>(
                &CommandContext::new(person(actor)),
                stream,
                None,
                body,
                &self.services,
            )
            .await
            .unwrap_or_else(|e| panic!("{} {stream} refused: {e:?}", A::TYPE))
    }

    pub async fn refused<A, C>(&self, actor: &str, stream: &str, body: C) -> A::Error
    where
        A: Aggregate<Command = Command<C>, Services = DomainServices> + FoldVersion + Scoped,
        C: Serialize + Clone + rectiflow_domain::Addressed,
        A::Error: rectiflow_domain::DomainError,
    {
        let head = self
            .exec
            .load::<A>(stream)
            .await
            .expect("load the stream")
            .1;
        match self
            .exec
            .execute::<A, C>(
                &CommandContext::new(person(actor)),
                stream,
                None,
                body,
                &self.services,
            )
            .await
        {
            Err(ExecuteError::Refused(e)) => {
                assert_eq!(
                    self.exec
                        .load::<A>(stream)
                        .await
                        .expect("load the stream")
                        .1,
                    head,
                    "a refusal writes nothing"
                );
                e
            }
            Err(other) => panic!("expected a domain refusal, got {other}"),
            Ok(_) => panic!("expected a refusal"),
        }
    }

    /// Where a publication reads its inputs: P, the head once every event the story has
    /// committed holds a position (on PostgreSQL the sequencer assigns them after the commit),
    /// and the chain digest at P, recomputed from the genesis hash.
    pub async fn log_point(&self) -> LogPoint {
        let store = self.store();
        let committed = crate::log::count_events(store).await;
        let mut head = store.watch_head();
        while store.head().await.expect("the head") < committed {
            head.changed().await.expect("the head watch");
        }
        let digest = digest_at(store, Some(committed), &Progress::hidden())
            .await
            .expect("the chain digest at the head");
        LogPoint {
            position: digest.position,
            digest: ChainDigest::parse(hex::encode(digest.hash)).expect("a chain digest"),
        }
    }

    pub async fn item(&self, code: &str) -> Item {
        self.exec.load::<Item>(code).await.expect("load the item").0
    }
}

pub use rectiflow_domain::testing::fixtures::text;

pub fn campaign_id() -> CampaignId {
    CampaignId::parse("qunfu-2026").expect("a valid CampaignId")
}

pub fn evidence(name: &str) -> EvidenceRef {
    EvidenceRef {
        name: text(name),
        media_type: MediaType::parse("image/jpeg").expect("a valid MediaType"),
        size: 48_213,
        sha256: Sha256Hex::parse("9f".repeat(32)).expect("a valid Sha256Hex"),
        uri: Uri::parse(format!("oss://evidence/2026/{name}.jpg")).expect("a valid Uri"),
    }
}

pub fn register(code: &str, title: &str, source: ItemSource) -> ItemCommand {
    ItemCommand::Register(RegisterItem {
        campaign: campaign_id(),
        task_force: TaskForceId::parse("yibao").expect("a valid TaskForceId"),
        code: ItemCode::parse(code).expect("a valid ItemCode"),
        title: text(title),
        description: text("医保基金使用问题"),
        category: text("欺诈骗保"),
        source,
        source_ref: None,
        severity: Severity::High,
    })
}

pub fn assign(unit_id: &str, person_id: &str, deadline: &str) -> ItemCommand {
    ItemCommand::Assign(AssignItem {
        responsible_unit: unit(unit_id),
        responsible_person: person(person_id),
        supervising_unit: unit("health-bureau"),
        deadline: Deadline::parse(deadline).expect("a valid Deadline"),
        measures: text("逐项核查、追回违规资金、完善内控制度"),
        milestones: vec![],
    })
}

pub fn sign_off(ev: &str) -> ItemCommand {
    ItemCommand::RequestSignOff(SignOffRequest {
        problem: Some(text("串换诊疗项目违规结算")),
        measures: Some(text("追回资金并约谈科室负责人")),
        result: Some(text("已追回违规资金 12.6 万元")),
        indicators: None,
        evidence: vec![evidence(ev)],
    })
}
