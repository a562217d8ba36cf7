//! 待办 — each person's to-do list (issue #10, read model 6), on both stores: the talk of the
//! hospital's second admonishment is scheduled, the registers and boards are run to the head,
//! and the lists of a secretariat member, the hospital's head, the designated handler of the
//! unanswered complaint and discipline inspection, at the story's present, equal the lists
//! computed by hand from the story's own commands.

use chrono::{DateTime, Utc};
use rectiflow_domain::admonishment::{
    Admonishment, AdmonishmentCommand, AdmonishmentRule, AdmonishmentStatus,
};
use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::settings::Field;
use rectiflow_projections::accountability_register::AccountabilityRegister;
use rectiflow_projections::admonishment_register::{
    AdmonishmentEntry, AdmonishmentRegister, BasisKind,
};
use rectiflow_projections::alert_board::AlertBoard;
use rectiflow_projections::complaint_board::ComplaintBoard;
use rectiflow_projections::item_register::ItemRegister;
use rectiflow_projections::todo::{to_do, AlertTriage, ToDo, ToDoKind};
use rectiflow_projections::RowProjection;
use rectiflow_tests::{person, shanghai, Store};

use crate::accountability::{FIRST, RESPONSIBLE_CASE, SECOND};
use crate::boards::{UNANSWERED, UNTRIAGED};
use crate::projecting::project_to_head;
use crate::world::{campaign_id, text, World};

/// The story's present: the last chapter before this one set the clock here.
fn now() -> DateTime<Utc> {
    shanghai(2026, 7, 17, 9, 0)
}

const APRIL_ITEMS: [&str; 3] = ["YB-2026-0004", "YB-2026-0005", "YB-2026-0006"];

/// `who`'s to-do list at the story's present, as a caller of the query gets it: the
/// organisation through the directory port, the alert triage from the campaign.
async fn lists<S: Store>(w: &World<S>, who: &str) -> Vec<ToDo> {
    let organisation = w
        .services
        .directory
        .organisation()
        .await
        .expect("the organisation");
    let (campaign, _) = w
        .exec
        .load::<Campaign>(campaign_id().as_str())
        .await
        .expect("the campaign");
    let triage: AlertTriage = campaign
        .task_force_for(&Field::MedicalInsurance)
        .map(|tf| (campaign_id().as_str().to_owned(), tf.clone()))
        .into_iter()
        .collect();
    to_do(w.store(), &organisation, &triage, &person(who), now())
        .await
        .expect("the to-do list")
}

