//! `from_env`: the base URL and credentials read from variables named from a prefix.

use std::collections::HashMap;

use crate::runtime::{ConfigError, Env, EnvCredential};

fn env(vars: &[(&str, &str)]) -> Env<impl Fn(&str) -> Option<String>> {
    let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Env::with(move |name: &str| map.get(name).cloned())
}

const SAIL: &[EnvCredential] = &[
    EnvCredential::ClientCredentials {
        id: "SAIL_CLIENT_ID",
        secret: "SAIL_CLIENT_SECRET",
        token_url: "SAIL_TOKEN_URL",
    },
    EnvCredential::Token { var: "SAIL_TOKEN" },
];

fn missing(err: ConfigError) -> String {
    match err {
        ConfigError::Environment { missing } => missing,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_base_url_without_a_path_gets_the_servers_and_one_with_a_path_is_kept() {
    let server = Some("https://{tenant}.api.identitynow.com/v3");
    let plain = Some("https://api.example.com/v1/");
    let cases = [
        ("https://acme.api.identitynow.com", Some("https://api.example.com/v3"), "https://acme.api.identitynow.com/v3"),
        ("https://acme.api.identitynow.com/", plain, "https://acme.api.identitynow.com/v1"),
        ("http://localhost:8080/proxy/v3", plain, "http://localhost:8080/proxy/v3"),
        ("https://acme.example.com", None, "https://acme.example.com"),
    ];
    for (given, server, expected) in cases {
        let got = env(&[("SAIL_BASE_URL", given)]).base_url("SAIL_BASE_URL", server).unwrap();
        assert_eq!(got.as_deref(), Some(expected), "{given}");
    }
    // A server whose path holds a variable is not guessed at.
    let got = env(&[("SAIL_BASE_URL", "https://acme.example.com")]).base_url("SAIL_BASE_URL", server).unwrap();
    assert_eq!(got.as_deref(), Some("https://acme.example.com/v3"));
    let templated = Some("https://api.example.com/{version}");
    let got = env(&[("SAIL_BASE_URL", "https://acme.example.com")]).base_url("SAIL_BASE_URL", templated).unwrap();
    assert_eq!(got.as_deref(), Some("https://acme.example.com"));
    assert_eq!(env(&[]).base_url("SAIL_BASE_URL", server).unwrap(), None);
    assert_eq!(env(&[("SAIL_BASE_URL", "  ")]).base_url("SAIL_BASE_URL", server).unwrap(), None, "empty is unset");
    let err = env(&[("SAIL_BASE_URL", "acme")]).base_url("SAIL_BASE_URL", server).unwrap_err();
    assert!(err.to_string().contains("SAIL_BASE_URL does not parse"), "{err}");
    let err = env(&[]).require("SAIL_TENANT", "SAIL_BASE_URL").unwrap_err();
    assert_eq!(err.to_string(), "missing from the environment: SAIL_TENANT (or SAIL_BASE_URL)");
}

#[test]
fn credentials_come_whole_or_the_error_names_what_is_missing() {
    let half = env(&[("SAIL_CLIENT_ID", "id")]).auth(SAIL, true).unwrap_err();
    assert_eq!(missing(half), "SAIL_CLIENT_SECRET (set beside SAIL_CLIENT_ID)");
    let none = env(&[]).auth(SAIL, true).unwrap_err();
    assert_eq!(missing(none), "credentials: set SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, or SAIL_TOKEN");
    assert!(env(&[]).auth(SAIL, false).unwrap().is_empty(), "an API with public operations may go without");

    let token = env(&[("SAIL_TOKEN", "t0k3n")]).auth(SAIL, true).unwrap();
    let debug = format!("{token:?}");
    assert!(debug.contains("Static") && !debug.contains("t0k3n"), "{debug}");
    // Client credentials win over a token for the same schemes.
    let both = env(&[("SAIL_TOKEN", "t"), ("SAIL_CLIENT_ID", "id"), ("SAIL_CLIENT_SECRET", "s3cr3t")]);
    let debug = format!("{:?}", both.auth(SAIL, true).unwrap());
    assert!(debug.contains("ClientCredentials") && !debug.contains("Static") && !debug.contains("s3cr3t"), "{debug}");

    let keyed = [
        EnvCredential::Key { scheme: "key", var: "X_API_KEY" },
        EnvCredential::Basic { scheme: "basic", username: "X_USERNAME", password: "X_PASSWORD" },
    ];
    let auth = env(&[("X_API_KEY", "k"), ("X_USERNAME", "u"), ("X_PASSWORD", "p")]).auth(&keyed, true).unwrap();
    let debug = format!("{auth:?}");
    assert!(debug.contains("Key") && debug.contains("Basic") && debug.contains("\"u\""), "{debug}");
    let err = env(&[("X_PASSWORD", "p")]).auth(&keyed, true).unwrap_err();
    assert_eq!(missing(err), "X_USERNAME (set beside X_PASSWORD)");
}
