//! Each act of the plan as the commands its people send — the secretariats, the units' staff
//! and heads, the discipline inspector, the integrators — decided in the day's batch.

use anyhow::Context;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use rectiflow_domain::alert::{Alert, AlertCommand, AlertPush, Triage};
use rectiflow_domain::case::{Case, CaseCommand, ClueSource, Disposition, InvestigationTrack};
use rectiflow_domain::complaint::{Channel, Complaint, ComplaintCommand, FollowUp, Resolution};
use rectiflow_domain::event::Scoped;
use rectiflow_domain::identity::ComplainantIdentity;
use rectiflow_domain::item::{
    AssignItem, Item, ItemCommand, ItemSource, RegisterItem, SignOffRequest,
};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::survey::{round_id, Quarter, Survey, SurveyCommand};
use rectiflow_domain::values::{
    AlertId, AlertRef, CampaignId, CaseId, ClueId, ComplaintId, Deadline, EvidenceRef, ItemCode,
    MediaType, Percent, PersonId, Rating, Score, Sha256Hex, TaskForceId, Text, UnitId, Uri, Yuan,
};
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion};
use rectiflow_engine::{Batch, CommandContext, EventStore};
use serde::Serialize;

use super::cast::{TaskForce, INSPECTOR, MEAL_APP, PLATFORM};
use super::plan::{Act, Origin, Plan};
use super::CAMPAIGN;

/// Who acts, on what: the plan, the cast and the ports, for one day's batch at a time.
pub struct Acting<'a> {
    pub plan: &'a Plan,
    pub forces: &'a [TaskForce],
    pub services: &'a DomainServices,
}

pub fn text(value: impl Into<String>) -> anyhow::Result<Text> {
    Ok(Text::parse(value)?)
}

fn campaign() -> anyhow::Result<CampaignId> {
    Ok(CampaignId::parse(CAMPAIGN)?)
}

/// One photograph of evidence, named after the item.
fn evidence(code: &str) -> anyhow::Result<EvidenceRef> {
    Ok(EvidenceRef {
        name: text(format!("{code} 整改佐证"))?,
        media_type: MediaType::parse("image/jpeg")?,
        size: 182_446,
        sha256: Sha256Hex::parse("5d".repeat(32))?,
        uri: Uri::parse(format!("oss://evidence/2026/{code}.jpg"))?,
    })
}