pub async fn each_person_sees_their_to_do_list<S: Store>(w: &World<S>) {
    // Friday 17 July, 09:00 (the story's present): the talk of the second admonishment is
    // set for Tuesday the 21st, conducted by the two yibao secretaries.
    let talk_at = shanghai(2026, 7, 21, 15, 0);
    w.at(now())
        .ok::<Admonishment, _>(
            "sec-li",
            SECOND,
            AdmonishmentCommand::Schedule {
                when: talk_at,
                place: text("县医保局三楼会议室"),
                conducted_by: vec![person("sec-li"), person("sec-zhao")],
            },
        )
        .await;
    let store = w.store();
    w.log_point().await;
    project_to_head::<S, ItemRegister>(store).await;
    project_to_head::<S, ComplaintBoard>(store).await;
    project_to_head::<S, AlertBoard>(store).await;
    project_to_head::<S, AccountabilityRegister>(store).await;
    project_to_head::<S, AdmonishmentRegister>(store).await;

    // The admonishment register: the manual one of 2 April, held on 8 April with the head;
    // the policy's at the April bulletin, resting on its cut-off, now scheduled.
    let mut admonishments: Vec<AdmonishmentEntry> = AdmonishmentRegister::TABLE
        .read_all(store)
        .await
        .expect("the register");
    admonishments.sort_by(|a, b| a.admonishment.cmp(&b.admonishment));
    let first = &admonishments[0];
    assert_eq!(first.admonishment, FIRST);
    assert_eq!(
        (first.basis, first.state, first.window_instant),
        (
            BasisKind::Manual,
            AdmonishmentStatus::Held,
            Some(shanghai(2026, 4, 2, 10, 0))
        )
    );
    assert_eq!(first.held_at, Some(shanghai(2026, 4, 8, 16, 0)));
    assert_eq!(first.attendees, ["hosp-liu", "sec-li"]);
    let second = &admonishments[1];
    assert_eq!(second.admonishment, SECOND);
    assert_eq!(
        (second.basis, second.state, second.window_instant),
        (
            BasisKind::Policy,
            AdmonishmentStatus::Scheduled,
            Some(shanghai(2026, 5, 1, 0, 0))
        )
    );
    assert_eq!(second.rules, [AdmonishmentRule::OverdueItems]);
    assert_eq!(second.items, APRIL_ITEMS);
    assert_eq!(second.scheduled_for, Some(talk_at));
    assert_eq!(second.conducted_by, ["sec-li", "sec-zhao"]);
    assert_eq!(admonishments.len(), 2);

    // Each list at Friday 17 July 2026, 09:00, computed from the story's commands.
    let item = |kind, code: &str, title: &str, due, overdue| ToDo {
        kind,
        stream: code.into(),
        title: title.into(),
        due_at: due,
        overdue,
    };
    let april = [
        ("YB-2026-0004", "门诊串换诊疗项目"),
        ("YB-2026-0005", "住院过度检查"),
        ("YB-2026-0006", "虚构康复理疗服务"),
    ];
    let talk = |kind| ToDo {
        kind,
        stream: SECOND.into(),
        title: "约谈 county-hospital（县医保局三楼会议室）".into(),
        due_at: Some(talk_at),
        overdue: false,
    };

    // The yibao secretariat: the alert pushed on 13 July, due by 24:00 on the 16th and
    // untriaged (overdue); the talk it conducts on the 21st; and 容错 on the three April items,
    // overdue since 21 April with no ruling (YB-2026-0002's episode was exempted; nothing is
    // pending sign-off).
    let mut secretariat = vec![
        ToDo {
            kind: ToDoKind::TriageAlert,
            stream: UNTRIAGED.into(),
            title: "药品进销存数据异常，疑似串换药品".into(),
            due_at: Some(shanghai(2026, 7, 17, 0, 0)),
            overdue: true,
        },
        talk(ToDoKind::HoldTalk),
    ];
    secretariat.extend(
        april.map(|(code, title)| item(ToDoKind::RuleFaultTolerance, code, title, None, false)),
    );
    assert_eq!(lists(w, "sec-li").await, secretariat);
    assert_eq!(lists(w, "sec-zhao").await, secretariat);

    // The hospital's head: sign-off of the items in progress past their deadlines — YB-0002
    // (due by 24:00 on 10 March; exempted, yet still to be signed off) and the three April
    // items (by 24:00 on 20 April) — and the talk to attend. dr-wang, responsible for all
    // four, has the same sign-offs and no talk.
    let mut sign_offs = vec![item(
        ToDoKind::RequestSignOff,
        "YB-2026-0002",
        "定点药店超量售药",
        Some(shanghai(2026, 3, 11, 0, 0)),
        true,
    )];
    sign_offs.extend(april.map(|(code, title)| {
        item(
            ToDoKind::RequestSignOff,
            code,
            title,
            Some(shanghai(2026, 4, 21, 0, 0)),
            true,
        )
    }));
    assert_eq!(lists(w, "dr-wang").await, sign_offs);
    let mut head = sign_offs.clone();
    head.push(talk(ToDoKind::AttendTalk));
    assert_eq!(lists(w, "hosp-liu").await, head);

    // The designated handler of complaint C, received on Monday 6 July and unanswered past
    // 24:00 on the 9th.
    assert_eq!(
        lists(w, "ca-zhou").await,
        vec![ToDo {
            kind: ToDoKind::AnswerComplaint,
            stream: UNANSWERED.into(),
            title: "反映养老院护理人员不足".into(),
            due_at: Some(shanghai(2026, 7, 10, 0, 0)),
            overdue: true,
        }]
    );

    // Discipline inspection: dr-wang's case, still open (the head's was decided on 20 May).
    assert_eq!(
        lists(w, "jw-he").await,
        vec![ToDo {
            kind: ToDoKind::DecideAccountability,
            stream: RESPONSIBLE_CASE.into(),
            title: "问责 dr-wang（county-hospital）".into(),
            due_at: None,
            overdue: false,
        }]
    );

    // The care home's item, assigned on Monday 11 May and never acknowledged: 签收 was due by
    // 24:00 on Wednesday the 13th (its head is its responsible person); its deadline passed at
    // 24:00 on 29 May unruled, for the yanglao secretariat.
    let care = "康乐养老院克扣老人伙食费";
    assert_eq!(
        lists(w, "ch-ma").await,
        vec![item(
            ToDoKind::Acknowledge,
            "YL-2026-0001",
            care,
            Some(shanghai(2026, 5, 14, 0, 0)),
            true,
        )]
    );
    assert_eq!(
        lists(w, "sec-sun").await,
        vec![item(
            ToDoKind::RuleFaultTolerance,
            "YL-2026-0001",
            care,
            None,
            false,
        )]
    );
    // The health bureau's repair item is closed; the education bureau answered its complaints.
    assert_eq!(lists(w, "hb-chen").await, vec![]);
    assert_eq!(lists(w, "edu-liu").await, vec![]);
}
