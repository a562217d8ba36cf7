//! Who runs a satisfaction round (DOMAIN.md "Roles and permissions"): only the secretariat of
//! the round's field — `sec-yanglao` for elderly care — opens it, records its scores and closes
//! it; another task force's secretariat, discipline inspection or an integrator may not.

use cqrs_es::test::TestFramework;

use super::*;
use crate::permission::{Forbidden, Party};
use crate::testing::fixtures::person;
use crate::testing::{roles_directory, services};

fn framework_with_roles() -> TestFramework<Survey> {
    TestFramework::with(services(roles_directory()).0)
}

fn by(actor: &str, body: SurveyCommand) -> Command<SurveyCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: person(actor),
        },
        body,
    )
}

fn forbidden(actor: &str, request: &'static str) -> SurveyError {
    SurveyError::Forbidden(Forbidden {
        actor: person(actor),
        request,
        request_label: SurveyCommand::label_of(request),
        needs: Party::secretariat(&yanglao()),
    })
}

const OTHERS: [&str; 4] = [
    "sec-yibao",
    "jiwei-officer",
    "minzheng-officer",
    "medical_insurance_platform-app",
];

#[test]
fn only_the_elderly_care_secretariat_opens_an_elderly_care_round() {
    for actor in OTHERS {
        framework_with_roles()
            .given_no_previous_events()
            .when(by(actor, open()))
            .then_expect_error(forbidden(actor, "open_round"));
    }
    let events = framework_with_roles()
        .given_no_previous_events()
        .when(by("sec-yanglao", open()))
        .inspect_result()
        .expect("the field's secretariat opens the round");
    assert!(matches!(
        events.as_slice(),
        [SurveyEvent::RoundOpened { by, .. }] if *by == person("sec-yanglao")
    ));
}

#[test]
fn only_the_elderly_care_secretariat_records_scores() {
    let record = || SurveyCommand::RecordScore {
        score: score(82.0),
        sample_size: 30,
    };
    for actor in OTHERS {
        framework_with_roles()
            .given(vec![opened()])
            .when(by(actor, record()))
            .then_expect_error(forbidden(actor, "record_score"));
    }
    let events = framework_with_roles()
        .given(vec![opened()])
        .when(by("sec-yanglao", record()))
        .inspect_result()
        .expect("the field's secretariat records a score");
    assert!(matches!(
        events.as_slice(),
        [SurveyEvent::ScoreRecorded { by, .. }] if *by == person("sec-yanglao")
    ));
}

#[test]
fn only_the_elderly_care_secretariat_closes_the_round() {
    for actor in OTHERS {
        framework_with_roles()
            .given(vec![opened(), recorded(80.0, 10)])
            .when(by(actor, SurveyCommand::CloseRound))
            .then_expect_error(forbidden(actor, "close_round"));
    }
    let events = framework_with_roles()
        .given(vec![opened(), recorded(80.0, 10)])
        .when(by("sec-yanglao", SurveyCommand::CloseRound))
        .inspect_result()
        .expect("the field's secretariat closes the round");
    assert!(matches!(
        events.as_slice(),
        [SurveyEvent::RoundClosed { by, .. }] if *by == person("sec-yanglao")
    ));
}

/// The refusal names the request and the party in Chinese, the actor and task force as they
/// are.
#[test]
fn the_refusal_reads_in_chinese() {
    assert_eq!(
        forbidden("sec-yibao", "record_score").to_string(),
        "sec-yibao 无权录入测评得分，须由专班 yanglao 的专班办公室办理"
    );
}
