//! Why an organisation command was refused. Each error has a stable dotted code.

use crate::failure::DomainError;
use crate::values::{PersonId, UnitId};

use super::commands::OrganisationCommand;
use super::roles::Role;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrganisationError {
    #[error("组织尚未初始化")]
    NotBootstrapped,
    #[error("组织已初始化")]
    AlreadyBootstrapped,
    #[error(
        "{actor} 无权{}：组织信息仅由系统管理员变更",
        OrganisationCommand::label_of(request)
    )]
    NotAdmin {
        actor: PersonId,
        request: &'static str,
    },
    #[error("单位 {0} 已登记")]
    DuplicateUnit(UnitId),
    #[error("单位 {0} 不存在")]
    UnknownUnit(UnitId),
    #[error("人员 {0} 已登记")]
    DuplicatePerson(PersonId),
    #[error("人员 {0} 不存在")]
    UnknownPerson(PersonId),
    #[error("人员 {person} 已属于单位 {unit}")]
    AlreadyInUnit { person: PersonId, unit: UnitId },
    #[error("{person} 不是单位 {unit} 的工作人员")]
    NotInUnit { person: PersonId, unit: UnitId },
    #[error("{person} 已是单位 {unit} 的一把手")]
    AlreadyHead { person: PersonId, unit: UnitId },
    #[error("{person} 已具有“{role}”角色")]
    AlreadyHolds { person: PersonId, role: Role },
    #[error("{person} 不具有“{role}”角色")]
    DoesNotHold { person: PersonId, role: Role },
    #[error("{0} 是系统执行方而非人员，不能具有角色")]
    SystemActor(PersonId),
    #[error("不能撤销最后一名系统管理员，否则组织将无人管理")]
    LastAdmin,
}

impl DomainError for OrganisationError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotBootstrapped => "organisation.not_bootstrapped",
            Self::AlreadyBootstrapped => "organisation.already_bootstrapped",
            Self::NotAdmin { .. } => "organisation.not_admin",
            Self::DuplicateUnit(_) => "organisation.duplicate_unit",
            Self::UnknownUnit(_) => "organisation.unknown_unit",
            Self::DuplicatePerson(_) => "organisation.duplicate_person",
            Self::UnknownPerson(_) => "organisation.unknown_person",
            Self::AlreadyInUnit { .. } => "organisation.already_in_unit",
            Self::NotInUnit { .. } => "organisation.not_in_unit",
            Self::AlreadyHead { .. } => "organisation.already_head",
            Self::AlreadyHolds { .. } => "organisation.already_holds",
            Self::DoesNotHold { .. } => "organisation.does_not_hold",
            Self::SystemActor(_) => "organisation.system_actor",
            Self::LastAdmin => "organisation.last_admin",
        }
    }
}
