//! The canonical JSON of the chain (v3, unchanged since v2): the exact bytes of an event's
//! payload and metadata that the content hash covers (specified for outside auditors in
//! `docs/CHAIN.md`).
//!
//! Ours, written here, rather than whatever the linked serde_json prints: serde_json's output
//! (its float format in particular) is not a contract and has changed between releases, and
//! a log must verify under every build that will ever read it. The form is RFC 8785 (JCS) with
//! one deliberate difference:
//! - objects: members sorted by their keys' UTF-16 code units (RFC 8785 §3.2.3), no whitespace;
//! - strings: RFC 8785 §3.2.2.2 escaping (ECMAScript `JSON.stringify`): `\"`, `\\`, `\b`,
//!   `\t`, `\n`, `\f`, `\r`, other controls below U+0020 as `\u00hh` (lower-case hex), every
//!   other character — U+007F, U+2028, non-ASCII — as its UTF-8 bytes;
//! - numbers: an integer (a number serde_json holds as `i64`/`u64`) as its exact decimal
//!   digits — the difference from RFC 8785, which prints every number as a double, so that
//!   `u64::MAX` and `u64::MAX - 1` (the same double) cannot hash alike — and any other number
//!   (a binary64 float) by ECMAScript `Number::toString`, as RFC 8785 does.
//!
//! Floats by ECMAScript is also what makes the two backends agree. PostgreSQL keeps JSONB
//! numbers as exact decimals of the text it was given (serde_json's shortest round-trip
//! digits) and hands them back without an exponent, so a float can come back as an integer
//! (`1.0` → `1`, `1e16` → `10000000000000000`, `9.223372036854776e18` →
//! `9223372036854776000`) or lose its sign (`-0.0` → `0`). ECMAScript prints an integral
//! float below 10^21 as those same shortest digits padded with zeros, and `-0` as `0`, so the
//! float and what JSONB makes of it have one canonical form. Where JSONB's digits no longer
//! fit an integer (beyond 2^64), serde_json reads them back as the same float, printed alike
//! on both sides: in plain digits below 10^21, then `1e+21`, `1e+300`. A float is never
//! replaced by its exact binary value (2^63 as a float is `9223372036854776000`, the integer
//! 2^63 `9223372036854775808`): that is what chain v1 did, and JSONB disagreed.

use serde_json::{Map, Number, Value};

/// The canonical bytes of `value` (see the module documentation). Total: every `Value` has
/// one, and no input can make it fail.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => write_number(out, number),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => write_object(out, members),
    }
}

/// Members in the order of their keys' UTF-16 code units. serde_json's map iterates in UTF-8
/// byte (code point) order, which differs for keys holding characters above U+FFFF (their
/// surrogates, D800–DFFF, sort before U+E000–U+FFFF in UTF-16): RFC 8785 names UTF-16, and
/// an auditor in JavaScript, Java or C# compares strings that way natively.
fn write_object(out: &mut Vec<u8>, members: &Map<String, Value>) {
    let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
    sorted.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    out.push(b'{');
    for (i, (key, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(out, key);
        out.push(b':');
        write_value(out, value);
    }
    out.push(b'}');
}

fn write_number(out: &mut Vec<u8>, number: &Number) {
    if let Some(n) = number.as_u64() {
        out.extend_from_slice(n.to_string().as_bytes());
    } else if let Some(n) = number.as_i64() {
        out.extend_from_slice(n.to_string().as_bytes());
    } else {
        match number.as_f64() {
            Some(f) if f.is_finite() => {
                out.extend_from_slice(ryu_js::Buffer::new().format_finite(f).as_bytes());
            }
            // serde_json holds no NaN or infinity (and, without its `arbitrary_precision`
            // feature — a unit test checks it is off — always has an f64): written as
            // `JSON.stringify` writes a non-finite number, so the form stays total.
            _ => out.extend_from_slice(b"null"),
        }
    }
}

/// Lower-case hex digits, as RFC 8785 (ECMAScript `JSON.stringify`) writes `\u00hh`.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A Rust string is valid UTF-8, so it holds no lone surrogate (which RFC 8785 would escape as
/// `\udxxx`); serde_json refuses one when it reads JSON.
fn write_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        // Bytes of multi-byte UTF-8 sequences are all >= 0x80, so only ASCII can match here.
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0x0f)]);
        } else {
            out.extend_from_slice(short);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    //! The rules one by one; the golden vectors (bytes and hashes derived outside this code)
    //! are in `tests/chain_vectors.rs`.
    use super::*;

    fn canonical(text: &str) -> String {
        let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        String::from_utf8(canonical_json(&value)).unwrap_or_default()
    }

    #[test]
    fn floats_print_as_ecmascript_and_agree_with_what_jsonb_hands_back() {
        // What SQLite keeps (serde_json's text) and what PostgreSQL's JSONB hands back.
        for (text, jsonb) in [
            (
                r#"[1.0,1e16,-0.0,0.5,2.0]"#,
                r#"[1,10000000000000000,0,0.5,2]"#,
            ),
            (r#"[9.223372036854776e18]"#, r#"[9223372036854776000]"#),
            (r#"[1.8446744073709552e19]"#, r#"[18446744073709552000]"#),
            (r#"[-9.223372036854776e18]"#, r#"[-9223372036854776000]"#),
            (r#"[1e20]"#, r#"[100000000000000000000]"#),
            (r#"[1e21]"#, r#"[1000000000000000000000]"#),
            (r#"[1.5e-7]"#, r#"[0.00000015]"#),
        ] {
            assert_eq!(canonical(text), canonical(jsonb), "{text} vs {jsonb}");
        }
        assert_eq!(canonical("[1e300,-1e300]"), "[1e+300,-1e+300]");
        assert_eq!(canonical("[1e21,1e20]"), "[1e+21,100000000000000000000]");
        assert_eq!(
            canonical("[1.5e-7,1e-7,1e-6,0.1]"),
            "[1.5e-7,1e-7,0.000001,0.1]"
        );
        assert_eq!(
            canonical("[5e-324,1.7976931348623157e308]"),
            "[5e-324,1.7976931348623157e+308]"
        );
    }

    /// With serde_json's `arbitrary_precision` turned on anywhere in the build, numbers would
    /// be held as text and this form would change: this catches it.
    #[test]
    fn serde_json_holds_large_integers_as_floats() {
        let value: Value = serde_json::from_str("18446744073709551616").unwrap_or(Value::Null);
        assert!(value.is_f64(), "{value:?}");
        assert_eq!(canonical("18446744073709551616"), "18446744073709552000");
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+FF61 is one UTF-16 unit, 0xFF61; U+1F600 is two, 0xD83D 0xDE00: UTF-16 puts the
        // emoji first, UTF-8 (and serde_json's map) the other way round.
        assert_eq!(
            canonical(r#"{"｡":1,"😀":2,"b":{"z":1,"a":2},"a":3,"":4}"#),
            r#"{"":4,"a":3,"b":{"a":2,"z":1},"😀":2,"｡":1}"#
        );
    }
}
