//! `format: byte`: bytes that travel as base64 text.
//!
//! Written here rather than taken from a crate so that every generated crate keeps to its
//! short list of dependencies; the tests check it against the `base64` crate.

use std::fmt;

/// Bytes sent and received as base64 text (`format: byte`).
///
/// Sent in the standard alphabet with padding (RFC 4648 §4). Received leniently: the standard
/// or the URL-safe alphabet, with or without padding, since servers differ and the bytes are
/// the same either way. Text that is not base64 is a decode error naming the field.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// The base64 text that is sent.
    pub fn encode(&self) -> String {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// The bytes of base64 `text`, in either alphabet, padded or not.
    pub fn decode(text: &str) -> Result<Self, InvalidBase64> {
        let digits = text.trim_end_matches('=');
        let padding = text.len() - digits.len();
        if padding > 2 || digits.len() % 4 == 1 || (padding > 0 && !text.len().is_multiple_of(4)) {
            return Err(InvalidBase64);
        }
        let mut out = Vec::with_capacity(digits.len() / 4 * 3 + 2);
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in digits.bytes() {
            let value = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                _ => return Err(InvalidBase64),
            };
            acc = (acc << 6) | u32::from(value);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        // Bits left over must be zero: otherwise two texts would decode to the same bytes.
        if acc != 0 {
            return Err(InvalidBase64);
        }
        Ok(Self(out))
    }
}

/// Text that is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidBase64;

impl fmt::Display for InvalidBase64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not base64 text")
    }
}

impl std::error::Error for InvalidBase64 {}

/// The length only: the bytes may be large, or secret.
impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl std::ops::Deref for Base64 {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(b: Base64) -> Self {
        b.0
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::decode(&text).map_err(serde::de::Error::custom)
    }
}
