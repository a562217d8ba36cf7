//! Chapter zero: the county's organisation — units (a care home among them), people, the heads
//! of the hospital and the care home, and their roles (secretariats of the three task forces,
//! discipline inspection, the civil-affairs authority, the meal app's and the
//! medical-insurance platform's integrators) — is set up through commands, and role checks
//! read it at its latest version: a role granted a moment ago is honoured, a revoked one
//! refused at once.

use chrono::NaiveDate;
use rectiflow_domain::calendar::overrides::{CountyOverrides, DeclaredDay, OverrideCommand};
use rectiflow_domain::organisation::{
    IntegratorKind, Organisation, OrganisationCommand, Role, UnitKind, ORGANISATION,
};
use rectiflow_domain::values::TaskForceId;
use rectiflow_tests::{person, unit, Store};

use crate::world::{text, World};

fn secretariat(task_force: &str) -> Role {
    Role::Secretariat {
        task_force: TaskForceId::parse(task_force).expect("a valid TaskForceId"),
    }
}

pub async fn the_county_is_organised_and_roles_are_read_as_they_stand<S: Store>(w: &World<S>) {
    w.ok::<Organisation, _>(
        "installer",
        ORGANISATION,
        OrganisationCommand::Bootstrap {
            admin: person("admin-wu"),
        },
    )
    .await;
    let org = |body| w.ok::<Organisation, _>("admin-wu", ORGANISATION, body);
    for (id, name, kind) in [
        ("county-hospital", "县人民医院", UnitKind::Hospital),
        ("health-bureau", "县医保局", UnitKind::Department),
        ("edu-bureau", "县教育局信访窗口", UnitKind::Department),
        // The education department the settings name as the school-meal responder.
        ("county-education-bureau", "县教育局", UnitKind::Department),
        ("civil-affairs", "县民政局", UnitKind::Department),
        ("task-force-office", "专班办公室", UnitKind::Department),
        ("discipline-commission", "县纪委监委", UnitKind::Department),
        ("kangle-care-home", "康乐养老院", UnitKind::CareHome),
    ] {
        org(OrganisationCommand::RegisterUnit {
            unit: unit(id),
            name: text(name),
            kind,
        })
        .await;
    }
    for (id, name, in_unit) in [
        ("dr-wang", "王医生", "county-hospital"),
        ("hb-chen", "陈科长", "health-bureau"),
        ("edu-liu", "刘科长", "county-education-bureau"),
        ("intake", "接访员", "civil-affairs"),
        ("ca-zhou", "周科长", "civil-affairs"),
        ("sec-li", "李干事", "task-force-office"),
        ("sec-zhao", "赵干事", "task-force-office"),
        ("jw-he", "何主任", "discipline-commission"),
        ("hosp-liu", "刘院长", "county-hospital"),
        ("sec-sun", "孙干事", "task-force-office"),
        ("ch-ma", "马院长", "kangle-care-home"),
    ] {
        org(OrganisationCommand::RegisterPerson {
            person: person(id),
            name: text(name),
            unit: unit(in_unit),
        })
        .await;
    }
    // The heads (一把手): the hospital's is the one an admonishment talk is held with, and
    // the one held to account at a second admonishment.
    for (in_unit, head) in [
        ("county-hospital", "hosp-liu"),
        ("kangle-care-home", "ch-ma"),
    ] {
        org(OrganisationCommand::AppointHead {
            unit: unit(in_unit),
            person: person(head),
        })
        .await;
    }
    for (who, role) in [
        ("sec-li", secretariat("yibao")),
        ("sec-li", secretariat("xiaoyuan")),
        ("sec-zhao", secretariat("yibao")),
        ("sec-sun", secretariat("yanglao")),
        ("jw-he", Role::DisciplineInspection),
        ("ca-zhou", Role::CivilAffairs),
        (
            "ybjk-platform",
            Role::Integrator {
                kind: IntegratorKind::MedicalInsurancePlatform,
            },
        ),
        (
            "meal-app",
            Role::Integrator {
                kind: IntegratorKind::MealApp,
            },
        ),
    ] {
        org(OrganisationCommand::GrantRole {
            person: person(who),
            role,
        })
        .await;
    }

    // An operator made admin a moment ago may declare a calendar day at once; revoked, they
    // are refused at once — no projection stands between the grant and the check.
    let declare = |day: u32| OverrideCommand::Declare {
        date: NaiveDate::from_ymd_opt(2026, 12, day).expect("a date"),
        day: DeclaredDay::WorkingDay,
        reason: text("县防汛调休"),
    };
    let refused = w
        .refused::<CountyOverrides, _>("ops-qian", "zhuxi", declare(26))
        .await;
    assert_eq!(refused.code(), "county_calendar.forbidden");
    org(OrganisationCommand::GrantRole {
        person: person("ops-qian"),
        role: Role::Admin,
    })
    .await;
    w.ok::<CountyOverrides, _>("ops-qian", "zhuxi", declare(26))
        .await;
    org(OrganisationCommand::RevokeRole {
        person: person("ops-qian"),
        role: Role::Admin,
    })
    .await;
    let refused = w
        .refused::<CountyOverrides, _>("ops-qian", "zhuxi", declare(19))
        .await;
    assert_eq!(refused.code(), "county_calendar.forbidden");
}
