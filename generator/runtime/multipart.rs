//! `multipart/form-data` request bodies: [`File`], the type of a `format: binary` field and
//! of a binary request body, and the encoding of a body's parts. Each generated body type
//! used as multipart writes its own parts (`MultipartBody`): text for scalars, a file part
//! for a `File`, JSON for the rest. A file's bytes stay where they are (in memory, on disk,
//! in a stream) until the request is sent: the body is a sequence of pieces
//! (`streams::Pieces`), not one buffer.

// A spec without multipart bodies or binary fields uses none of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use base64::Engine as _;
use bytes::Bytes;
use futures_core::Stream;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tokio::io::AsyncRead;

use super::streams::{Pieces, Source};
use super::ValidationError;

/// A file to upload (a `format: binary` field, or a binary request body): its content, and
/// optionally the file name and media type its part is sent with.
///
/// The content is bytes in memory ([`File::new`]), a file on disk ([`File::from_path`],
/// streamed from disk and opened again for a retry), or a stream ([`File::from_stream`],
/// [`File::from_reader`]: read once, so a request whose stream was read is not retried).
/// Only bytes in memory stay in memory; the others are sent as they are read.
///
/// In a JSON body a file is written as base64 (a path is read then; a stream cannot be).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct File {
    source: FileSource,
    /// The file name sent in the part's `Content-Disposition` (default: the path's file
    /// name for [`File::from_path`], else the field's name).
    pub file_name: Option<String>,
    /// The part's media type (default: `application/octet-stream`). For a binary request
    /// body, the body's `Content-Type` (default: the one the spec names).
    pub content_type: Option<String>,
}

/// `Source` with a default: no bytes.
#[derive(Clone, PartialEq, Eq, Debug)]
struct FileSource(Source);

impl Default for FileSource {
    fn default() -> Self {
        Self(Source::Bytes(Bytes::new()))
    }
}

