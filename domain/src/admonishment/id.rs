//! The stream id of a policy-triggered admonishment.

use crate::values::{AdmonishmentId, PublicationId, UnitId, ValueError};

/// The admonishment of `unit` resting on `publication`: `publication~unit`, e.g.
/// `bulletin~qunfu-2026~2026-03~county~township-a`. One stream per publication and unit, so a
/// unit gets at most one admonishment per publication (listing every rule that fired) and a
/// retried policy lands on the stream it already wrote, which refuses it.
pub fn admonishment_id(
    publication: &PublicationId,
    unit: &UnitId,
) -> Result<AdmonishmentId, ValueError> {
    AdmonishmentId::parse(format!("{publication}~{unit}"))
}
