//! Outcome indicators (成效指标): what a rectification or a case gave back to people —
//! "将反腐成果转化为民生改善的具体指标" (DOMAIN.md, items). The bulletins and the dashboard
//! (成效可视化) show them per item, case, task force and county.
//!
//! A record is a fact with its own evidence (佐证): each one **adds** to the running totals,
//! it never restates them. A record entered wrongly is not edited (the log is append-only);
//! it is offset by a correction (更正) that deducts, with a reason, and never takes a total
//! below zero.

use serde::{Deserialize, Serialize};

use super::{ValueError, Yuan};

/// One record of outcome indicators: funds recovered (追回资金), people affected (惠及群众),
/// subsidies returned (退还补贴). Amounts are exact yuan, never negative (a [`Yuan`] cannot
/// be); at least one of the three is not zero — a record of nothing is no fact.
///
/// On the wire: `{"funds_recovered": "360000.00", "people_affected": 12,
/// "subsidies_returned": "0.00"}`; a missing part is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "OutcomeTotals", into = "OutcomeTotals")]
pub struct OutcomeIndicators {
    funds_recovered: Yuan,
    people_affected: u32,
    subsidies_returned: Yuan,
}

impl OutcomeIndicators {
    /// The indicators, unless all three are zero.
    pub fn new(
        funds_recovered: Yuan,
        people_affected: u32,
        subsidies_returned: Yuan,
    ) -> Result<Self, ValueError> {
        if funds_recovered.is_zero() && people_affected == 0 && subsidies_returned.is_zero() {
            return Err(ValueError::Invalid {
                kind: "成效指标",
                value: OutcomeTotals::default().describe(),
                rule: "追回资金、惠及群众、退还补贴至少一项须大于零",
            });
        }
        Ok(Self {
            funds_recovered,
            people_affected,
            subsidies_returned,
        })
    }

    /// 追回资金 — funds recovered, in yuan.
    pub fn funds_recovered(self) -> Yuan {
        self.funds_recovered
    }

    /// 惠及群众 — people affected (whose loss was made good).
    pub fn people_affected(self) -> u32 {
        self.people_affected
    }

    /// 退还补贴 — subsidies returned to those entitled, in yuan.
    pub fn subsidies_returned(self) -> Yuan {
        self.subsidies_returned
    }

    /// The record as users read it (中文), in messages: see [`OutcomeTotals::describe`].
    pub fn describe(self) -> String {
        OutcomeTotals::from(self).describe()
    }
}

impl TryFrom<OutcomeTotals> for OutcomeIndicators {
    type Error = ValueError;
    fn try_from(raw: OutcomeTotals) -> Result<Self, ValueError> {
        Self::new(
            raw.funds_recovered,
            raw.people_affected,
            raw.subsidies_returned,
        )
    }
}

impl From<OutcomeIndicators> for OutcomeTotals {
    fn from(value: OutcomeIndicators) -> Self {
        Self {
            funds_recovered: value.funds_recovered,
            people_affected: value.people_affected,
            subsidies_returned: value.subsidies_returned,
        }
    }
}

/// The running totals of every record minus every correction, as projections read them.
/// Zero until something is recorded.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct OutcomeTotals {
    #[serde(default)]
    pub funds_recovered: Yuan,
    #[serde(default)]
    pub people_affected: u32,
    #[serde(default)]
    pub subsidies_returned: Yuan,
}

impl OutcomeTotals {
    /// The totals as users read them (中文), in messages:
    /// `追回资金 360000.00 元、惠及群众 12 人、退还补贴 0.00 元`.
    pub fn describe(&self) -> String {
        format!(
            "追回资金 {} 元、惠及群众 {} 人、退还补贴 {} 元",
            self.funds_recovered, self.people_affected, self.subsidies_returned
        )
    }

    /// The totals with `record` added, unless a total would exceed what it can hold.
    pub fn checked_add(self, record: OutcomeIndicators) -> Option<Self> {
        Some(Self {
            funds_recovered: self.funds_recovered.checked_add(record.funds_recovered)?,
            people_affected: self.people_affected.checked_add(record.people_affected)?,
            subsidies_returned: self
                .subsidies_returned
                .checked_add(record.subsidies_returned)?,
        })
    }

    /// The totals with `correction` deducted, unless a total would fall below zero: a
    /// correction takes back what was recorded, never more.
    pub fn checked_sub(self, correction: OutcomeIndicators) -> Option<Self> {
        Some(Self {
            funds_recovered: self
                .funds_recovered
                .checked_sub(correction.funds_recovered)?,
            people_affected: self
                .people_affected
                .checked_sub(correction.people_affected)?,
            subsidies_returned: self
                .subsidies_returned
                .checked_sub(correction.subsidies_returned)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(s: &str) -> Yuan {
        Yuan::parse(s).expect("an amount")
    }

    #[test]
    fn a_record_of_nothing_is_refused() {
        assert!(OutcomeIndicators::new(Yuan::ZERO, 0, Yuan::ZERO).is_err());
        assert!(OutcomeIndicators::new(Yuan::ZERO, 1, Yuan::ZERO).is_ok());
        assert!(OutcomeIndicators::new(yuan("0.01"), 0, Yuan::ZERO).is_ok());
        assert!(OutcomeIndicators::new(Yuan::ZERO, 0, yuan("0.01")).is_ok());
        assert!(serde_json::from_str::<OutcomeIndicators>("{}").is_err());
        assert!(serde_json::from_str::<OutcomeIndicators>(
            r#"{"funds_recovered":"0","people_affected":0,"subsidies_returned":"0.00"}"#
        )
        .is_err());
    }

    #[test]
    fn amounts_are_exact_decimal_strings_and_never_negative() {
        let json = r#"{"funds_recovered":"360000.5","people_affected":12}"#;
        let record: OutcomeIndicators = serde_json::from_str(json).expect("valid");
        assert_eq!(record.funds_recovered(), yuan("360000.50"));
        assert_eq!(record.subsidies_returned(), Yuan::ZERO);
        assert_eq!(
            serde_json::to_value(record).expect("json"),
            serde_json::json!({
                "funds_recovered": "360000.50",
                "people_affected": 12,
                "subsidies_returned": "0.00"
            })
        );
        for bad in [
            r#"{"funds_recovered":"-1"}"#,
            r#"{"funds_recovered":1.5}"#,
            r#"{"people_affected":-3}"#,
        ] {
            assert!(
                serde_json::from_str::<OutcomeIndicators>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn records_add_and_corrections_deduct_never_below_zero() {
        let a = OutcomeIndicators::new(yuan("100.10"), 3, Yuan::ZERO).expect("valid");
        let b = OutcomeIndicators::new(yuan("0.20"), 0, yuan("5")).expect("valid");
        let totals = OutcomeTotals::default()
            .checked_add(a)
            .and_then(|t| t.checked_add(b))
            .expect("fits");
        assert_eq!(
            totals,
            OutcomeTotals {
                funds_recovered: yuan("100.30"),
                people_affected: 3,
                subsidies_returned: yuan("5.00"),
            }
        );
        assert_eq!(
            totals.checked_sub(b).and_then(|t| t.checked_sub(a)),
            Some(OutcomeTotals::default())
        );
        let too_much = OutcomeIndicators::new(Yuan::ZERO, 4, Yuan::ZERO).expect("valid");
        assert_eq!(totals.checked_sub(too_much), None);
        let huge = OutcomeIndicators::new(Yuan::from_fen(u64::MAX), 0, Yuan::ZERO).expect("valid");
        assert_eq!(totals.checked_add(huge), None);
    }
}
