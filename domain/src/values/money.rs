//! Money: an exact, non-negative amount in yuan (元), e.g. the amount involved in a case.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueError;

/// A non-negative amount of yuan, exact to the fen (分, 0.01 yuan). Kept as a whole number of
/// fen, so no amount is ever rounded; written and read as a decimal string (`"12345.60"`),
/// never as a JSON number, so no float ever touches it.
///
/// [`Yuan::parse`] accepts digits with at most two fractional digits (`"12345"`, `"12345.6"`,
/// `"12345.60"`); no sign, exponent, separator or space. It prints with exactly two
/// fractional digits.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct Yuan {
    fen: u64,
}

impl Yuan {
    pub const ZERO: Yuan = Yuan { fen: 0 };

    pub fn from_fen(fen: u64) -> Self {
        Self { fen }
    }

    /// The amount in fen (hundredths of a yuan).
    pub fn fen(self) -> u64 {
        self.fen
    }

    /// Parses a decimal string of yuan with at most two fractional digits.
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        let invalid = |rule| ValueError::Invalid {
            kind: "金额（元）",
            value: value.to_owned(),
            rule,
        };
        const RULE: &str = "应为数字，可带小数点及一至两位小数，如 12345.60";
        if value.is_empty() {
            return Err(ValueError::Empty {
                kind: "金额（元）"
            });
        }
        let (whole, fraction) = match value.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (value, None),
        };
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) {
            return Err(invalid(RULE));
        }
        let fraction_fen = match fraction {
            None => 0,
            Some(fraction) if !digits(fraction) => return Err(invalid(RULE)),
            Some(fraction) if fraction.len() > 2 => {
                return Err(invalid("最多两位小数（精确到分）"))
            }
            Some(fraction) => {
                let padded = if fraction.len() == 1 { 10 } else { 1 };
                fraction.parse::<u64>().map_err(|_| invalid(RULE))? * padded
            }
        };
        let too_large = || ValueError::OutOfRange {
            kind: "金额（元）",
            value: value.to_owned(),
            min: "0".into(),
            max: Yuan::from_fen(u64::MAX).to_string(),
        };
        let whole: u64 = whole.parse().map_err(|_| too_large())?;
        let fen = whole
            .checked_mul(100)
            .and_then(|fen| fen.checked_add(fraction_fen))
            .ok_or_else(too_large)?;
        Ok(Self { fen })
    }

    /// The sum, unless it exceeds what a `Yuan` holds.
    pub fn checked_add(self, other: Yuan) -> Option<Yuan> {
        self.fen.checked_add(other.fen).map(Yuan::from_fen)
    }

    /// The difference, unless it would be negative (an amount is never below zero).
    pub fn checked_sub(self, other: Yuan) -> Option<Yuan> {
        self.fen.checked_sub(other.fen).map(Yuan::from_fen)
    }

    pub fn is_zero(self) -> bool {
        self.fen == 0
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.fen / 100, self.fen % 100)
    }
}

impl std::str::FromStr for Yuan {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Yuan {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(&value)
    }
}

impl From<Yuan> for String {
    fn from(value: Yuan) -> String {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_parse_whole_and_fractional_amounts_exactly() {
        assert_eq!(Yuan::parse("0").map(Yuan::fen), Ok(0));
        assert_eq!(Yuan::parse("12345").map(Yuan::fen), Ok(1_234_500));
        assert_eq!(Yuan::parse("12345.6").map(Yuan::fen), Ok(1_234_560));
        assert_eq!(Yuan::parse("12345.06").map(Yuan::fen), Ok(1_234_506));
        assert_eq!(Yuan::parse("0.01").map(Yuan::fen), Ok(1));
        // 0.1 + 0.2 is 0.3 here, as it is on paper.
        let sum = Yuan::parse("0.1")
            .ok()
            .zip(Yuan::parse("0.2").ok())
            .and_then(|(a, b)| a.checked_add(b));
        assert_eq!(sum, Yuan::parse("0.3").ok());
    }

    #[test]
    fn yuan_refuse_signs_floats_and_fractions_of_a_fen() {
        for bad in [
            "", "-1", "+1", "-0", "1.234", "1.", ".5", "1e3", "1,000", " 1", "1 ", "NaN", "1.2.3",
            "１２", "0x10",
        ] {
            assert!(Yuan::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(matches!(
            Yuan::parse("184467440737095516.16"),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            Yuan::parse("99999999999999999999999"),
            Err(ValueError::OutOfRange { .. })
        ));
        assert_eq!(
            Yuan::parse("184467440737095516.15").map(Yuan::fen),
            Ok(u64::MAX)
        );
    }

    #[test]
    fn yuan_print_and_serialize_as_a_decimal_string_never_a_number() {
        assert_eq!(Yuan::from_fen(1_234_560).to_string(), "12345.60");
        assert_eq!(Yuan::from_fen(7).to_string(), "0.07");
        assert_eq!(Yuan::ZERO.to_string(), "0.00");
        let json = serde_json::to_string(&Yuan::from_fen(1_234_560)).expect("json");
        assert_eq!(json, "\"12345.60\"");
        assert_eq!(
            serde_json::from_str::<Yuan>("\"12345.6\"").ok(),
            Some(Yuan::from_fen(1_234_560))
        );
        assert!(serde_json::from_str::<Yuan>("12345.6").is_err());
        assert!(serde_json::from_str::<Yuan>("12345").is_err());
        assert!(serde_json::from_str::<Yuan>("\"-5\"").is_err());
        for fen in [0, 1, 99, 100, 101, 123_456_789, u64::MAX] {
            let yuan = Yuan::from_fen(fen);
            assert_eq!(Yuan::parse(&yuan.to_string()), Ok(yuan));
        }
    }
}
