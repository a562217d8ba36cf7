//! Given/when/then tests of 查阅记录: a read recorded by its reader, once per read, on its
//! subject's own stream.

use cqrs_es::test::TestFramework;

use super::*;
use crate::testing::default_services;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, officer, person,
};
use crate::Stamp;

const NOW: &str = "2026-03-10T02:00:00Z";

fn framework() -> TestFramework<Readings> {
    TestFramework::with(default_services())
}

fn record(subject: &str, version: u64) -> Command<ReadingCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: officer(),
        },
        ReadingCommand::Record {
            kind: SubjectKind::Case,
            subject: subject.to_owned(),
            part: ReadPart::History,
            version,
            reader: officer(),
            scope: Scope::default(),
        },
    )
}

fn read(subject: &str, version: u64) -> ReadingEvent {
    ReadingEvent::Read {
        kind: SubjectKind::Case,
        subject: subject.to_owned(),
        part: ReadPart::History,
        version,
        scope: Scope::default(),
        by: officer(),
        at: at(NOW),
    }
}

#[test]
fn a_read_is_recorded_with_who_when_and_which_version() {
    framework()
        .given(vec![read("case-1", 3)])
        .when(record("case-1", 5))
        .then_expect_events(vec![read("case-1", 5)]);
}

#[test]
fn nothing_read_and_another_subject_are_refused() {
    framework()
        .given_no_previous_events()
        .when(record("case-1", 0))
        .then_expect_error_message("查阅的版本为 0：case-1 尚无内容可查阅");
    framework()
        .given(vec![read("case-1", 3)])
        .when(record("case-2", 1))
        .then_expect_error_message(
            "对案件 case-2 的查阅应记入查阅记录 case~case-2，不能记入本记录",
        );
}

#[test]
fn only_the_reader_named_may_record_the_read() {
    let mut command = record("case-1", 2);
    command.stamp.actor = person("someone-else");
    let error = framework()
        .given_no_previous_events()
        .when(command)
        .inspect_result()
        .expect_err("recorded under another's name");
    assert_eq!(error.code(), "reading.forbidden");
}

#[test]
fn the_folded_state_counts_reads_and_the_event_round_trips() {
    let readings: Readings =
        crate::testing::fixtures::replay([read("case-1", 1), read("case-1", 2)]);
    assert_eq!(readings.reads, 2);
    assert_eq!(readings.stream.as_deref(), Some("case~case-1"));
    assert_eq!(readings.last_read_by, Some(officer()));
    assert_round_trips(&read("case-1", 1));
    assert_codes_distinct_and_namespaced(
        &[
            ReadingError::NothingToRead {
                subject: "x".into(),
            },
            ReadingError::WrongStream {
                kind: "case",
                subject: "x".into(),
                expected: "case~x".into(),
            },
        ],
        "reading",
    );
}
