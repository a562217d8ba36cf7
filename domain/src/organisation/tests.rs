//! Given/when/then tests of the organisation: bootstrap, admin-only changes, heads, roles.

use cqrs_es::test::TestFramework;

use super::*;
use crate::testing::default_services;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, at, person, text, unit};
use crate::values::{PersonId, TaskForceId};
use crate::{Command, Stamp};

fn admin() -> PersonId {
    person("admin-1")
}

fn framework() -> TestFramework<Organisation> {
    TestFramework::with(default_services())
}

fn cmd(actor: PersonId, body: OrganisationCommand) -> Command<OrganisationCommand> {
    Command::new(
        Stamp {
            at: at("2026-01-05T09:00:00Z"),
            actor,
        },
        body,
    )
}

fn when(actor: PersonId, body: OrganisationCommand) -> OrganisationEvent {
    // The event the command records, with the same stamp.
    let by = actor;
    let at = at("2026-01-05T09:00:00Z");
    match body {
        OrganisationCommand::Bootstrap { admin } => {
            OrganisationEvent::Bootstrapped { admin, by, at }
        }
        OrganisationCommand::RegisterUnit { unit, name, kind } => {
            OrganisationEvent::UnitRegistered {
                unit,
                name,
                kind,
                by,
                at,
            }
        }
        OrganisationCommand::RegisterPerson { person, name, unit } => {
            OrganisationEvent::PersonRegistered {
                person,
                name,
                unit,
                by,
                at,
            }
        }
        OrganisationCommand::AppointHead { unit, person } => OrganisationEvent::HeadAppointed {
            unit,
            person,
            by,
            at,
        },
        OrganisationCommand::GrantRole { person, role } => OrganisationEvent::RoleGranted {
            person,
            role,
            by,
            at,
        },
        OrganisationCommand::RevokeRole { person, role } => OrganisationEvent::RoleRevoked {
            person,
            role,
            by,
            at,
        },
        OrganisationCommand::MovePerson { .. } => unreachable!("moves name their origin"),
    }
}

fn bootstrap() -> OrganisationCommand {
    OrganisationCommand::Bootstrap { admin: admin() }
}

fn register_bureau() -> OrganisationCommand {
    OrganisationCommand::RegisterUnit {
        unit: unit("yibao-ju"),
        name: text("县医保局"),
        kind: UnitKind::Department,
    }
}

fn register_zhang() -> OrganisationCommand {
    OrganisationCommand::RegisterPerson {
        person: person("zhang-san"),
        name: text("张三"),
        unit: unit("yibao-ju"),
    }
}

fn secretariat() -> Role {
    Role::Secretariat {
        task_force: TaskForceId::parse("yibao").expect("valid"),
    }
}

fn county() -> Vec<OrganisationEvent> {
    vec![
        when(admin(), bootstrap()),
        when(admin(), register_bureau()),
        when(admin(), register_zhang()),
    ]
}

#[test]
fn bootstrap_names_the_first_admin_once() {
    framework()
        .given_no_previous_events()
        .when(cmd(person("installer"), bootstrap()))
        .then_expect_events(vec![OrganisationEvent::Bootstrapped {
            admin: admin(),
            by: person("installer"),
            at: at("2026-01-05T09:00:00Z"),
        }]);
    framework()
        .given(county())
        .when(cmd(person("installer"), bootstrap()))
        .then_expect_error(OrganisationError::AlreadyBootstrapped);
}

#[test]
fn only_an_admin_changes_the_organisation() {
    framework()
        .given(county())
        .when(cmd(
            person("zhang-san"),
            OrganisationCommand::GrantRole {
                person: person("zhang-san"),
                role: secretariat(),
            },
        ))
        .then_expect_error(OrganisationError::NotAdmin {
            actor: person("zhang-san"),
            request: "grant_role",
        });
    framework()
        .given_no_previous_events()
        .when(cmd(admin(), register_bureau()))
        .then_expect_error(OrganisationError::NotBootstrapped);
}

#[test]
fn a_role_goes_to_a_registered_person_never_to_a_system_actor() {
    framework()
        .given(county())
        .when(cmd(
            admin(),
            OrganisationCommand::GrantRole {
                person: person("nobody"),
                role: secretariat(),
            },
        ))
        .then_expect_error(OrganisationError::UnknownPerson(person("nobody")));
    framework()
        .given(county())
        .when(cmd(
            admin(),
            OrganisationCommand::GrantRole {
                person: person("policy:admonishment"),
                role: Role::DisciplineInspection,
            },
        ))
        .then_expect_error(OrganisationError::SystemActor(person(
            "policy:admonishment",
        )));
    let grant = OrganisationCommand::GrantRole {
        person: person("zhang-san"),
        role: secretariat(),
    };
    let mut granted = county();
    granted.push(when(admin(), grant.clone()));
    framework()
        .given(county())
        .when(cmd(admin(), grant.clone()))
        .then_expect_events(vec![when(admin(), grant.clone())]);
    framework()
        .given(granted)
        .when(cmd(admin(), grant))
        .then_expect_error(OrganisationError::AlreadyHolds {
            person: person("zhang-san"),
            role: secretariat(),
        });
}

