//! `object!` against the derive it replaces: the same JSON in gives the same value or the same
//! error, and the same value out gives the same JSON.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

crate::runtime::object! {
    /// Every way a field is sent, and a nested struct.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Ours {
        /// Required.
        #[json("id", required)]
        pub id: String,
        #[json("type", optional)]
        pub type_: Option<String>,
        #[json("count", nullable)]
        pub count: Option<i64>,
        #[json("maybe", required)]
        pub maybe: Option<bool>,
        #[json("unit", required)]
        pub unit: (),
        #[json("inner", optional)]
        pub inner: Option<Box<OursInner>>,
    }
}

crate::runtime::object! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct OursInner {
        #[json("n", required)]
        pub n: u8,
        #[json_rest]
        pub additional_properties: HashMap<String, i64>,
    }
}

crate::runtime::object! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Empty {}
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    pub id: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(default)]
    pub count: Option<i64>,
    pub maybe: Option<bool>,
    pub unit: (),
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inner: Option<Box<DerivedInner>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedInner {
    pub n: u8,
    #[serde(flatten)]
    pub additional_properties: HashMap<String, i64>,
}

/// The outcome of decoding `json`: the value, encoded again, or the error (with its path) with
/// the derived structs' names made ours.
fn decode<T: serde::de::DeserializeOwned + Serialize>(json: &str) -> Result<serde_json::Value, String> {
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(serde_json::to_value(v).unwrap()),
        Err(e) => Err(format!("{} at {}", e.inner(), e.path()).replace("Derived", "Ours")),
    }
}

#[test]
fn object_decodes_as_the_derive_does() {
    let inputs = [
        r#"{"id":"a","unit":null}"#,
        r#"{"id":"a","type":"t","count":3,"maybe":true,"unit":null,"inner":{"n":1}}"#,
        r#"{"id":"a","type":null,"count":null,"maybe":null,"unit":null,"inner":null}"#,
        r#"{"id":"a","unit":null,"inner":{"n":1,"x":2,"y":3}}"#,
        r#"{"unit":null}"#,
        r#"{"id":"a"}"#,
        r#"{"id":"a","unit":null,"inner":{"x":2}}"#,
        r#"{"id":"a","unit":null,"inner":{"n":300}}"#,
        r#"{"id":"a","id":"b","unit":null}"#,
        r#"{"id":7,"unit":null}"#,
        r#"{"id":"a","unit":null,"other":{"deep":[1,2,{"x":null}]},"ot\u0068er2":1}"#,
        r#"{"i\u0064":"escaped key","unit":null}"#,
        r#""a string""#,
        r#"null"#,
        r#"{"id":"a","unit":null,"count":"3"}"#,
    ];
    for json in inputs {
        assert_eq!(decode::<Ours>(json), decode::<Derived>(json), "{json}");
    }
    // The derive buffers the properties beyond the listed ones and loses the path into them:
    // this names the key.
    let json = r#"{"id":"a","unit":null,"inner":{"n":1,"x":"two"}}"#;
    assert_eq!(
        decode::<Derived>(json).unwrap_err(),
        "invalid type: string \"two\", expected i64 at line 1 column 47 at inner"
    );
    assert_eq!(
        decode::<Ours>(json).unwrap_err(),
        "invalid type: string \"two\", expected i64 at line 1 column 46 at inner.x"
    );
    assert_eq!(decode::<Empty>(r#"{"a":1}"#), Ok(serde_json::json!({})));
    // Both ways fail somewhere in these, and the errors say the same.
    assert!(inputs.iter().filter(|json| decode::<Ours>(json).is_err()).count() >= 8);
}

#[test]
fn object_encodes_as_the_derive_does() {
    let inner = |rest: &[(&str, i64)]| {
        let additional_properties: HashMap<String, i64> = rest.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        (
            OursInner { n: 1, additional_properties: additional_properties.clone() },
            DerivedInner { n: 1, additional_properties },
        )
    };
    for (type_, count, maybe, rest) in [
        (None, None, None, None),
        (Some("t"), Some(3), Some(false), Some(&[("x", 2)][..])),
        (None, Some(0), None, Some(&[][..])),
    ] {
        let (ours_inner, derived_inner) = match rest {
            Some(rest) => {
                let (o, d) = inner(rest);
                (Some(Box::new(o)), Some(Box::new(d)))
            }
            None => (None, None),
        };
        let ours = Ours { id: "a".into(), type_: type_.map(Into::into), count, maybe, unit: (), inner: ours_inner };
        let derived =
            Derived { id: "a".into(), type_: type_.map(Into::into), count, maybe, unit: (), inner: derived_inner };
        assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&derived).unwrap());
        assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&derived).unwrap());
        // Through a `Value` too, where keys come owned.
        let back: Ours = serde_json::from_value(serde_json::to_value(&ours).unwrap()).unwrap();
        assert_eq!(back, ours);
    }
    assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
}
