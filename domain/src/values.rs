//! Value types shared by the aggregates. Each has a `parse` constructor, so an invalid value
//! cannot exist: a command that carries one has already been validated at the edge.

use std::fmt;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Why a value could not be constructed. The message names the field's kind and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("{kind} must not be empty")]
    Empty { kind: &'static str },
    #[error("{kind} is too long: {len} characters, at most {max}")]
    TooLong {
        kind: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{kind} {value:?} is not valid: {rule}")]
    Invalid {
        kind: &'static str,
        value: String,
        rule: &'static str,
    },
    #[error("{kind} {value} is out of range {min}..={max}")]
    OutOfRange {
        kind: &'static str,
        value: String,
        min: String,
        max: String,
    },
}

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        ///
        /// 1 to 64 characters of ASCII letters, digits, `_`, `-`, `.` and `:`.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
                parse_identifier($kind, value.into()).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(value: String) -> Result<Self, ValueError> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                Self::parse(s)
            }
        }
    };
}

fn parse_identifier(kind: &'static str, value: String) -> Result<String, ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty { kind });
    }
    if value.len() > 64 {
        return Err(ValueError::TooLong {
            kind,
            len: value.len(),
            max: 64,
        });
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
    {
        return Err(ValueError::Invalid {
            kind,
            value,
            rule: "only ASCII letters, digits, '_', '-', '.' and ':'",
        });
    }
    Ok(value)
}

identifier!(
    /// A campaign (整治行动), e.g. `qunfu-2026`.
    CampaignId, "campaign id");
identifier!(
    /// A task force (专班), e.g. `yibao` for the medical-insurance fund task force.
    TaskForceId, "task force id");
identifier!(
    /// A unit (单位): department, township, school, hospital, care home, enterprise, supplier.
    UnitId, "unit id");
identifier!(
    /// A named person: a responsible person (责任人), a secretariat officer, a leader, or a
    /// system actor such as `system:scheduler`.
    PersonId, "person id");
identifier!(
    /// A case (案件).
    CaseId, "case id");
identifier!(
    /// A clue (问题线索).
    ClueId, "clue id");
identifier!(
    /// A complaint (举报/投诉).
    ComplaintId, "complaint id");
identifier!(
    /// A satisfaction survey round (群众满意度测评).
    SurveyId, "survey id");
identifier!(
    /// An admonishment (约谈提醒).
    AdmonishmentId, "admonishment id");

/// The code of an item of the issue list (问题清单), e.g. `YB-2026-0001`: a prefix of 2–6
/// capital letters (the task force), the campaign year, and a serial of 4–8 digits. The code is
/// the item's stream id, so the store refuses a second item with the same code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ItemCode(String);

