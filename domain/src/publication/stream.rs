//! Stream ids of publications: one stream per kind, campaign, period and scope, so a second
//! publication for them is a second command on the same stream, which refuses it. A
//! correction is published on a stream of its own, `…~correction-n`.

use crate::values::{CampaignId, PublicationId, ValueError};

use super::kind::{PublicationKind, PublicationScope};

/// The separator of the parts of a publication id; no kind, campaign, period label or scope
/// contains it.
const SEPARATOR: char = '~';
const CORRECTION: &str = "correction-";

/// The stream id of the publication of `kind`, `campaign`, period `label` (from
/// [`period_label`](super::period_label)) and `scope`: `kind~campaign~label~scope`, e.g.
/// `bulletin~qunfu-2026~2026-03~county` or `dispatch~qunfu-2026~2026-03-09~task_force:yibao`.
pub fn publication_id(
    kind: PublicationKind,
    campaign: &CampaignId,
    label: &str,
    scope: &PublicationScope,
) -> Result<PublicationId, ValueError> {
    PublicationId::parse(stream_name(kind, campaign, label, scope))
}

/// The text of [`publication_id`], before it is checked as an id.
pub(super) fn stream_name(
    kind: PublicationKind,
    campaign: &CampaignId,
    label: &str,
    scope: &PublicationScope,
) -> String {
    format!(
        "{kind}{SEPARATOR}{campaign}{SEPARATOR}{label}{SEPARATOR}{scope}",
        kind = kind.as_str(),
        scope = scope.stream_part()
    )
}

/// The stream id of the `n`-th correction (n ≥ 1) of the publication `original`:
/// `original~correction-n`. Correction n corrects correction n − 1, the first the original,
/// so a retried correction lands on the stream it already wrote and is refused.
pub fn correction_id(original: &PublicationId, n: u32) -> Result<PublicationId, ValueError> {
    PublicationId::parse(format!("{original}{SEPARATOR}{CORRECTION}{n}"))
}

/// A publication id read back into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamName {
    pub kind: PublicationKind,
    /// The id of the original publication (without any correction suffix).
    pub original: String,
    /// Which correction this is; 0 for the original.
    pub correction: u32,
    /// `county` or `task_force:<id>`.
    pub scope: String,
}

impl StreamName {
    /// Reads a publication id written by [`publication_id`] or [`correction_id`]; `None` for
    /// any other shape.
    pub fn read(id: &PublicationId) -> Option<Self> {
        let parts: Vec<&str> = id.as_str().split(SEPARATOR).collect();
        let (original, correction) = match parts.as_slice() {
            [_, _, _, _] => (parts.as_slice(), 0),
            [head @ .., last] if head.len() == 4 => {
                let n: u32 = last.strip_prefix(CORRECTION)?.parse().ok()?;
                if n == 0 || last.len() != CORRECTION.len() + n.to_string().len() {
                    return None;
                }
                (head, n)
            }
            _ => return None,
        };
        let kind = PublicationKind::parse(original[0])?;
        let scope = original[3];
        let scope_ok = scope == "county"
            || scope
                .strip_prefix("task_force:")
                .is_some_and(|task_force| !task_force.is_empty());
        scope_ok.then(|| Self {
            kind,
            original: original.join("~"),
            correction,
            scope: scope.to_owned(),
        })
    }

    /// The id this publication corrects: the previous correction, or the original for the
    /// first; `None` for an original.
    pub fn corrects(&self) -> Option<String> {
        match self.correction {
            0 => None,
            1 => Some(self.original.clone()),
            n => Some(format!("{}{SEPARATOR}{CORRECTION}{}", self.original, n - 1)),
        }
    }
}
