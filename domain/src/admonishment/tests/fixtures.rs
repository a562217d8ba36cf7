//! Fixtures shared by the admonishment tests: township-a admonished at the county-wide
//! bulletin of March 2026 (cut-off 2026-04-01 00:00 Beijing time), then its talk.

use cqrs_es::test::TestFramework;

use crate::admonishment::*;
use crate::publication::{OverdueCount, PublicationKind, PublicationScope};
use crate::settings::AdmonishmentRules;
pub(super) use crate::testing::fixtures::{at, campaign, code, person, text};
use crate::values::{AdmonishmentId, PersonId, PublicationId, UnitId, Uri};
use crate::{Command, Stamp};

/// The admonished township's head (一把手) is the organisation's, and attends the talks of the
/// fixtures; the roles are [`officer_directory`](crate::testing::officer_directory)'s.
pub(super) fn framework() -> TestFramework<Admonishment> {
    TestFramework::with(services())
}

pub(super) fn services() -> crate::services::DomainServices {
    crate::testing::services(
        crate::testing::officer_directory().with_head(unit(), person("township-head")),
    )
    .0
}

pub(super) const TRIGGERED: &str = "2026-04-01T01:10:00Z";
pub(super) const NOW: &str = "2026-04-02T02:00:00Z";
pub(super) const MEETING: &str = "2026-04-08T01:00:00Z";
/// 2026-03-01 and 2026-04-01, 00:00 Beijing time.
pub(super) const MARCH: &str = "2026-02-28T16:00:00Z";
pub(super) const APRIL: &str = "2026-03-31T16:00:00Z";
pub(super) const BULLETIN: &str = "bulletin~qunfu-2026~2026-03~county";
pub(super) const FEBRUARY_BULLETIN: &str = "bulletin~qunfu-2026~2026-02~county";
pub(super) const ADMONISHMENT: &str = "bulletin~qunfu-2026~2026-03~county~township-a";

pub(super) fn policy() -> PersonId {
    person("policy:admonishment")
}

pub(super) fn unit() -> UnitId {
    crate::testing::fixtures::unit("township-a")
}

pub(super) fn id(s: &str) -> AdmonishmentId {
    AdmonishmentId::parse(s).expect("id")
}

pub(super) fn pid(s: &str) -> PublicationId {
    PublicationId::parse(s).expect("publication id")
}

pub(super) fn minutes() -> Uri {
    Uri::parse("oss://minutes/adm-2.pdf").expect("uri")
}

pub(super) fn cmd_at(
    when: &str,
    actor: PersonId,
    body: AdmonishmentCommand,
) -> Command<AdmonishmentCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor,
        },
        body,
    )
}

pub(super) fn cmd(body: AdmonishmentCommand) -> Command<AdmonishmentCommand> {
    // The policy triggers; a secretariat does everything else.
    let actor = match body {
        AdmonishmentCommand::Trigger { .. } => policy(),
        _ => person("sec-yibao"),
    };
    cmd_at(NOW, actor, body)
}

pub(super) fn bulletin() -> PublicationRef {
    PublicationRef {
        publication: pid(BULLETIN),
        kind: PublicationKind::Bulletin,
        scope: PublicationScope::County,
        cut_off: at(APRIL),
    }
}

pub(super) fn assessment() -> PublicationRef {
    PublicationRef {
        publication: pid("assessment~qunfu-2026~2026-Q1~county"),
        kind: PublicationKind::Assessment,
        scope: PublicationScope::County,
        cut_off: at(APRIL),
    }
}

/// 3 in full and 1 mitigated (3.5), 1 exempted.
pub(super) fn overdue() -> Finding {
    Finding::OverdueItems {
        overdue: OverdueCount::new(3, 1, 1, 0.5),
        mitigation_factor: 0.5,
    }
}

/// Third in February, first in March.
pub(super) fn bottom() -> Finding {
    Finding::BottomOfRanking {
        positions: vec![
            RankingPosition {
                publication: pid(FEBRUARY_BULLETIN),
                cut_off: at(MARCH),
                position: 3,
            },
            RankingPosition {
                publication: pid(BULLETIN),
                cut_off: at(APRIL),
                position: 1,
            },
        ],
    }
}

pub(super) fn items() -> Vec<crate::values::ItemCode> {
    [
        "YB-2026-0001",
        "YB-2026-0002",
        "YB-2026-0003",
        "YB-2026-0004",
    ]
    .map(code)
    .to_vec()
}

pub(super) fn trigger_at(
    publication: PublicationRef,
    findings: Vec<Finding>,
) -> AdmonishmentCommand {
    AdmonishmentCommand::Trigger {
        admonishment: admonishment_id(&publication.publication, &unit()).expect("id"),
        campaign: campaign(),
        unit: unit(),
        publication,
        findings,
        items: items(),
        reasons: vec![text("3项问题逾期未整改，连续两月排名倒数")],
    }
}

pub(super) fn trigger(findings: Vec<Finding>) -> AdmonishmentCommand {
    trigger_at(bulletin(), findings)
}

pub(super) fn triggered_with(findings: Vec<Finding>) -> AdmonishmentEvent {
    AdmonishmentEvent::Triggered {
        admonishment: id(ADMONISHMENT),
        campaign: campaign(),
        unit: unit(),
        basis: Basis::Policy {
            publication: bulletin(),
            findings,
            rules_in_force: AdmonishmentRules::default(),
            grades_in_force: None,
        },
        items: items(),
        reasons: vec![text("3项问题逾期未整改，连续两月排名倒数")],
        by: policy(),
        at: at(TRIGGERED),
    }
}

pub(super) fn triggered() -> AdmonishmentEvent {
    triggered_with(vec![overdue(), bottom()])
}

pub(super) fn scheduled() -> AdmonishmentEvent {
    AdmonishmentEvent::Scheduled {
        when: at(MEETING),
        place: text("县纪委第一会议室"),
        conducted_by: vec![person("deputy-head")],
        by: person("sec-yibao"),
        at: at(NOW),
    }
}

pub(super) fn held() -> AdmonishmentEvent {
    AdmonishmentEvent::Held {
        attendees: vec![person("township-head")],
        minutes: minutes(),
        scheduled_for: at(MEETING),
        by: person("sec-yibao"),
        at: at("2026-04-08T03:00:00Z"),
    }
}

pub(super) fn followed_up() -> AdmonishmentEvent {
    AdmonishmentEvent::FollowedUp {
        outcome: text("已制定整改方案"),
        by: person("sec-yibao"),
        at: at("2026-04-20T03:00:00Z"),
    }
}

/// A refused transition; its message names the state and the request in Chinese.
pub(super) fn invalid(state: &'static str, request: &'static str) -> AdmonishmentError {
    let error = AdmonishmentError::InvalidTransition { state, request };
    let message = error.to_string();
    assert!(
        !message.chars().any(|c| c.is_ascii_alphabetic()),
        "{state}/{request} has no Chinese name: {message}"
    );
    error
}
