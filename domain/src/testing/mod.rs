//! Test doubles for the ports, usable by this crate's tests and by other crates' tests
//! (the executor story in `tests/`). Other crates enable the `testing` feature to use them; the
//! crate's own unit tests have them under `cfg(test)`. They are deterministic and keep
//! everything in memory. The value makers tests share (`text("…")`, `unit("…")`, instants…)
//! are in [`fixtures`].

pub mod campaigns;
pub mod directory;
pub mod fixtures;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::calendar::FixedCalendar;
use crate::directory::StaticDirectory;
use crate::identity::{ComplaintSecret, IdentityVault, Sealed, VaultError, VaultFuture};
use crate::services::DomainServices;
use crate::settings::{CampaignSettings, Field};
use crate::values::{TaskForceId, UnitId};

/// The same settings for every campaign.
#[derive(Debug, Clone)]
pub struct StaticSettings(pub CampaignSettings);

/// The default settings, with the county education bureau as the school-meal responder and
/// the test campaigns' [`rhythm`].
impl Default for StaticSettings {
    fn default() -> Self {
        Self(CampaignSettings {
            school_meal_responder: UnitId::parse(EDUCATION_BUREAU).ok(),
            rhythm: rhythm(),
            ..CampaignSettings::default()
        })
    }
}

/// The test campaigns' rhythm: the default, with a catch-up window of 3 days (the tests of
/// skipped dispatches count their dates with it).
pub fn rhythm() -> crate::settings::Rhythm {
    crate::settings::Rhythm {
        dispatch_catch_up_days: 3,
        ..crate::settings::Rhythm::default()
    }
}

/// The task forces of the test campaigns, one per field of the source: `yibao` (医保),
/// `xiaoyuan` (校园餐), `yanglao` (养老), `guoqi` (国资国企); none for any other field.
pub fn task_force_of(field: &Field) -> Option<TaskForceId> {
    let id = match field {
        Field::MedicalInsurance => "yibao",
        Field::SchoolMeals => "xiaoyuan",
        Field::ElderlyCare => "yanglao",
        Field::StateAssets => "guoqi",
        Field::Other(_) => return None,
    };
    TaskForceId::parse(id).ok()
}

/// A directory granting the secretariat role of each test task force to `sec-<task force>`
/// (`sec-yibao`, `sec-xiaoyuan`…), discipline inspection to `jiwei-officer`, the
/// civil-affairs role to `minzheng-officer`, and the integrator roles to `<kind>-app`.
pub fn roles_directory() -> StaticDirectory {
    use crate::organisation::{IntegratorKind, Role};
    let mut directory = StaticDirectory::default();
    for field in [
        Field::MedicalInsurance,
        Field::SchoolMeals,
        Field::ElderlyCare,
        Field::StateAssets,
    ] {
        if let Some(task_force) = task_force_of(&field) {
            let officer = crate::testing::fixtures::person(&format!("sec-{task_force}"));
            directory = directory.with_role(officer, Role::Secretariat { task_force });
        }
    }
    for kind in [
        IntegratorKind::MedicalInsurancePlatform,
        IntegratorKind::MealApp,
        IntegratorKind::TradingPlatform,
    ] {
        let app = crate::testing::fixtures::person(&format!("{}-app", kind.as_str()));
        directory = directory.with_role(app, Role::Integrator { kind });
    }
    directory
        .with_role(
            crate::testing::fixtures::person("jiwei-officer"),
            Role::DisciplineInspection,
        )
        .with_role(
            crate::testing::fixtures::person("minzheng-officer"),
            Role::CivilAffairs,
        )
}

/// The unit the test settings name as the education department.
pub const EDUCATION_BUREAU: &str = "county-education-bureau";

/// A settings source that knows no campaign: commands naming one are refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCampaigns;

/// A vault that keeps complaints' secrets in a map keyed by key reference, one key per subject.
/// It does not encrypt (it is a test double); the "ciphertext" is an opaque token. Erasing
/// removes the entry, after which [`MemoryVault::open`] returns `None` — the behaviour the real
/// vault has after shredding.
#[derive(Debug, Clone, Default)]
pub struct MemoryVault {
    keys: Arc<Mutex<BTreeMap<String, ComplaintSecret>>>,
}

impl MemoryVault {
    /// The secret behind `key_ref`, while its key exists.
    pub fn open(&self, key_ref: &str) -> Option<ComplaintSecret> {
        self.lock().get(key_ref).cloned()
    }

    /// How many keys the vault holds.
    pub fn keys(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, ComplaintSecret>> {
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl IdentityVault for MemoryVault {
    fn seal<'a>(
        &'a self,
        subject: &'a str,
        secret: &'a ComplaintSecret,
    ) -> VaultFuture<'a, Sealed> {
        Box::pin(async move {
            let key_ref = format!("key:{subject}");
            self.lock().insert(key_ref.clone(), secret.clone());
            Ok(Sealed {
                ciphertext: format!("sealed:{}", key_ref.len()),
                key_ref,
            })
        })
    }

    fn erase<'a>(&'a self, key_ref: &'a str) -> VaultFuture<'a, ()> {
        Box::pin(async move {
            match self.lock().remove(key_ref) {
                Some(_) => Ok(()),
                None => Err(VaultError(format!("no key {key_ref}"))),
            }
        })
    }
}

/// Services for tests: default settings, weekdays calendar, the given directory, a fresh vault.
pub fn services(directory: StaticDirectory) -> (DomainServices, MemoryVault) {
    let vault = MemoryVault::default();
    let services = DomainServices {
        calendar: Arc::new(FixedCalendar::weekdays()),
        directory: Arc::new(directory),
        vault: Arc::new(vault.clone()),
        settings: Arc::new(StaticSettings::default()),
    };
    (services, vault)
}

/// Services for the rule tests: [`services`] with the [`officer_directory`].
pub fn default_services() -> DomainServices {
    services(officer_directory()).0
}

/// A directory in which [`fixtures::officer`] (`officer-1`) holds every role a person can —
/// the four secretariats, discipline inspection, the civil-affairs authority, admin and the
/// integrators — so the tests of an aggregate's rules need not stage its roles. Each
/// aggregate's own role tests use other actors to show the parties it needs.
pub fn officer_directory() -> StaticDirectory {
    use crate::organisation::{IntegratorKind, Role};
    let officer = fixtures::officer();
    let mut directory = roles_directory();
    for field in [
        Field::MedicalInsurance,
        Field::SchoolMeals,
        Field::ElderlyCare,
        Field::StateAssets,
    ] {
        if let Some(task_force) = task_force_of(&field) {
            directory = directory.with_role(officer.clone(), Role::Secretariat { task_force });
        }
    }
    for kind in [
        IntegratorKind::MedicalInsurancePlatform,
        IntegratorKind::MealApp,
        IntegratorKind::TradingPlatform,
    ] {
        directory = directory.with_role(officer.clone(), Role::Integrator { kind });
    }
    directory
        .with_role(officer.clone(), Role::DisciplineInspection)
        .with_role(officer.clone(), Role::CivilAffairs)
        .with_role(officer, Role::Admin)
}

/// `services` with a settings source that knows no campaign ([`NoCampaigns`]).
pub fn without_campaigns(services: DomainServices) -> DomainServices {
    DomainServices {
        settings: Arc::new(NoCampaigns),
        ..services
    }
}

/// [`default_services`] with `settings` for every campaign.
pub fn services_with_settings(settings: CampaignSettings) -> DomainServices {
    DomainServices {
        settings: Arc::new(StaticSettings(settings)),
        ..default_services()
    }
}
