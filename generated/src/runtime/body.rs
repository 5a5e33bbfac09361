//! Request bodies: bytes with their content type, and `multipart/form-data` forms.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::Error;

#[derive(Clone)]
pub(crate) enum Body {
    Bytes { content_type: &'static str, bytes: Vec<u8> },
    Multipart(Multipart),
}

/// A `multipart/form-data` body, built field by field by the generated method.
#[derive(Clone, Debug, Default)]
pub(crate) struct Multipart {
    parts: Vec<(&'static str, PartData)>,
    /// Fields whose names come from the caller (free-form forms).
    owned_parts: Vec<(String, String)>,
    /// The first field that could not be encoded.
    pub(crate) error: Option<String>,
}

#[derive(Clone, Debug)]
enum PartData {
    /// Text, with its content type when it is not plain text (a JSON part).
    Text(String, Option<&'static str>),
    File(FilePart),
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A text field: strings, numbers and booleans as text; objects and arrays as JSON parts
    /// (`application/json`, OpenAPI's default for them). `None` adds nothing.
    pub(crate) fn field<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::String(s)) => self.parts.push((name, PartData::Text(s, None))),
            Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
                self.parts.push((name, PartData::Text(v.to_string(), Some("application/json"))))
            }
            Ok(other) => self.parts.push((name, PartData::Text(other.to_string(), None))),
            Err(e) => self.error = self.error.or(Some(format!("field `{name}`: {e}"))),
        }
        self
    }

    /// One file part per item, all under `name` (an array of files).
    pub(crate) fn files(mut self, name: &'static str, files: &[FilePart]) -> Self {
        for file in files {
            self.parts.push((name, PartData::File(file.clone())));
        }
        self
    }

    /// The content type the spec's `encoding` gives the parts named `name`: a text part is
    /// sent with it, and a file with it unless the file gives its own.
    pub(crate) fn content_type(mut self, name: &'static str, content_type: &'static str) -> Self {
        for (part, data) in &mut self.parts {
            if *part != name {
                continue;
            }
            match data {
                PartData::Text(_, ct) => *ct = Some(content_type),
                PartData::File(file) if file.content_type.is_none() => file.content_type = Some(content_type.into()),
                PartData::File(_) => {}
            }
        }
        self
    }

    /// One text field per property of a JSON object (for forms the spec leaves free-form).
    pub(crate) fn from_object<T: Serialize + ?Sized>(value: &T) -> Self {
        let mut form = Self::new();
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(fields)) => {
                for (name, value) in fields {
                    let text = match value {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    form.owned_parts.push((name, text));
                }
            }
            Ok(_) => form.error = Some("a multipart body must be an object".into()),
            Err(e) => form.error = Some(e.to_string()),
        }
        form
    }

    /// A file field.
    pub(crate) fn file(mut self, name: &'static str, file: &FilePart) -> Self {
        self.parts.push((name, PartData::File(file.clone())));
        self
    }

    /// A file field when there is a file.
    pub(crate) fn file_opt(self, name: &'static str, file: Option<&FilePart>) -> Self {
        match file {
            Some(file) => self.file(name, file),
            None => self,
        }
    }

    /// The form, each part with the headers `part_headers` (part, header, value) give it (the
    /// spec's `encoding.headers`).
    pub(crate) fn into_form<E>(
        self,
        part_headers: &[(&'static str, &'static str, String)],
    ) -> Result<reqwest::multipart::Form, Error<E>> {
        let mut form = reqwest::multipart::Form::new();
        for (name, text) in self.owned_parts {
            form = form.text(name, text);
        }
        for (name, data) in self.parts {
            let mut part = match data {
                PartData::Text(text, None) => reqwest::multipart::Part::text(text),
                PartData::Text(text, Some(content_type)) => reqwest::multipart::Part::text(text)
                    .mime_str(content_type)
                    .map_err(|e| Error::Encode(e.to_string()))?,
                PartData::File(file) => {
                    let mut part = reqwest::multipart::Part::bytes(file.bytes);
                    if let Some(file_name) = file.file_name {
                        part = part.file_name(file_name);
                    }
                    if let Some(content_type) = file.content_type {
                        part = part.mime_str(&content_type).map_err(|e| Error::Encode(e.to_string()))?;
                    }
                    part
                }
            };
            let mut headers = reqwest::header::HeaderMap::new();
            for (_, header, value) in part_headers.iter().filter(|(part, _, _)| *part == name) {
                let invalid =
                    || Error::InvalidRequest(format!("header `{header}` of part `{name}` is not a valid header value"));
                let header = reqwest::header::HeaderName::from_bytes(header.as_bytes()).map_err(|_| invalid())?;
                let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid())?;
                headers.append(header, value);
            }
            if !headers.is_empty() {
                part = part.headers(headers);
            }
            form = form.part(name, part);
        }
        Ok(form)
    }
}

/// A file to upload in a `multipart/form-data` field (`format: binary` in the spec).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    pub bytes: Vec<u8>,
    /// The file name the server sees, if any.
    pub file_name: Option<String>,
    /// The part's content type, if not `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self { bytes: bytes.into(), file_name: None, content_type: None }
    }

    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// In JSON (where `format: binary` rarely appears) a file is its bytes as a string.
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(FilePart::new)
    }
}