impl Acting<'_> {
    fn force(&self, tf: usize) -> &TaskForce {
        &self.forces[tf]
    }

    /// Sends `body` to `stream` as `actor` in `batch`; a refusal stops the demo, naming it.
    async fn send<S, A, C>(
        &self,
        batch: &mut Batch<'_, S>,
        actor: &str,
        stream: &str,
        body: C,
    ) -> anyhow::Result<()>
    where
        S: EventStore,
        A: Aggregate<Command = Command<C>, Services = DomainServices>
            + FoldVersion
            + Scoped
            + 'static,
        A::Error: DomainError,
        C: Serialize + Clone + Addressed,
    {
        let context = CommandContext::new(PersonId::parse(actor)?);
        batch
            .execute::<A, C>(&context, stream, body, self.services)
            .await
            .map(|_| ())
            .map_err(|e| anyhow::anyhow!("{} {stream} as {actor}: {e}", A::TYPE))
    }

    /// Sends the commands of `act` at `now`.
    pub async fn act<S: EventStore>(
        &self,
        batch: &mut Batch<'_, S>,
        act: Act,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        match act {
            Act::List(i) | Act::Assign(i) => self.list(batch, i, act == Act::List(i)).await,
            Act::Acknowledge(i) | Act::Progress(i) | Act::RequestSignOff(i) => {
                let item = &self.plan.items[i];
                let body = match act {
                    Act::Acknowledge(_) => ItemCommand::Acknowledge,
                    Act::Progress(_) => ItemCommand::ReportProgress {
                        text: text("已完成问题核查，正在落实整改措施")?,
                        percent: Percent::parse(50)?,
                        evidence: vec![],
                    },
                    _ => ItemCommand::RequestSignOff(SignOffRequest {
                        problem: Some(text(format!("{}：{}", item.category, item.title))?),
                        measures: Some(text("逐项核查、建章立制、追回违规资金")?),
                        result: Some(text("问题已整改到位，相关人员已处理")?),
                        indicators: None,
                        evidence: vec![evidence(&item.code)?],
                    }),
                };
                self.send::<S, Item, _>(batch, &item.person, &item.code, body)
                    .await
            }
            Act::SendBack(i) | Act::Verify(i) => {
                let item = &self.plan.items[i];
                let body = match act {
                    Act::SendBack(_) => ItemCommand::RejectSignOff {
                        reasons: vec![text("佐证材料不足，请补充整改前后对比照片")?],
                    },
                    _ => ItemCommand::VerifySignOff { note: None },
                };
                let secretariat = self.force(item.task_force).secretariat;
                self.send::<S, Item, _>(batch, secretariat, &item.code, body)
                    .await
            }
            Act::ReceiveComplaint(c)
            | Act::DesignateHandler(c)
            | Act::Respond(c)
            | Act::Resolve(c)
            | Act::Feedback(c)
            | Act::CloseComplaint(c) => self.complaint(batch, act, c).await,
            Act::ReceiveAlert(a) | Act::Triage(a) => self.alert(batch, act, a, now).await,
            Act::RegisterClue(k)
            | Act::OpenCase(k)
            | Act::Investigate(k)
            | Act::Conclude(k)
            | Act::SpawnRepair(k)
            | Act::CloseCase(k) => self.case(batch, act, k).await,
            Act::Surveys(q) => self.surveys(batch, q).await,
        }
    }

    /// A listed item registered and assigned, or an escalated one assigned.
    async fn list<S: EventStore>(
        &self,
        batch: &mut Batch<'_, S>,
        i: usize,
        register: bool,
    ) -> anyhow::Result<()> {
        let item = &self.plan.items[i];
        let force = self.force(item.task_force);
        if register && item.origin == Origin::Listed {
            let source = match i % 5 {
                0 => ItemSource::SelfCheck,
                1 => ItemSource::Audit,
                _ => ItemSource::Inspection,
            };
            let body = ItemCommand::Register(RegisterItem {
                campaign: campaign()?,
                task_force: TaskForceId::parse(force.id)?,
                code: ItemCode::parse(item.code.as_str())?,
                title: text(item.title.as_str())?,
                description: text(format!("{}：{}", force.name, item.category))?,
                category: text(item.category)?,
                source,
                source_ref: None,
                severity: item.severity,
            });
            self.send::<S, Item, _>(batch, force.secretariat, &item.code, body)
                .await?;
        }
        let body = ItemCommand::Assign(AssignItem {
            responsible_unit: UnitId::parse(item.unit.as_str())?,
            responsible_person: PersonId::parse(item.person.as_str())?,
            supervising_unit: UnitId::parse(force.lead)?,
            deadline: Deadline::new(item.deadline),
            measures: text("对照问题清单逐项整改，按期报送佐证材料")?,
            milestones: vec![],
        });
        self.send::<S, Item, _>(batch, force.secretariat, &item.code, body)
            .await
    }

    async fn complaint<S: EventStore>(
        &self,
        batch: &mut Batch<'_, S>,
        act: Act,
        c: usize,
    ) -> anyhow::Result<()> {
        let complaint = &self.plan.complaints[c];
        let force = self.force(complaint.task_force);
        // School meals come through the meal app to the education bureau, which answers
        // them; the rest are received by the field's lead department.
        let unit = force.lead;
        let receiver = format!("{unit}-1");
        let handler = format!("{unit}-2");
        let (actor, body) = match act {
            Act::ReceiveComplaint(_) => {
                let (actor, channel) = if complaint.school_meal {
                    (MEAL_APP.to_owned(), Channel::SchoolMealApp)
                } else if c.is_multiple_of(2) {
                    (receiver.clone(), Channel::Hotline)
                } else {
                    (receiver.clone(), Channel::OnlinePlatform)
                };
                let complainant = c.is_multiple_of(3).then(|| ComplainantIdentity {
                    name: super::cast::name_of(c + 7),
                    contact: format!("1380000{:04}", c),
                });
                let summary = if complaint.school_meal {
                    "学生午餐分量不足、菜品质量差"
                } else {
                    "反映相关单位存在违规问题"
                };
                let body = ComplaintCommand::Receive {
                    complaint: ComplaintId::parse(complaint.id.as_str())?,
                    campaign: campaign()?,
                    channel,
                    field: force.field.clone(),
                    summary: text(summary)?,
                    content: text(format!("{summary}，请求核查处理。"))?,
                    attachments: vec![],
                    receiving_unit: UnitId::parse(unit)?,
                    complainant,
                };
                (actor, body)
            }
            Act::DesignateHandler(_) => (
                force.secretariat.to_owned(),
                ComplaintCommand::DesignateHandler {
                    person: PersonId::parse(handler.as_str())?,
                },
            ),
            Act::Respond(_) => (
                handler,
                ComplaintCommand::Respond {
                    response: text("已收到反映，正在组织核查，将按时反馈结果。")?,
                },
            ),
            Act::Resolve(_) => {
                let resolution = match complaint.follow_up {
                    Some(i) => Resolution::Substantiated {
                        finding: text("经核查，反映问题属实")?,
                        follow_up: FollowUp::Item {
                            code: ItemCode::parse(self.plan.items[i].code.as_str())?,
                        },
                    },
                    None => Resolution::Unsubstantiated {
                        reason: text("经核查，反映问题不属实，已向反映人说明")?,
                    },
                };
                (handler, ComplaintCommand::Resolve { resolution })
            }
            Act::Feedback(_) => {
                let actor = if complaint.school_meal {
                    MEAL_APP.to_owned()
                } else {
                    receiver
                };
                let rating = Rating::parse(complaint.rating)?;
                (actor, ComplaintCommand::RecordFeedback { rating })
            }
            _ => (receiver, ComplaintCommand::Close),
        };
        self.send::<S, Complaint, _>(batch, &actor, &complaint.id, body)
            .await
    }

    async fn alert<S: EventStore>(
        &self,
        batch: &mut Batch<'_, S>,
        act: Act,
        a: usize,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let alert = &self.plan.alerts[a];
        let reference = AlertRef::parse(alert.reference.as_str())?;
        let id = AlertId::of_reference(&reference);
        let (actor, body) = match act {
            Act::ReceiveAlert(_) => (
                PLATFORM,
                AlertCommand::Receive(AlertPush {
                    alert: id.clone(),
                    reference,
                    campaign: campaign()?,
                    subject: UnitId::parse(alert.unit.as_str())?,
                    summary: text("同一患者短期内重复住院结算")?,
                    amount_involved: Yuan::from_fen(alert.amount_fen),
                    raised_at: now,
                }),
            ),
            _ => {
                let triage = match alert.escalated {
                    Some(i) => Triage::EscalatedToItem {
                        code: ItemCode::parse(self.plan.items[i].code.as_str())?,
                    },
                    None => Triage::Dismissed {
                        reasons: vec![text("经核实为合理诊疗，排除疑点")?],
                    },
                };
                (self.force(0).secretariat, AlertCommand::Triage(triage))
            }
        };
        self.send::<S, Alert, _>(batch, actor, id.as_str(), body)
            .await
    }

    async fn case<S: EventStore>(
        &self,
        batch: &mut Batch<'_, S>,
        act: Act,
        k: usize,
    ) -> anyhow::Result<()> {
        let case = &self.plan.cases[k];
        let force = self.force(case.task_force);
        let secretariat = force.secretariat;
        let mut bodies = Vec::new();
        let mut actor = secretariat;
        match act {
            Act::RegisterClue(_) => bodies.push(CaseCommand::RegisterClue {
                campaign: campaign()?,
                case: CaseId::parse(case.id.as_str())?,
                clue: ClueId::parse(format!("XS-2026-{:03}", k + 1))?,
                source: ClueSource::Inspection,
                field: force.field.clone(),
                summary: text("巡察发现套取资金问题线索")?,
            }),
            Act::OpenCase(_) => bodies.push(CaseCommand::OpenCase {
                subject_unit: UnitId::parse(case.subject.as_str())?,
                supervising_unit: UnitId::parse(force.lead)?,
            }),
            Act::Investigate(_) => {
                for track in InvestigationTrack::ALL {
                    bodies.push(CaseCommand::StartInvestigation { track });
                }
            }
            Act::Conclude(_) => {
                // 一案双查: the direct investigation names the subject's head, the
                // supervisory one the supervising department's.
                actor = INSPECTOR;
                let amount = Yuan::from_fen(case.amount_fen);
                bodies.push(CaseCommand::ConcludeInvestigation {
                    track: InvestigationTrack::Direct,
                    findings: text("查实违规套取资金，责任人员已移送处理")?,
                    persons_named: vec![PersonId::parse(format!("{}-head", case.subject))?],
                    amount_involved: amount,
                    disposition: Disposition::PartyDiscipline,
                });
                bodies.push(CaseCommand::ConcludeInvestigation {
                    track: InvestigationTrack::Supervisory,
                    findings: text("主管部门日常监管不到位")?,
                    persons_named: vec![PersonId::parse(format!("{}-head", force.lead))?],
                    amount_involved: Yuan::from_fen(0),
                    disposition: Disposition::CriticismAndEducation,
                });
            }
            Act::SpawnRepair(_) => bodies.push(CaseCommand::SpawnRepairItem {
                code: ItemCode::parse(self.plan.items[case.repair].code.as_str())?,
                title: text("以案促改：健全资金监管制度")?,
            }),
            _ => bodies.push(CaseCommand::CloseCase),
        }
        for body in bodies {
            self.send::<S, Case, _>(batch, actor, &case.id, body)
                .await
                .with_context(|| format!("{act:?}"))?;
        }
        Ok(())
    }

    /// Every member unit's survey round of quarter `q`, opened, scored and closed by its
    /// task force's secretariat.
    async fn surveys<S: EventStore>(&self, batch: &mut Batch<'_, S>, q: u8) -> anyhow::Result<()> {
        let quarter = Quarter::new(2026, q)?;
        for force in self.forces {
            for (n, unit) in force.members.iter().enumerate() {
                let unit_id = UnitId::parse(unit.id.as_str())?;
                let round = round_id(&campaign()?, quarter, &force.field, &unit_id)?;
                let laggard = super::plan::LAGGARDS.contains(&unit.id.as_str());
                let score =
                    if laggard { 61.5 } else { 78.0 } + ((n * 7 + q as usize * 5) % 17) as f64;
                let bodies = [
                    SurveyCommand::OpenRound {
                        round: round.clone(),
                        campaign: campaign()?,
                        quarter,
                        field: force.field.clone(),
                        unit: unit_id,
                    },
                    SurveyCommand::RecordScore {
                        score: Score::parse(score)?,
                        sample_size: 40 + (n as u32 * 13) % 80,
                    },
                    SurveyCommand::CloseRound,
                ];
                for body in bodies {
                    self.send::<S, Survey, _>(batch, force.secretariat, round.as_str(), body)
                        .await?;
                }
            }
        }
        Ok(())
    }
}
