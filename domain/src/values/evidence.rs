//! Evidence references (佐证材料): digest, media type, location.

use serde::{Deserialize, Serialize};

use super::{Text, ValueError};

/// A SHA-256 digest, written as 64 lowercase hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

impl Sha256Hex {
    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into().to_ascii_lowercase();
        if value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid {
                kind: "SHA-256 摘要",
                value,
                rule: "应为 64 位十六进制数字",
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EvidenceRef {
    pub name: Text,
    pub media_type: MediaType,
    pub size: u64,
    pub sha256: Sha256Hex,
    pub uri: Uri,
}

/// A media type such as `image/jpeg` or `application/pdf`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
                kind: "文件类型",
                value,
                rule: "应为“类型/子类型”格式，如 image/jpeg",
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
                kind: "存储地址（URI）",
                value,
                rule: "应为带协议名的绝对 URI，不含空白字符，最长 2048 个字符",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_parts_are_validated() {
        assert!(Sha256Hex::parse("ab".repeat(32)).is_ok());
        assert!(Sha256Hex::parse("zz".repeat(32)).is_err());
        assert!(MediaType::parse("image/jpeg").is_ok());
        assert!(MediaType::parse("jpeg").is_err());
        assert!(Uri::parse("https://files.example/evidence/1.jpg").is_ok());
        assert!(Uri::parse("no scheme here").is_err());
    }
}
