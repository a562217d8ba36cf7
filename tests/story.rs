//! One campaign story, told through the executor against both stores with a manual clock:
//! register, assign, acknowledge, progress, an extension, a send-back, a sign-off, an overdue
//! item with a force-majeure exemption, a complaint answered in time and one answered late, a
//! case with both investigations and a repair item, and a complainant's identity erased.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use cqrs_es::Aggregate;
use rectiflow_domain::campaign::{Campaign, CampaignCommand, ItemPrefix, UnitKind};
use rectiflow_domain::case::{
    Case, CaseCommand, CaseError, CaseStatus, ClueSource, Disposition, InvestigationTrack,
};
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::complaint::{
    Channel, Complaint, ComplaintCommand, ComplaintEvent, IdentityState,
};
use rectiflow_domain::directory::StaticDirectory;
use rectiflow_domain::identity::ComplainantIdentity;
use rectiflow_domain::item::{
    AssignItem, FaultCause, FaultDecision, Item, ItemCommand, ItemError, ItemEvent, ItemSource,
    ItemState, RegisterItem, Severity, SignOffRequest,
};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::settings::{CampaignSettings, Field};
use rectiflow_domain::values::*;
use rectiflow_domain::Command;
use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
use rectiflow_store::{
    AnyStore, CommandContext, EventStore, ExecuteError, Executor, KeyVault, Outcome,
};
use rectiflow_tests::{clock_at, person, services, shanghai, unit};
use serde::Serialize;

const COMPLAINANT: &str = "张三丰";
const PHONE: &str = "13800000000";

struct World {
    exec: Executor<AnyStore>,
    services: DomainServices,
    vault: KeyVault,
    clock: ManualClock,
}

impl World {
    fn at(&self, at: chrono::DateTime<chrono::Utc>) -> &Self {
        self.clock.set(at);
        self
    }

    async fn ok<A, C>(&self, actor: &str, stream: &str, body: C) -> Outcome<A::Event>
    where
        A: Aggregate<Command = Command<C>, Services = DomainServices>,
        C: Serialize + Clone + rectiflow_domain::Addressed,
        A::Error: std::fmt::Debug,
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

    async fn refused<A, C>(&self, actor: &str, stream: &str, body: C) -> A::Error
    where
        A: Aggregate<Command = Command<C>, Services = DomainServices>,
        C: Serialize + Clone + rectiflow_domain::Addressed,
    {
        let head = self.exec.load::<A>(stream).await.unwrap().1;
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
            Err(ExecuteError::Rejected(e)) => {
                assert_eq!(
                    self.exec.load::<A>(stream).await.unwrap().1,
                    head,
                    "a refusal writes nothing"
                );
                e
            }
            Err(other) => panic!("expected a domain refusal, got {other}"),
            Ok(_) => panic!("expected a refusal"),
        }
    }

    async fn item(&self, code: &str) -> Item {
        self.exec.load::<Item>(code).await.unwrap().0
    }
}

fn text(s: &str) -> Text {
    Text::parse(s).unwrap()
}

fn evidence(name: &str) -> EvidenceRef {
    EvidenceRef {
        name: text(name),
        media_type: MediaType::parse("image/jpeg").unwrap(),
        size: 48_213,
        sha256: Sha256Hex::parse("9f".repeat(32)).unwrap(),
        uri: Uri::parse(format!("oss://evidence/2026/{name}.jpg")).unwrap(),
    }
}

fn register(code: &str, title: &str, source: ItemSource) -> ItemCommand {
    ItemCommand::Register(RegisterItem {
        campaign: CampaignId::parse("qunfu-2026").unwrap(),
        task_force: TaskForceId::parse("yibao").unwrap(),
        code: ItemCode::parse(code).unwrap(),
        title: text(title),
        description: text("医保基金使用问题"),
        category: text("医保基金"),
        source,
        source_ref: None,
        severity: Severity::High,
        supervising_unit: None,
    })
}

fn assign(unit_id: &str, person_id: &str, deadline: &str) -> ItemCommand {
    ItemCommand::Assign(AssignItem {
        responsible_unit: unit(unit_id),
        responsible_person: person(person_id),
        supervising_unit: unit("health-bureau"),
        deadline: Deadline::parse(deadline).unwrap(),
        measures: text("逐项核查、追回违规资金、完善内控制度"),
        milestones: vec![],
    })
}