impl File {
    /// A file with these bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self::from_bytes(Bytes::from(bytes.into()))
    }

    /// A file with these bytes, shared rather than copied.
    pub fn from_bytes(bytes: Bytes) -> Self {
        Self { source: FileSource(Source::Bytes(bytes)), file_name: None, content_type: None }
    }

    /// The file at `path`, read in chunks while the request is sent (and again for a
    /// retry). A file that cannot be opened fails the call with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest), before anything is sent.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Self { source: FileSource(Source::Path(path.into())), file_name: None, content_type: None }
    }

    /// The bytes `reader` gives, read in chunks while the request is sent. It can be read
    /// once: a failed attempt that read it is not retried. Without [`size`](Self::size) the
    /// body is sent without `Content-Length` (chunked).
    pub fn from_reader(reader: impl AsyncRead + Send + 'static) -> Self {
        Self { source: FileSource(Source::from_reader(reader)), file_name: None, content_type: None }
    }

    /// The chunks `stream` gives, sent as they come. Read once, as [`from_reader`](Self::from_reader).
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Self { source: FileSource(Source::from_stream(stream)), file_name: None, content_type: None }
    }

    /// Declares the size in bytes of a reader's or stream's content, so that the body is
    /// sent with its `Content-Length`. The content must then have exactly this size, or the
    /// request fails. Bytes and paths know their size; for them this does nothing.
    pub fn size(mut self, bytes: u64) -> Self {
        if let Source::Stream { size, .. } = &mut self.source.0 {
            *size = Some(bytes);
        }
        self
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

    /// The content, when it is bytes in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.source.0 {
            Source::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The path, when the content is a file on disk.
    pub fn path(&self) -> Option<&Path> {
        match &self.source.0 {
            Source::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The content as a request body's pieces.
    pub(crate) fn pieces(&self) -> Pieces {
        Pieces(vec![self.source.0.clone()])
    }
}

impl From<Vec<u8>> for File {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&[u8]> for File {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl<const N: usize> From<[u8; N]> for File {
    fn from(bytes: [u8; N]) -> Self {
        Self::new(bytes)
    }
}

impl<const N: usize> From<&[u8; N]> for File {
    fn from(bytes: &[u8; N]) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for File {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&str> for File {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<Bytes> for File {
    fn from(bytes: Bytes) -> Self {
        Self::from_bytes(bytes)
    }
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File")
            .field("content", &self.source.0)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        match &self.source.0 {
            Source::Bytes(bytes) => serializer.serialize_str(&encode(bytes)),
            Source::Path(path) => match std::fs::read(path) {
                Ok(bytes) => serializer.serialize_str(&encode(&bytes)),
                Err(e) => Err(serde::ser::Error::custom(format!("the file {} cannot be read: {e}", path.display()))),
            },
            Source::Stream { .. } => {
                Err(serde::ser::Error::custom("a file from a stream cannot be written in JSON; give its bytes"))
            }
        }
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
    content: Source,
}

/// Files up to this size are copied into the body's buffer; bigger ones are pieces of
/// their own, sent without a copy.
const COPIED_FILE_BYTES: usize = 64 * 1024;

impl Form {
    /// A text part.
    pub(crate) fn text(&mut self, name: &str, value: impl ToString) {
        let content = Source::Bytes(value.to_string().into());
        self.parts.push(Part { name: name.to_owned(), file_name: None, content_type: None, content });
    }

    /// A file part.
    pub(crate) fn file(&mut self, name: &str, file: &File) {
        let from_path = file.path().and_then(Path::file_name).map(|name| name.to_string_lossy().into_owned());
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone().or(from_path).unwrap_or_else(|| name.to_owned())),
            content_type: Some(file.content_type.clone().unwrap_or_else(|| "application/octet-stream".to_owned())),
            content: file.source.0.clone(),
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
            content: Source::Bytes(bytes.into()),
        });
        Ok(())
    }

    /// The body's media type (with its boundary) and pieces: headers and small parts in
    /// one buffer, big files and streams as pieces of their own. The boundary is random,
    /// and chosen again in the unlikely case that a small part contains it. A big part is
    /// not searched (a file on disk or a stream cannot be without reading it, and 100 MB
    /// in memory took a second): that it holds a random 64-bit boundary is all but impossible.
    pub(crate) fn encode(self) -> (String, Pieces) {
        let boundary = loop {
            let candidate = format!("------------------------{:016x}", fastrand::u64(..));
            let mut in_memory = self.parts.iter().filter_map(|part| match &part.content {
                Source::Bytes(bytes) if bytes.len() <= COPIED_FILE_BYTES => Some(bytes),
                _ => None,
            });
            if !in_memory.any(|bytes| contains(bytes, candidate.as_bytes())) {
                break candidate;
            }
        };
        let mut pieces = Vec::new();
        let mut buffer = Vec::new();
        for part in self.parts {
            buffer.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let name = quoted(&part.name);
            match &part.file_name {
                Some(file_name) => buffer.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n", quoted(file_name))
                        .as_bytes(),
                ),
                None => {
                    buffer.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes())
                }
            }
            if let Some(content_type) = &part.content_type {
                buffer.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            buffer.extend_from_slice(b"\r\n");
            match part.content {
                Source::Bytes(bytes) if bytes.len() <= COPIED_FILE_BYTES => buffer.extend_from_slice(&bytes),
                content => {
                    pieces.push(Source::Bytes(std::mem::take(&mut buffer).into()));
                    pieces.push(content);
                }
            }
            buffer.extend_from_slice(b"\r\n");
        }
        buffer.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        pieces.push(Source::Bytes(buffer.into()));
        (format!("multipart/form-data; boundary={boundary}"), Pieces(pieces))
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
        let body = body.as_bytes().expect("one buffer").to_vec();
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
        let stream = File::from_reader(&b"abc"[..]);
        assert!(serde_json::to_value(&stream).is_err(), "a stream cannot be base64 in JSON");
        assert_eq!(stream.clone(), stream);
        assert_ne!(File::from_reader(&b"abc"[..]), stream);
    }

    #[test]
    fn big_files_and_files_on_disk_are_pieces_of_their_own() {
        use super::Source;
        let big = vec![7u8; super::COPIED_FILE_BYTES + 1];
        let mut form = Form::default();
        form.file("a", &File::new(big.clone()));
        form.file("b", &File::from_path("/tmp/users.json"));
        form.text("c", "x");
        let (_, pieces) = form.encode();
        let kinds: Vec<&str> = pieces
            .0
            .iter()
            .map(|piece| match piece {
                Source::Bytes(bytes) if bytes.as_ref() == big.as_slice() => "file",
                Source::Bytes(_) => "buffer",
                Source::Path(_) => "path",
                Source::Stream { .. } => "stream",
            })
            .collect();
        assert_eq!(kinds, ["buffer", "file", "buffer", "path", "buffer"]);
        let Source::Bytes(head) = &pieces.0[2] else { panic!("a buffer") };
        let head = String::from_utf8_lossy(head);
        assert!(head.contains("name=\"b\"; filename=\"users.json\""), "{head}");
    }
}
