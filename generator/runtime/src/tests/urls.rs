//! Server variables, base URLs and the origins credentials may go to.

use crate::runtime::{server_url, Auth, ConfigError, Core, ServerVariable, SpecTokenUrl};

fn var(name: &'static str, value: &str, default: &'static str) -> Result<String, ConfigError> {
    let template = match name {
        "tenant" => "https://{tenant}.api.identitynow.com/v3",
        "host" => "https://{host}/api",
        "site" => "https://{subdomain}.{site}",
        "port" => "https://h.example.com:{port}/v1",
        "scheme" => "{scheme}://h.example.com",
        "version" => "https://h.example.com/api/{version}/x",
        "basePath" => "https://h.example.com{basePath}",
        _ => unreachable!(),
    };
    let mut variables = vec![ServerVariable { name, value, default, allowed: &[] }];
    if name == "site" {
        variables.push(ServerVariable { name: "subdomain", value: "api", default: "api", allowed: &[] });
    }
    server_url(template, &variables)
}

#[test]
fn a_tenant_is_one_host_label_and_nothing_else() {
    assert_eq!(var("tenant", "acme", "sailpoint").as_deref(), Ok("https://acme.api.identitynow.com/v3"));
    assert_eq!(var("tenant", "acme-2", "sailpoint").as_deref(), Ok("https://acme-2.api.identitynow.com/v3"));
    for hostile in ["evil.example/x?", "evil.example#", "a.b", "a:1", "a@b", "a/b", "", "ü", "a b", "%2e"] {
        let err = var("tenant", hostile, "sailpoint").expect_err(hostile);
        assert!(matches!(&err, ConfigError::ServerVariable { name, .. } if name == "tenant"), "{err:?}");
        assert!(err.to_string().contains("tenant"), "{err}");
    }
}

#[test]
fn each_place_takes_what_it_can_hold() {
    // A whole host may be a name with dots or an address.
    assert_eq!(var("host", "api.example.com", "localhost").as_deref(), Ok("https://api.example.com/api"));
    assert_eq!(var("host", "[::1]", "localhost").as_deref(), Ok("https://[::1]/api"));
    assert!(var("host", "evil.com/x", "localhost").is_err());
    assert!(var("host", "evil.com:99", "localhost").is_err());
    // A label place whose default has dots holds several labels (Datadog's `{site}`).
    assert_eq!(var("site", "us3.datadoghq.com", "datadoghq.com").as_deref(), Ok("https://api.us3.datadoghq.com"));
    assert!(var("site", "x.com/", "datadoghq.com").is_err());
    assert_eq!(var("port", "8443", "443").as_deref(), Ok("https://h.example.com:8443/v1"));
    for bad in ["0", "65536", "80/x", "+80"] {
        assert!(var("port", bad, "443").is_err(), "{bad}");
    }
    assert_eq!(var("scheme", "http", "https").as_deref(), Ok("http://h.example.com"));
    assert!(var("scheme", "file", "https").is_err());
    assert!(var("scheme", "https://evil.com#", "https").is_err());
    assert_eq!(var("version", "v2", "v1").as_deref(), Ok("https://h.example.com/api/v2/x"));
    for bad in ["..", ".", "a/b", "a?b", "a#", "%2F"] {
        assert!(var("version", bad, "v1").is_err(), "{bad}");
    }
    // A base path right after the host must start with `/` and may have several segments.
    assert_eq!(var("basePath", "/api/v2", "/v1").as_deref(), Ok("https://h.example.com/api/v2"));
    assert!(var("basePath", ".evil.com/x", "/v1").is_err());
    assert!(var("basePath", "/../x", "/v1").is_err());
}

#[test]
fn a_variable_with_an_enum_takes_only_its_values() {
    let allowed: &[&str] = &["us", "eu"];
    let fill = |value| {
        server_url("https://{region}.example.com", &[ServerVariable { name: "region", value, default: "us", allowed }])
    };
    assert_eq!(fill("eu").as_deref(), Ok("https://eu.example.com"));
    let err = fill("ap").expect_err("not listed");
    assert!(err.to_string().contains("\"us\", \"eu\""), "{err}");
}

#[test]
fn base_urls_must_be_http_with_a_host_and_no_credentials_query_or_fragment() {
    let make = |url: &str, auth: Auth| Core::new(url, auth, SpecTokenUrl::None, super::OAUTH2);
    assert!(make("https://api.example.com/v3/", Auth::bearer("t")).is_ok());
    assert!(make("http://127.0.0.1:8080", Auth::bearer("t")).is_ok());
    assert!(make("http://localhost:8080", Auth::bearer("t")).is_ok());
    assert!(make("http://[::1]:8080", Auth::bearer("t")).is_ok());
    // Plain http to another machine: only without credentials.
    assert!(make("http://api.example.com", Auth::None).is_ok());
    let err = make("http://api.example.com", Auth::bearer("t")).expect_err("cleartext credentials");
    assert!(err.to_string().contains("https"), "{err}");
    assert!(make("http://10.0.0.1", Auth::client_credentials("id", "s")).is_err());
    for bad in ["ftp://example.com", "example.com", "https://example.com/?a=1", "https://example.com/#x", "/v3"] {
        assert!(make(bad, Auth::None).is_err(), "{bad}");
    }
    let err = make("https://user:p4ssw0rd@example.com", Auth::None).expect_err("userinfo");
    assert!(!err.to_string().contains("p4ssw0rd") && !format!("{err:?}").contains("p4ssw0rd"), "{err}");
}

#[test]
fn an_explicit_token_url_must_be_https_or_loopback() {
    let cc = |url: &str| Auth::client_credentials_at(url, "id", "secret");
    let make = |auth| Core::new("https://api.example.com", auth, SpecTokenUrl::None, super::OAUTH2);
    assert!(make(cc("https://login.example.com/oauth/token")).is_ok());
    assert!(make(cc("http://127.0.0.1:9/token")).is_ok());
    for bad in ["http://login.example.com/oauth/token", "not a url", "https://u:secret@login.example.com/t"] {
        let err = make(cc(bad)).expect_err(bad);
        assert!(matches!(err, ConfigError::TokenUrl { .. }), "{err:?}");
    }
}
