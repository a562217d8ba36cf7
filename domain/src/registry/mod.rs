//! # Registry: supplier blacklist (供应商黑名单) and care-home ratings (养老机构星级评定)
//!
//! Two small aggregates that keep a standing judgement about a unit:
//! - [`supplier::Supplier`] (TYPE `supplier`, stream id = the supplier's
//!   [`UnitId`](crate::values::UnitId)): a supplier found colluding in bids or bribing is
//!   blacklisted for a period; while it is listed every award to it is refused — the
//!   one-vote veto (一票否决) — and the award check is itself recorded when it passes.
//! - [`care_home::CareHome`] (TYPE `care_home`, stream id = the home's `UnitId`): an inspection
//!   of three weighted dimensions gives a star rating; a violation becomes an item with a
//!   deadline to rectify; a failure allows the civil-affairs authority to revoke the licence
//!   (取消运营资格); violating homes go on the care-home blacklist.

pub mod care_home;
pub mod supplier;

pub use care_home::{CareHome, CareHomeCommand, CareHomeError, CareHomeEvent};
pub use supplier::{Supplier, SupplierCommand, SupplierError, SupplierEvent};
