//! Reading a request body: JSON only, within the configured size, every field known, every
//! value of the right type — and when not, a problem naming the field (as a JSON Pointer) and
//! nothing written.

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::problem::Problem;

/// The body as JSON: 415 for another media type, 413 past `limit` bytes, 400 for bad syntax.
pub async fn json(headers: &HeaderMap, body: Body, limit: usize) -> Result<Value, Problem> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let is_json = media_type
        .as_deref()
        .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if !is_json {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
            "不支持的内容类型",
            format!(
                "请求体须为 application/json，而非 {}",
                media_type.as_deref().unwrap_or("（未带 Content-Type）")
            ),
        )
        .field("Content-Type"));
    }
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.body_too_large",
            "请求内容过大",
            format!("请求体超过 {limit} 字节"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    if bytes.is_empty() {
        return Err(Problem::bad_request(
            "request.empty_body",
            "请求体为空：请发送一个 JSON 对象",
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        Problem::bad_request(
            "request.malformed_json",
            format!("请求体不是合法的 JSON：{e}"),
        )
    })
}

/// `value` as a `T`, refusing fields `T` does not have. `skip` leading path segments are left
/// out of the pointer a problem names (the variant a command body is wrapped in).
///
/// Unknown fields are found twice over: by `serde_ignored` as the value is read, and by
/// reading what was decoded back — serde reads an internally tagged enum's fields through a
/// buffer no wrapper sees into, so a misspelt field there (`complainent`) would otherwise be
/// dropped without a word, and with it what the sender meant to say.
pub fn decode<T: DeserializeOwned + Serialize>(value: &Value, skip: usize) -> Result<T, Problem> {
    let mut unknown: Vec<String> = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let decoded = {
        let inner = serde_path_to_error::Deserializer::new(value, &mut track);
        serde_ignored::deserialize(inner, |path| unknown.push(ignored_pointer(&path)))
    };
    match decoded {
        Err(error) => {
            let pointer = path_pointer(&track.path(), skip);
            Err(Problem::invalid(
                "request.invalid_value",
                format!("字段取值有误：{}", strip_position(&error)),
            )
            .field(pointer))
        }
        Ok(_) if !unknown.is_empty() => Err(Problem::invalid(
            "request.unknown_field",
            format!("未知字段 {}：请求体只能包含文档列明的字段", unknown[0]),
        )
        .field(unknown[0].clone())),
        Ok(decoded) => {
            let again = serde_json::to_value(&decoded).unwrap_or(Value::Null);
            match ignored_field(value, &again, &mut Vec::new()) {
                Some(path) => {
                    let pointer = path
                        .iter()
                        .skip(skip)
                        .fold(String::new(), |p, s| p + "/" + &escape(s));
                    Err(Problem::invalid(
                        "request.unknown_field",
                        format!("未知字段 {pointer}：请求体只能包含文档列明的字段"),
                    )
                    .field(pointer))
                }
                None => Ok(decoded),
            }
        }
    }
}

/// The path of the first field of `input` that `output` (the decoded value written back) does
/// not have. A field left empty (null, [], {}, false, 0, "") may be missing from what is
/// written back — it is skipped when empty — and is not counted: it says nothing either way.
fn ignored_field(input: &Value, output: &Value, path: &mut Vec<String>) -> Option<Vec<String>> {
    match (input, output) {
        (Value::Object(fields), Value::Object(kept)) => {
            for (name, value) in fields {
                path.push(name.clone());
                let found = match kept.get(name) {
                    None if is_empty(value) => None,
                    None => Some(path.clone()),
                    Some(kept) => ignored_field(value, kept, path),
                };
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(items), Value::Array(kept)) if items.len() == kept.len() => {
            for (i, (item, kept)) in items.iter().zip(kept).enumerate() {
                path.push(i.to_string());
                let found = ignored_field(item, kept, path);
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        _ => None,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// serde_json's message without its "at line 1 column 2", which means nothing for a value.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn path_pointer(path: &serde_path_to_error::Path, skip: usize) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter().skip(skip) {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", escape(variant))),
            Segment::Unknown => pointer.push_str("/?"),
        }
    }
    pointer
}

fn ignored_pointer(path: &serde_ignored::Path<'_>) -> String {
    fn segments(path: &serde_ignored::Path<'_>, out: &mut Vec<String>) {
        use serde_ignored::Path;
        match path {
            Path::Root => {}
            Path::Seq { parent, index } => {
                segments(parent, out);
                out.push(index.to_string());
            }
            Path::Map { parent, key } => {
                segments(parent, out);
                out.push(escape(key));
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => segments(parent, out),
        }
    }
    let mut out = Vec::new();
    segments(path, &mut out);
    out.iter()
        .fold(String::new(), |pointer, s| pointer + "/" + s)
}
