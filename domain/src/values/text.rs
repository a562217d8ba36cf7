//! Codes and free text: the item code of the issue list, and [`Text`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueError;

/// The code of an item of the issue list (问题清单), e.g. `YB-2026-0001`: a prefix of 2–6
/// capital letters (the task force), the campaign year, and a serial of 4–8 digits. The code is
/// the item's stream id, so the store refuses a second item with the same code.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
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
                kind: "问题编号",
                value,
                rule: "应为“前缀-年份-序号”（PREFIX-YYYY-NNNN）：2 至 6 位大写字母、4 位年份、4 至 8 位数字",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The task force's prefix, `YB` of `YB-2026-0001`.
    pub fn prefix(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }

    /// The campaign year, 2026 of `YB-2026-0001` (parsing checked four digits).
    pub fn year(&self) -> u16 {
        self.0
            .split('-')
            .nth(1)
            .and_then(|year| year.parse().ok())
            .unwrap_or_default()
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
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    pub const MAX: usize = 20_000;

    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ValueError::Empty { kind: "文本" });
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ValueError::Invalid {
                kind: "文本",
                value: trimmed.escape_debug().to_string(),
                rule: "除换行符和制表符外，不得含有控制字符",
            });
        }
        let len = trimmed.chars().count();
        if len > Self::MAX {
            return Err(ValueError::TooLong {
                kind: "文本",
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
}
