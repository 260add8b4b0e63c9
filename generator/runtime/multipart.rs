//! `multipart/form-data` request bodies: [`File`], the type of a `format: binary` field, and
//! the encoding of a body's parts. Each generated body type used as multipart writes its own
//! parts (`MultipartBody`): text for scalars, a file part for a `File`, JSON for the rest.

// A spec without multipart bodies or binary fields uses none of it.
#![allow(dead_code)]

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValidationError;

/// A file to upload (a `format: binary` field): its bytes, and optionally the file name and
/// media type its part is sent with. In a JSON body it is written as base64.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct File {
    /// The content.
    pub bytes: Vec<u8>,
    /// The file name sent in the part's `Content-Disposition` (default: the field's name).
    pub file_name: Option<String>,
    /// The part's media type (default: `application/octet-stream`).
    pub content_type: Option<String>,
}

impl File {
    /// A file with these bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// Sets the file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the media type.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)?;
        Ok(Self::new(bytes))
    }
}

/// A body type that can be sent as `multipart/form-data`.
pub(crate) trait MultipartBody {
    fn write_parts(&self, form: &mut Form) -> Result<(), ValidationError>;
}

/// The parts of a multipart body, in order.
#[derive(Debug, Default)]
pub(crate) struct Form {
    parts: Vec<Part>,
}

#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl Form {
    /// A text part.
    pub(crate) fn text(&mut self, name: &str, value: impl ToString) {
        let bytes = value.to_string().into_bytes();
        self.parts.push(Part { name: name.to_owned(), file_name: None, content_type: None, bytes });
    }

    /// A file part.
    pub(crate) fn file(&mut self, name: &str, file: &File) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone().unwrap_or_else(|| name.to_owned())),
            content_type: Some(file.content_type.clone().unwrap_or_else(|| "application/octet-stream".to_owned())),
            bytes: file.bytes.clone(),
        });
    }

    /// A part holding a value as JSON.
    pub(crate) fn json(&mut self, name: &str, value: &impl Serialize) -> Result<(), ValidationError> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| ValidationError::new("body", format!("`{name}` cannot be encoded as JSON: {e}")))?;
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: Some("application/json".to_owned()),
            bytes,
        });
        Ok(())
    }

    /// The body's media type (with its boundary) and bytes. The boundary is random, and
    /// chosen again in the unlikely case that a part contains it.
    pub(crate) fn encode(self) -> (String, Vec<u8>) {
        let boundary = loop {
            let candidate = format!("------------------------{:016x}", fastrand::u64(..));
            if !self.parts.iter().any(|part| contains(&part.bytes, candidate.as_bytes())) {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let name = quoted(&part.name);
            match &part.file_name {
                Some(file_name) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n", quoted(file_name))
                        .as_bytes(),
                ),
                None => {
                    body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes())
                }
            }
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// A name as it may stand between quotes in `Content-Disposition` (quotes and line breaks
/// escaped as browsers do).
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::{File, Form};

    #[test]
    fn parts_are_encoded_between_boundaries() {
        let mut form = Form::default();
        form.text("name", "avatar \"1\"");
        form.file("upload", &File::new(b"\x00\x01png".to_vec()).file_name("a.png").content_type("image/png"));
        form.json("meta", &serde_json::json!({"a": 1})).unwrap();
        let (content_type, body) = form.encode();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\navatar \"1\"\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x00\x01png\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"a\":1}}\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn a_file_is_base64_in_json() {
        let file = File::new(b"hi".to_vec());
        assert_eq!(serde_json::to_value(&file).unwrap(), serde_json::json!("aGk="));
        assert_eq!(serde_json::from_value::<File>(serde_json::json!("aGk=")).unwrap(), file);
        assert!(format!("{file:?}").contains("2 bytes"));
    }
}
