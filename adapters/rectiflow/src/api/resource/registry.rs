//! The registries: the supplier blacklist (黑名单) and the care homes (星级评定+动态监管). Their
//! streams are named by the supplier's or the home's id; the first command creates one (send
//! `If-Match: "0"` or `*`).

use rectiflow_domain::registry::{CareHome, CareHomeCommand, Supplier, SupplierCommand};

use super::{act, Action, ReadRule, Resource};

/// 供应商黑名单 — suppliers barred from school-meal and other procurement.
pub struct Suppliers;

impl Resource for Suppliers {
    type Aggregate = Supplier;
    type Body = SupplierCommand;
    const COLLECTION: &'static str = "suppliers";
    const READ: ReadRule = ReadRule::CountyWide;
    const TAG: &'static str = "suppliers 供应商黑名单";
    const ACTIONS: &'static [Action] = &[
        act("blacklist", "Put the supplier on the blacklist"),
        act("remove_from_blacklist", "Take it off the blacklist"),
        act("check_award", "Check an award against the blacklist"),
    ];
}

/// 养老机构 — care homes: inspections, rectification orders, licences, the blacklist.
pub struct CareHomes;

impl Resource for CareHomes {
    type Aggregate = CareHome;
    type Body = CareHomeCommand;
    const COLLECTION: &'static str = "care-homes";
    const READ: ReadRule = ReadRule::CareHomes;
    const TAG: &'static str = "care homes 养老机构";
    const ACTIONS: &'static [Action] = &[
        act("record_inspection", "Record an inspection"),
        act("order_rectification", "Order a rectification"),
        act(
            "record_rectification_result",
            "Record the rectification's result",
        ),
        act("revoke_licence", "Revoke the licence"),
        act("blacklist", "Put the home on the blacklist"),
        act("remove_from_blacklist", "Take it off the blacklist"),
    ];
}