#[test]
fn the_last_admin_cannot_be_revoked() {
    framework()
        .given(county())
        .when(cmd(
            admin(),
            OrganisationCommand::RevokeRole {
                person: admin(),
                role: Role::Admin,
            },
        ))
        .then_expect_error(OrganisationError::LastAdmin);
}

#[test]
fn a_head_is_one_of_the_units_persons_and_stops_heading_when_moved() {
    framework()
        .given(county())
        .when(cmd(
            admin(),
            OrganisationCommand::AppointHead {
                unit: unit("yibao-ju"),
                person: person("li-si"),
            },
        ))
        .then_expect_error(OrganisationError::NotInUnit {
            person: person("li-si"),
            unit: unit("yibao-ju"),
        });

    let mut org = Organisation::default();
    let mut history = county();
    history.push(when(
        admin(),
        OrganisationCommand::AppointHead {
            unit: unit("yibao-ju"),
            person: person("zhang-san"),
        },
    ));
    history.push(when(
        admin(),
        OrganisationCommand::RegisterUnit {
            unit: unit("weijian-ju"),
            name: text("县卫健局"),
            kind: UnitKind::Department,
        },
    ));
    for event in history {
        org.fold(event);
    }
    assert!(org.is_head(&unit("yibao-ju"), &person("zhang-san")));
    let moved = org
        .decide(cmd(
            admin(),
            OrganisationCommand::MovePerson {
                person: person("zhang-san"),
                to: unit("weijian-ju"),
            },
        ))
        .expect("a registered person moves to a registered unit");
    for event in moved {
        org.fold(event);
    }
    assert_eq!(org.head_of(&unit("yibao-ju")), None);
    assert!(org.is_member(&unit("weijian-ju"), &person("zhang-san")));
}

#[test]
fn system_actors_are_recognised_by_their_prefix() {
    assert_eq!(
        SystemActor::of(&person("policy:admonishment")),
        Some(SystemActor::Policy("admonishment"))
    );
    assert_eq!(
        SystemActor::of(&person("schedule:deadlines")),
        Some(SystemActor::Schedule("deadlines"))
    );
    assert_eq!(SystemActor::of(&person("policy:")), None);
    assert_eq!(SystemActor::of(&person("zhang-san")), None);
}

#[test]
fn error_codes_are_distinct_and_namespaced() {
    assert_codes_distinct_and_namespaced(
        &[
            OrganisationError::NotBootstrapped,
            OrganisationError::AlreadyBootstrapped,
            OrganisationError::NotAdmin {
                actor: admin(),
                request: "x",
            },
            OrganisationError::DuplicateUnit(unit("u")),
            OrganisationError::UnknownUnit(unit("u")),
            OrganisationError::DuplicatePerson(admin()),
            OrganisationError::UnknownPerson(admin()),
            OrganisationError::AlreadyInUnit {
                person: admin(),
                unit: unit("u"),
            },
            OrganisationError::NotInUnit {
                person: admin(),
                unit: unit("u"),
            },
            OrganisationError::AlreadyHead {
                person: admin(),
                unit: unit("u"),
            },
            OrganisationError::AlreadyHolds {
                person: admin(),
                role: Role::Admin,
            },
            OrganisationError::DoesNotHold {
                person: admin(),
                role: Role::Admin,
            },
            OrganisationError::SystemActor(admin()),
            OrganisationError::LastAdmin,
        ],
        "organisation.",
    );
}

/// Roles read in Chinese in refusals and in the HTTP layer's "acting as …"; the CLI and the API
/// still spell them by their machine names.
#[test]
fn roles_read_in_chinese() {
    let yibao = TaskForceId::parse("yibao").expect("valid");
    let xcy = TaskForceId::parse("xcy").expect("valid");
    assert_eq!(
        OrganisationError::AlreadyHolds {
            person: person("zhang"),
            role: secretariat(),
        }
        .to_string(),
        "zhang 已具有“专班 yibao 的专班办公室”角色"
    );
    assert_eq!(
        OrganisationError::NotAdmin {
            actor: person("zhang"),
            request: "grant_role",
        }
        .to_string(),
        "zhang 无权授予角色：组织信息仅由系统管理员变更"
    );
    let acting = Acting::Secretariat {
        task_forces: [yibao, xcy].into_iter().collect(),
    };
    assert_eq!(acting.to_string(), "专班 xcy、yibao 的专班办公室");
    assert_eq!(acting.name(), "secretariat");
    assert_eq!(
        Acting::Unit { unit: unit("edu") }.to_string(),
        "责任单位 edu"
    );
    assert_eq!(
        Acting::Integrator {
            kind: IntegratorKind::MealApp
        }
        .to_string(),
        "校园餐家长小程序"
    );
    assert_eq!(Acting::DisciplineInspection.to_string(), "纪检监察机关");
}