impl ItemCode {
    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        let mut parts = value.split('-');
        let (prefix, year, serial) = (parts.next(), parts.next(), parts.next());
        let ok = match (prefix, year, serial, parts.next()) {
            (Some(p), Some(y), Some(s), None) => {
                (2..=6).contains(&p.len())
                    && p.chars().all(|c| c.is_ascii_uppercase())
                    && y.len() == 4
                    && y.chars().all(|c| c.is_ascii_digit())
                    && (4..=8).contains(&s.len())
                    && s.chars().all(|c| c.is_ascii_digit())
            }
            _ => false,
        };
        if ok {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid {
                kind: "item code",
                value,
                rule: "PREFIX-YYYY-NNNN: 2-6 capital letters, a 4-digit year, 4-8 digits",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ItemCode {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<ItemCode> for String {
    fn from(value: ItemCode) -> String {
        value.0
    }
}

impl fmt::Display for ItemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Free text that must say something: trimmed, not empty, at most `MAX` characters, and no
/// control characters but line breaks and tabs (a NUL, for one, cannot be stored in JSONB).
/// Used for titles, reasons, findings, measures.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    pub const MAX: usize = 20_000;

    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ValueError::Empty { kind: "text" });
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ValueError::Invalid {
                kind: "text",
                value: trimmed.escape_debug().to_string(),
                rule: "no control characters other than line breaks and tabs",
            });
        }
        let len = trimmed.chars().count();
        if len > Self::MAX {
            return Err(ValueError::TooLong {
                kind: "text",
                len,
                max: Self::MAX,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Text {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<Text> for String {
    fn from(value: Text) -> String {
        value.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! bounded_int {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    Percent, "percent", 0u8, 100u8);
bounded_int!(
    /// A complainant's satisfaction rating, 1–5; mapped to 0–100 by [`Rating::as_score`].
    Rating, "rating", 1u8, 5u8);
bounded_int!(
    /// A care home's star rating (星级), 1–5.
    Stars, "star rating", 1u8, 5u8);

impl Rating {
    /// 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100: the scale satisfaction scores are kept in.
    pub fn as_score(self) -> Score {
        Score(f64::from(self.0 - 1) * 25.0)
    }
}

/// A score on the 0–100 scale (survey results, assessment parts). Always finite.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Score(f64);

impl Score {
    pub fn parse(value: f64) -> Result<Self, ValueError> {
        if value.is_finite() && (0.0..=100.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ValueError::OutOfRange {
                kind: "score",
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

/// A SHA-256 digest, written as 64 lowercase hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

impl Sha256Hex {
    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into().to_ascii_lowercase();
        if value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid {
                kind: "sha256",
                value,
                rule: "64 hexadecimal digits",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<Sha256Hex> for String {
    fn from(value: Sha256Hex) -> String {
        value.0
    }
}

/// A reference to a piece of evidence (佐证材料) kept elsewhere: the log keeps its name, media
/// type, size, digest and location, never the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub name: Text,
    pub media_type: MediaType,
    pub size: u64,
    pub sha256: Sha256Hex,
    pub uri: Uri,
}

/// A media type such as `image/jpeg` or `application/pdf`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MediaType(String);

impl MediaType {
    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into().to_ascii_lowercase();
        let valid = value.len() <= 255
            && value.split_once('/').is_some_and(|(top, sub)| {
                let token = |s: &str| {
                    !s.is_empty()
                        && s.chars().all(|c| {
                            c.is_ascii_alphanumeric()
                                || matches!(c, '!' | '#' | '$' | '&' | '^' | '_' | '.' | '+' | '-')
                        })
                };
                token(top) && token(sub)
            });
        if valid {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid {
                kind: "media type",
                value,
                rule: "type/subtype, e.g. image/jpeg",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MediaType {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<MediaType> for String {
    fn from(value: MediaType) -> String {
        value.0
    }
}

/// An absolute URI with a scheme (`https:`, `s3:`, `oss:`…), at most 2,048 characters, no
/// whitespace or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uri(String);

impl Uri {
    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        let scheme_ok = value.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        let chars_ok = !value.chars().any(|c| c.is_whitespace() || c.is_control());
        if scheme_ok && chars_ok && value.len() <= 2048 {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid {
                kind: "uri",
                value,
                rule: "an absolute URI with a scheme, no spaces, at most 2048 characters",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Uri {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<Uri> for String {
    fn from(value: Uri) -> String {
        value.0
    }
}

/// A deadline (时限): a local date. An item is due by 24:00 of that date in the campaign's time
/// zone, i.e. the deadline passes at 00:00 of the next local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Deadline(NaiveDate);

impl Deadline {
    pub fn new(date: NaiveDate) -> Self {
        Self(date)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(Self)
            .map_err(|_| ValueError::Invalid {
                kind: "deadline",
                value: value.to_owned(),
                rule: "a date as YYYY-MM-DD",
            })
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// The instant the deadline passes: 24:00 of the date in `tz` (00:00 of the next day).
    /// Where that local midnight does not exist (a DST gap), the first instant after it.
    pub fn passes_at(self, tz: Tz) -> DateTime<Utc> {
        let next = self
            .0
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
        local_start_of_day(next, tz)
    }
}

/// The first instant of a local date in `tz`, in UTC.
pub fn local_start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // No midnight that day (a DST jump at 00:00): take 01:00, the first local hour that exists.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

/// The local date of an instant in `tz`.
pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_codes_follow_the_ledger_pattern() {
        assert!(ItemCode::parse("YB-2026-0001").is_ok());
        assert!(ItemCode::parse("XYC-2026-12345").is_ok());
        for bad in [
            "yb-2026-0001",
            "YB-26-0001",
            "YB-2026-01",
            "YB2026-0001",
            "YB-2026-0001-1",
            "",
        ] {
            assert!(ItemCode::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn identifiers_refuse_empty_long_and_odd_characters() {
        assert!(UnitId::parse("county-health-bureau").is_ok());
        assert!(matches!(UnitId::parse(""), Err(ValueError::Empty { .. })));
        assert!(matches!(
            UnitId::parse("a".repeat(65)),
            Err(ValueError::TooLong { .. })
        ));
        assert!(matches!(
            UnitId::parse("a b"),
            Err(ValueError::Invalid { .. })
        ));
        // serde goes through parse too: a bad id in a payload cannot be deserialised.
        assert!(serde_json::from_str::<UnitId>("\"a b\"").is_err());
    }

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

    #[test]
    fn text_is_trimmed_and_must_say_something() {
        assert_eq!(
            Text::parse("  食材抽检不合格 ").map(|t| t.as_str().to_owned()),
            Ok("食材抽检不合格".into())
        );
        assert!(Text::parse("   ").is_err());
        assert!(
            Text::parse("a\u{0}b").is_err(),
            "NUL cannot be stored in JSONB"
        );
        assert!(Text::parse("第一行\n第二行\t完").is_ok());
    }

    #[test]
    fn evidence_parts_are_validated() {
        assert!(Sha256Hex::parse("ab".repeat(32)).is_ok());
        assert!(Sha256Hex::parse("zz".repeat(32)).is_err());
        assert!(MediaType::parse("image/jpeg").is_ok());
        assert!(MediaType::parse("jpeg").is_err());
        assert!(Uri::parse("https://files.example/evidence/1.jpg").is_ok());
        assert!(Uri::parse("no scheme here").is_err());
    }

    #[test]
    fn a_deadline_passes_at_local_midnight_after_its_date() {
        let deadline = Deadline::parse("2026-03-31").expect("valid");
        // Asia/Shanghai is UTC+8: 2026-04-01 00:00 local = 2026-03-31 16:00 UTC.
        let at = deadline.passes_at(chrono_tz::Asia::Shanghai);
        assert_eq!(at.to_rfc3339(), "2026-03-31T16:00:00+00:00");
        assert_eq!(
            local_date(at, chrono_tz::Asia::Shanghai).to_string(),
            "2026-04-01"
        );
        assert!(Deadline::parse("2026-02-30").is_err());
    }
}
