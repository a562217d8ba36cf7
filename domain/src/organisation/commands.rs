//! What may be asked of the organisation.

use serde::{Deserialize, Serialize};

use super::roles::Role;
use crate::values::{PersonId, Text, UnitId};

/// The body of an organisation command; it travels in a [`crate::Command`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrganisationCommand {
    /// Creates the organisation and names its first admin. Once only; the only command an
    /// actor without the admin role may send.
    Bootstrap { admin: PersonId },
    /// Registers a unit that can own items and is ranked.
    RegisterUnit {
        unit: UnitId,
        name: Text,
        kind: UnitKind,
    },
    /// Registers a person in a registered unit.
    RegisterPerson {
        person: PersonId,
        name: Text,
        unit: UnitId,
    },
    /// Moves a person to another unit (a transfer of post). A head who moves stops heading.
    MovePerson { person: PersonId, to: UnitId },
    /// Appoints the unit's head (一把手), one of its persons.
    AppointHead { unit: UnitId, person: PersonId },
    /// Grants a role to a registered person (an admin needs no unit: any person id).
    GrantRole { person: PersonId, role: Role },
    /// Revokes a role; refused if the person does not hold it, or if it would leave the
    /// organisation without an admin.
    RevokeRole { person: PersonId, role: Role },
}

impl OrganisationCommand {
    /// The request's name, for refusals.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Bootstrap { .. } => "bootstrap",
            Self::RegisterUnit { .. } => "register_unit",
            Self::RegisterPerson { .. } => "register_person",
            Self::MovePerson { .. } => "move_person",
            Self::AppointHead { .. } => "appoint_head",
            Self::GrantRole { .. } => "grant_role",
            Self::RevokeRole { .. } => "revoke_role",
        }
    }

    /// The name users read, 中文.
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "bootstrap" => "初始化组织",
            "register_unit" => "登记单位",
            "register_person" => "登记人员",
            "move_person" => "调动人员",
            "appoint_head" => "任命一把手",
            "grant_role" => "授予角色",
            "revoke_role" => "撤销角色",
            other => other,
        }
    }
}

/// What kind of body a unit is; rankings and bulletins group by it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 部门 — a county department (bureau).
    Department,
    /// 乡镇 — a township.
    Township,
    /// 学校 — a school.
    School,
    /// 医院 / 医疗机构 — a hospital or clinic.
    Hospital,
    /// 养老机构 — a care home.
    CareHome,
    /// 国有企业 — a state-owned enterprise.
    Enterprise,
    /// 供应商 — a supplier.
    Supplier,
    Other,
}
