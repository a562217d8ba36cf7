//! Bounded numbers and scores: progress percent, ratings, star ratings, 0–100 scores.

use serde::{Deserialize, Serialize};

use super::ValueError;

macro_rules! bounded_int {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(try_from = "u8", into = "u8")]
        pub struct $name(u8);

        impl $name {
            pub fn parse(value: u8) -> Result<Self, ValueError> {
                if ($min..=$max).contains(&value) {
                    Ok(Self(value))
                } else {
                    Err(ValueError::OutOfRange {
                        kind: $kind,
                        value: value.to_string(),
                        min: $min.to_string(),
                        max: $max.to_string(),
                    })
                }
            }

            pub fn get(self) -> u8 {
                self.0
            }
        }

        impl TryFrom<u8> for $name {
            type Error = ValueError;
            fn try_from(value: u8) -> Result<Self, ValueError> {
                Self::parse(value)
            }
        }

        impl From<$name> for u8 {
            fn from(value: $name) -> u8 {
                value.0
            }
        }
    };
}

bounded_int!(
    /// Progress of an item's measures, 0–100 %.
    Percent, "进度百分比", 0u8, 100u8);
bounded_int!(
    /// A complainant's satisfaction rating, 1–5; mapped to 0–100 by [`Rating::as_score`].
    Rating, "满意度评价", 1u8, 5u8);
bounded_int!(
    /// A care home's star rating (星级), 1–5.
    Stars, "星级", 1u8, 5u8);

impl Rating {
    /// 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100: the scale satisfaction scores are kept in.
    pub fn as_score(self) -> Score {
        Score(f64::from(self.0 - 1) * 25.0)
    }
}

/// A score on the 0–100 scale (survey results, assessment parts). Always finite.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "f64", into = "f64")]
pub struct Score(f64);

impl Score {
    pub fn parse(value: f64) -> Result<Self, ValueError> {
        if value.is_finite() && (0.0..=100.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ValueError::OutOfRange {
                kind: "分值",
                value: value.to_string(),
                min: "0".into(),
                max: "100".into(),
            })
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Score {
    type Error = ValueError;
    fn try_from(value: f64) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<Score> for f64 {
    fn from(value: Score) -> f64 {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_numbers_refuse_out_of_range() {
        assert!(Percent::parse(100).is_ok());
        assert!(Percent::parse(101).is_err());
        assert!(Rating::parse(0).is_err());
        assert_eq!(Rating::parse(5).map(Rating::as_score), Ok(Score(100.0)));
        assert_eq!(Rating::parse(1).map(Rating::as_score), Ok(Score(0.0)));
        assert!(Score::parse(f64::NAN).is_err());
        assert!(Score::parse(100.5).is_err());
    }
}
