//! `Base64` against the `base64` crate: every length up to 64 bytes and every byte value.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;

use crate::Base64;

/// Bytes of every length from 0 to 64, covering all 256 values.
fn samples() -> impl Iterator<Item = Vec<u8>> {
    (0..=64usize).map(|len| (0..len).map(|i| (i * 97 + len * 13) as u8).collect())
}

#[test]
fn encodes_as_the_standard_padded_alphabet() {
    for bytes in samples() {
        assert_eq!(Base64(bytes.clone()).encode(), STANDARD.encode(&bytes));
    }
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(Base64(all.clone()).encode(), STANDARD.encode(&all));
}

#[test]
fn decodes_either_alphabet_padded_or_not() {
    for bytes in samples() {
        for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
            let text = engine.encode(&bytes);
            assert_eq!(Base64::decode(&text).map(Base64::into_inner), Ok(bytes.clone()), "{text}");
        }
    }
}

#[test]
fn refuses_what_is_not_base64() {
    for text in ["A", "AAAAA", "AB=C", "A===", "AAAA=", "AAA==", "AB c", "ÿÿÿÿ", "AB==x", "AB*="] {
        assert!(Base64::decode(text).is_err(), "{text:?}");
    }
    // Bits after the last byte must be zero, or two texts would name the same bytes.
    assert!(Base64::decode("AB==").is_err() && Base64::decode("AA==").is_ok());
}

#[test]
fn is_json_text_and_a_decode_error_names_the_field() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Holder {
        data: Base64,
    }
    let holder = Holder { data: Base64(b"hello".to_vec()) };
    let json = serde_json::to_string(&holder).unwrap();
    assert_eq!(json, r#"{"data":"aGVsbG8="}"#);
    assert_eq!(serde_json::from_str::<Holder>(&json).unwrap(), holder);
    let mut de = serde_json::Deserializer::from_str(r#"{"data":"not base64!"}"#);
    let err = serde_path_to_error::deserialize::<_, Holder>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "data");
    assert!(err.to_string().contains("not base64 text"), "{err}");
}

#[test]
fn debug_shows_the_length_not_the_bytes() {
    assert_eq!(format!("{:?}", Base64(b"secret".to_vec())), "Base64(6 bytes)");
}
