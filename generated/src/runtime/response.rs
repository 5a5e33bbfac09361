//! A response read in full, decoded by the generated method by its status.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{ApiError, DecodeError, Error, RawResponse};
use super::retry::retry_after;

/// At most this much of a response body is kept in an error, so that errors stay small.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A response read in full, for the generated method to decode by its status.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How an operation's error enum makes itself from a response that is not a success: its
/// documented error, or an unexpected status. Generated for each error enum.
pub(crate) trait ReadError: Sized {
    fn read(response: Response) -> Error<Self>;
}

impl Response {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the body as the success type `T`.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        self.decode().map_err(Error::Decode)
    }

    /// The body as text (`text/plain`, `text/csv`, ...).
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as bytes (`application/octet-stream`, `application/zip`, ...).
    pub(crate) fn bytes<E>(self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body)
    }

    /// The error this response is, as the operation's error enum `E` reads it.
    pub(crate) fn into_error<E: ReadError>(self) -> Error<E> {
        E::read(self)
    }

    /// The body decoded as `T` when the status is `status` (the operation's one success),
    /// else the error.
    pub(crate) fn json_at<T: DeserializeOwned, E: ReadError>(self, status: u16) -> Result<T, Error<E>> {
        if self.status() == status {
            self.json()
        } else {
            Err(self.into_error())
        }
    }

    /// The body as text when the status is `status`, else the error.
    pub(crate) fn text_at<E: ReadError>(self, status: u16) -> Result<String, Error<E>> {
        if self.status() == status {
            self.text()
        } else {
            Err(self.into_error())
        }
    }

    /// The body as bytes when the status is `status`, else the error.
    pub(crate) fn bytes_at<E: ReadError>(self, status: u16) -> Result<Vec<u8>, Error<E>> {
        if self.status() == status {
            self.bytes()
        } else {
            Err(self.into_error())
        }
    }

    /// `()` when the status is `status` (a success without a body), else the error.
    pub(crate) fn empty_at<E: ReadError>(self, status: u16) -> Result<(), Error<E>> {
        if self.status() == status {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    /// Decodes the body as an error body `B` and wraps it as the documented error `E`.
    pub(crate) fn error<B: DeserializeOwned, E>(self, variant: impl FnOnce(B) -> E) -> Error<E> {
        match self.decode::<B>() {
            Ok(body) => self.into_api_error(variant(body)),
            Err(e) => Error::Decode(e),
        }
    }

    /// A documented error status that has no body.
    pub(crate) fn error_without_body<E>(self, error: E) -> Error<E> {
        self.into_api_error(error)
    }

    /// A status that the spec does not document for this operation.
    pub(crate) fn unexpected_status<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(RawResponse {
            status: self.status,
            body: capped_text(&self.body),
            headers: self.headers,
        }))
    }

    /// The `Retry-After` header as a delay from now.
    pub(crate) fn retry_after(&self) -> Option<std::time::Duration> {
        retry_after(&self.headers)
    }

    fn into_api_error<E>(self, body: E) -> Error<E> {
        Error::Api(Box::new(ApiError { status: self.status, headers: self.headers, body }))
    }

    /// The body as `T`; an empty body is read as `null`.
    fn decode<T: DeserializeOwned>(&self) -> Result<T, Box<DecodeError>> {
        let input: &[u8] = if self.body.is_empty() { b"null" } else { &self.body };
        decode_json(self.status, input, &self.body)
    }
}

/// `input` as JSON of `T`, or where it does not fit, with `body` (capped) to show in the error.
/// Generic over the decoded type alone, not an operation's error type, so each type's decoder
/// is compiled once however many operations return it; responses and events both decode here.
pub(crate) fn decode_json<T: DeserializeOwned>(
    status: StatusCode,
    input: &[u8],
    body: &[u8],
) -> Result<T, Box<DecodeError>> {
    let de = &mut serde_json::Deserializer::from_slice(input);
    serde_path_to_error::deserialize(de).map_err(|e| {
        Box::new(DecodeError {
            status,
            path: e.path().to_string(),
            message: e.inner().to_string(),
            body: capped_text(body),
        })
    })
}

/// A successful result with the headers the spec documents for it (`*_with_headers`).
#[derive(Debug, Clone)]
pub struct WithHeaders<T, H> {
    pub value: T,
    /// The documented headers, typed; each `None` when the server did not send it or sent
    /// something that does not parse.
    pub headers: H,
}

pub(crate) fn capped_text(body: &[u8]) -> String {
    let end = body.len().min(ERROR_BODY_LIMIT);
    String::from_utf8_lossy(&body[..end]).into_owned()
}