fn sign_off(ev: &str) -> ItemCommand {
    ItemCommand::RequestSignOff(SignOffRequest {
        problem: Some(text("串换诊疗项目违规结算")),
        measures: Some(text("追回资金并约谈科室负责人")),
        result: Some(text("已追回违规资金 12.6 万元")),
        evidence: vec![evidence(ev)],
    })
}

async fn story(store: AnyStore) {
    let directory = StaticDirectory::default()
        .with_member(unit("county-hospital"), person("dr-wang"))
        .with_member(unit("health-bureau"), person("hb-chen"))
        .with_member(unit("edu-bureau"), person("edu-liu"))
        .with_member(unit("civil-affairs"), person("ca-zhou"));
    let (services, vault) = services(&store, directory);
    let clock = clock_at(shanghai(2026, 3, 2, 9, 0));
    let exec = Executor::new(store.clone(), Arc::new(clock.clone())).with_snapshot_every(5);
    let w = World {
        exec,
        services,
        vault,
        clock,
    };

    // The campaign and its medical-insurance task force.
    w.ok::<Campaign, _>(
        "sec-li",
        "qunfu-2026",
        CampaignCommand::CreateCampaign {
            campaign: CampaignId::parse("qunfu-2026").unwrap(),
            name: text("2026 群腐整治"),
            year: 2026,
            settings: CampaignSettings::default(),
        },
    )
    .await;
    for (id, name, kind) in [
        ("county-hospital", "县人民医院", UnitKind::Hospital),
        ("health-bureau", "县医保局", UnitKind::Department),
    ] {
        w.ok::<Campaign, _>(
            "sec-li",
            "qunfu-2026",
            CampaignCommand::RegisterUnit {
                unit: unit(id),
                name: text(name),
                kind,
            },
        )
        .await;
    }
    w.ok::<Campaign, _>(
        "sec-li",
        "qunfu-2026",
        CampaignCommand::AddTaskForce {
            task_force: TaskForceId::parse("yibao").unwrap(),
            field: Field::MedicalInsurance,
            name: text("医保基金专班"),
            lead: person("deputy-head-sun"),
            prefix: ItemPrefix::parse("YB").unwrap(),
        },
    )
    .await;

    // A registration sent to another stream than its own code is refused before anything runs.
    let misaddressed = w
        .exec
        .execute::<Item, _>(
            &CommandContext::new(person("sec-li")),
            "YB-2026-0010",
            None,
            register("YB-2026-0009", "错投的登记", ItemSource::Inspection),
            &w.services,
        )
        .await;
    assert!(
        matches!(misaddressed, Err(ExecuteError::WrongStream { ref named, .. }) if named == "YB-2026-0009"),
        "{misaddressed:?}"
    );

    // Item 1: the whole road to an on-time sign-off after an extension and a send-back.
    let one = "YB-2026-0001";
    w.ok::<Item, _>(
        "sec-li",
        one,
        register(one, "县医院串换诊疗项目", ItemSource::DataAlert),
    )
    .await;
    w.ok::<Item, _>(
        "sec-li",
        one,
        assign("county-hospital", "dr-wang", "2026-03-31"),
    )
    .await;
    w.at(shanghai(2026, 3, 3, 10, 0))
        .ok::<Item, _>("dr-wang", one, ItemCommand::Acknowledge)
        .await;
    w.at(shanghai(2026, 3, 10, 16, 0))
        .ok::<Item, _>(
            "dr-wang",
            one,
            ItemCommand::ReportProgress {
                text: text("已完成自查，追回部分资金"),
                percent: Percent::parse(40).unwrap(),
                evidence: vec![evidence("self-check")],
            },
        )
        .await;
    w.at(shanghai(2026, 3, 20, 9, 0))
        .ok::<Item, _>(
            "dr-wang",
            one,
            ItemCommand::RequestExtension {
                reason: text("涉及跨年度病历，需调取档案"),
                new_deadline: Deadline::parse("2026-04-30").unwrap(),
            },
        )
        .await;
    w.at(shanghai(2026, 3, 21, 9, 0))
        .ok::<Item, _>("sec-li", one, ItemCommand::ApproveExtension { note: None })
        .await;
    assert_eq!(
        w.item(one).await.deadline_in_force(),
        Deadline::parse("2026-04-30").ok()
    );
    assert_eq!(
        w.item(one).await.original_deadline(),
        Deadline::parse("2026-03-31").ok()
    );

    w.at(shanghai(2026, 4, 20, 9, 0))
        .ok::<Item, _>("dr-wang", one, sign_off("refund-receipt"))
        .await;
    w.at(shanghai(2026, 4, 21, 9, 0))
        .ok::<Item, _>(
            "sec-li",
            one,
            ItemCommand::RejectSignOff {
                reasons: vec![text("佐证材料缺少资金退回凭证")],
            },
        )
        .await;
    assert_eq!(w.item(one).await.send_backs(), 1);
    w.at(shanghai(2026, 4, 25, 9, 0))
        .ok::<Item, _>("dr-wang", one, sign_off("bank-slip"))
        .await;
    // Segregation of duties: the responsible person cannot verify their own sign-off.
    let refused = w
        .at(shanghai(2026, 4, 27, 9, 0))
        .refused::<Item, _>("dr-wang", one, ItemCommand::VerifySignOff { note: None })
        .await;
    assert_eq!(refused.code(), "item.segregation_of_duties", "{refused:?}");
    let closed = w
        .ok::<Item, _>("sec-zhao", one, ItemCommand::VerifySignOff { note: None })
        .await;
    match &closed.events[0].event {
        ItemEvent::ItemClosed {
            on_time,
            after_original_deadline,
            ..
        } => assert!(
            *on_time && *after_original_deadline,
            "on time by the extended deadline"
        ),
        other => panic!("expected ItemClosed, got {other:?}"),
    }
    assert_eq!(w.item(one).await.state(), ItemState::Closed);

    // Item 2: overdue, then exempted as force majeure.
    let two = "YB-2026-0002";
    w.at(shanghai(2026, 3, 2, 9, 0))
        .ok::<Item, _>(
            "sec-li",
            two,
            register(two, "定点药店超量售药", ItemSource::Inspection),
        )
        .await;
    w.ok::<Item, _>(
        "sec-li",
        two,
        assign("county-hospital", "dr-wang", "2026-03-10"),
    )
    .await;
    w.at(shanghai(2026, 3, 3, 9, 0))
        .ok::<Item, _>("dr-wang", two, ItemCommand::Acknowledge)
        .await;
    let early = w
        .at(shanghai(2026, 3, 10, 23, 59))
        .refused::<Item, _>("system:scheduler", two, ItemCommand::RecordOverdue)
        .await;
    assert_eq!(early.code(), "item.not_yet_due");
    let overdue = w
        .at(shanghai(2026, 3, 12, 8, 0))
        .ok::<Item, _>("system:scheduler", two, ItemCommand::RecordOverdue)
        .await;
    match &overdue.events[0].event {
        ItemEvent::ItemBecameOverdue { effective_at, .. } => {
            // Recorded on the 12th, effective when the deadline passed: 24:00 of the 10th.
            assert_eq!(*effective_at, shanghai(2026, 3, 11, 0, 0));
        }
        other => panic!("expected ItemBecameOverdue, got {other:?}"),
    }
    let again: ItemError = w
        .refused::<Item, _>("system:scheduler", two, ItemCommand::RecordOverdue)
        .await;
    assert_eq!(again.code(), "item.already_recorded");
    w.ok::<Item, _>(
        "sec-li",
        two,
        ItemCommand::RuleFaultTolerance {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Exempt,
            reason: text("暴雨导致药品配送中断"),
        },
    )
    .await;
    let item_two = w.item(two).await;
    assert!(item_two.is_overdue() && item_two.is_exempt());

    // Complaint A: school meals, answered within 24 hours.
    let a = "cmp-2026-0001";
    let received = w
        .at(shanghai(2026, 3, 2, 9, 0))
        .ok::<Complaint, _>(
            "intake",
            a,
            ComplaintCommand::Receive {
                complaint: ComplaintId::parse(a).unwrap(),
                campaign: CampaignId::parse("qunfu-2026").unwrap(),
                channel: Channel::SchoolMealApp,
                field: Field::SchoolMeals,
                content: text("午餐肉类分量明显不足"),
                attachments: vec![evidence("lunch-photo")],
                receiving_unit: unit("edu-bureau"),
                complainant: Some(ComplainantIdentity {
                    name: COMPLAINANT.into(),
                    contact: PHONE.into(),
                }),
            },
        )
        .await;
    let sealed = match &received.events[0].event {
        ComplaintEvent::Received { complainant, .. } => {
            complainant.clone().expect("sealed identity")
        }
        other => panic!("expected Received, got {other:?}"),
    };
    let responded = w
        .at(shanghai(2026, 3, 2, 14, 0))
        .ok::<Complaint, _>(
            "edu-liu",
            a,
            ComplaintCommand::Respond {
                response: text("已责令学校整改并约谈供餐企业"),
            },
        )
        .await;
    assert!(matches!(
        responded.events[0].event,
        ComplaintEvent::Responded {
            within_deadline: true,
            ..
        }
    ));

    // Complaint B: elderly care, 3 working days from a Friday — answered late.
    let b = "cmp-2026-0002";
    w.at(shanghai(2026, 3, 6, 10, 0))
        .ok::<Complaint, _>(
            "intake",
            b,
            ComplaintCommand::Receive {
                complaint: ComplaintId::parse(b).unwrap(),
                campaign: CampaignId::parse("qunfu-2026").unwrap(),
                channel: Channel::Hotline,
                field: Field::ElderlyCare,
                content: text("养老院虚报入住人数"),
                attachments: vec![],
                receiving_unit: unit("civil-affairs"),
                complainant: None,
            },
        )
        .await;
    // Due by 24:00 of Wednesday the 11th: still in time late on the 11th…
    let early = w
        .at(shanghai(2026, 3, 11, 23, 0))
        .refused::<Complaint, _>(
            "system:scheduler",
            b,
            ComplaintCommand::RecordResponseMissed,
        )
        .await;
    assert_eq!(early.code(), "complaint.response_not_yet_due");
    // …missed on the 12th.
    w.at(shanghai(2026, 3, 12, 9, 0))
        .ok::<Complaint, _>(
            "system:scheduler",
            b,
            ComplaintCommand::RecordResponseMissed,
        )
        .await;
    let late = w
        .ok::<Complaint, _>(
            "ca-zhou",
            b,
            ComplaintCommand::Respond {
                response: text("已核查，正在追回补贴"),
            },
        )
        .await;
    assert!(matches!(
        late.events[0].event,
        ComplaintEvent::Responded {
            within_deadline: false,
            ..
        }
    ));

    // The secretariat can open complaint A's identity until it is erased, then nobody can.
    let opened = w
        .vault
        .open(&sealed)
        .await
        .unwrap()
        .expect("readable before erasure");
    assert_eq!(opened.name, COMPLAINANT);
    w.ok::<Complaint, _>("sec-li", a, ComplaintCommand::EraseIdentity)
        .await;
    assert_eq!(
        w.vault.open(&sealed).await.unwrap(),
        None,
        "crypto-shredded"
    );
    let complaint_a = w.exec.load::<Complaint>(a).await.unwrap().0;
    assert!(matches!(complaint_a.identity, IdentityState::Erased { .. }));

    // A case: clue from a data alert, both investigations, one system-repair item.
    let case = "case-2026-001";
    w.at(shanghai(2026, 3, 5, 9, 0))
        .ok::<Case, _>(
            "sec-li",
            case,
            CaseCommand::RegisterClue {
                campaign: CampaignId::parse("qunfu-2026").unwrap(),
                case: CaseId::parse(case).unwrap(),
                clue: ClueId::parse("clue-2026-001").unwrap(),
                source: ClueSource::DataAlert {
                    system: text("医保基金智能监管平台"),
                    alert_ref: text("ALERT-2026-0088"),
                },
                field: Field::MedicalInsurance,
                summary: text("异常诊疗行为预警：同一患者一日多次住院结算"),
            },
        )
        .await;
    w.ok::<Case, _>(
        "sec-li",
        case,
        CaseCommand::OpenCase {
            subject_unit: unit("county-hospital"),
            supervising_unit: unit("health-bureau"),
        },
    )
    .await;
    for track in InvestigationTrack::ALL {
        w.ok::<Case, _>("sec-li", case, CaseCommand::StartInvestigation { track })
            .await;
    }
    w.ok::<Case, _>(
        "sec-li",
        case,
        CaseCommand::ConcludeInvestigation {
            track: InvestigationTrack::Direct,
            findings: text("科室主任指使虚构住院"),
            disposition: Disposition::PartyDiscipline,
        },
    )
    .await;
    w.ok::<Case, _>(
        "sec-li",
        case,
        CaseCommand::ConcludeInvestigation {
            track: InvestigationTrack::Supervisory,
            findings: text("医保局审核流于形式"),
            disposition: Disposition::OrganisationalHandling,
        },
    )
    .await;
    let repair = "YB-2026-0003";
    w.ok::<Case, _>(
        "sec-li",
        case,
        CaseCommand::SpawnRepairItem {
            code: ItemCode::parse(repair).unwrap(),
            title: text("完善住院结算审核制度"),
        },
    )
    .await;
    let not_ready: CaseError = w
        .refused::<Case, _>("sec-li", case, CaseCommand::CloseCase)
        .await;
    assert_eq!(not_ready.code(), "case.not_ready_to_close");
    w.ok::<Item, _>(
        "sec-li",
        repair,
        register(repair, "完善住院结算审核制度", ItemSource::Case),
    )
    .await;
    w.ok::<Item, _>(
        "sec-li",
        repair,
        assign("health-bureau", "hb-chen", "2026-05-31"),
    )
    .await;
    w.ok::<Item, _>("hb-chen", repair, ItemCommand::Acknowledge)
        .await;
    w.at(shanghai(2026, 5, 6, 9, 0))
        .ok::<Item, _>("hb-chen", repair, sign_off("new-rules"))
        .await;
    w.ok::<Item, _>(
        "sec-zhao",
        repair,
        ItemCommand::VerifySignOff { note: None },
    )
    .await;
    w.ok::<Case, _>(
        "system:policy",
        case,
        CaseCommand::RecordRepairItemClosed {
            code: ItemCode::parse(repair).unwrap(),
        },
    )
    .await;
    w.ok::<Case, _>("sec-li", case, CaseCommand::CloseCase)
        .await;
    assert_eq!(
        w.exec.load::<Case>(case).await.unwrap().0.status,
        CaseStatus::Closed
    );

    // The log: dense, chained, and the complainant appears nowhere in it.
    let head = w.exec.store().head().await.unwrap();
    let mut waited = w.exec.store().watch_head();
    let total = count_events(&store).await;
    while w.exec.store().head().await.unwrap() < total {
        waited.changed().await.unwrap();
    }
    assert!(head <= total);
    let log = store.read_log(0, u32::MAX).await.unwrap();
    assert_eq!(log.len() as u64, total);
    let mut previous = GENESIS;
    for event in &log {
        assert_eq!(
            hex::encode(chain_hash(&previous, event.position, &event.event)),
            event.hash
        );
        previous = hash_from_bytes(&hex::decode(&event.hash).unwrap()).unwrap();
        let json = serde_json::to_string(&event.event).unwrap();
        assert!(
            !json.contains(COMPLAINANT) && !json.contains(PHONE),
            "identity leaked at {}",
            event.position
        );
    }
}

/// How many events the streams hold (the log must end up holding exactly these).
async fn count_events(store: &AnyStore) -> u64 {
    let mut total = 0;
    for (kind, ids) in [
        ("campaign", vec!["qunfu-2026"]),
        ("item", vec!["YB-2026-0001", "YB-2026-0002", "YB-2026-0003"]),
        ("complaint", vec!["cmp-2026-0001", "cmp-2026-0002"]),
        ("case", vec!["case-2026-001"]),
    ] {
        for id in ids {
            total += store
                .load_events(&rectiflow_store::StreamRef::new(kind, id), 0)
                .await
                .unwrap()
                .len() as u64;
        }
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_campaign_story() {
    let Some(backend) = rectiflow_tests::postgres().await else {
        return;
    };
    story(backend.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_campaign_story() {
    let backend = rectiflow_tests::sqlite().await;
    story(backend.store.clone()).await;
}
