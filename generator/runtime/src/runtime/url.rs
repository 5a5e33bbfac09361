//! Where requests may go: server URLs filled from their variables, base URLs, and the origins
//! that credentials are sent to.

use reqwest::Url;

use super::error::ConfigError;

/// A server variable as the generated client passes it: its value, and what the spec says of it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ServerVariable<'a> {
    pub(crate) name: &'static str,
    pub(crate) value: &'a str,
    /// The spec's default, which shows what the variable's place holds (one label or several,
    /// one path segment or several).
    pub(crate) default: &'static str,
    /// The spec's `enum`: when not empty, the only values taken.
    pub(crate) allowed: &'static [&'static str],
}

/// Where a `{variable}` stands in a server URL template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Scheme,
    /// In the host; `whole` when the variable is the entire host.
    Host {
        whole: bool,
    },
    Port,
    /// In the path; `at_start` when nothing separates it from the host (`https://h{base}`).
    Path {
        at_start: bool,
    },
    Query,
}

/// `template` with each `{name}` replaced by its value, once every value is shown to fit its
/// place: a value can never change the scheme, host, port or path around it.
pub(crate) fn server_url(template: &str, variables: &[ServerVariable]) -> Result<String, ConfigError> {
    let mut url = template.to_string();
    for v in variables {
        let placeholder = format!("{{{}}}", v.name);
        if let Some(place) = place_of(template, &placeholder, v.default) {
            check(v, place).map_err(|reason| ConfigError::ServerVariable {
                name: v.name.to_string(),
                value: v.value.to_string(),
                reason,
            })?;
        }
        url = url.replace(&placeholder, v.value);
    }
    Ok(url)
}

/// The place of `placeholder`, from the template and, where the template alone cannot say
/// (`https://host{basePath}`), from the spec's default value.
fn place_of(template: &str, placeholder: &str, default: &str) -> Option<Place> {
    let at = template.find(placeholder)?;
    let Some(scheme_end) = template.find("://") else {
        return Some(Place::Path { at_start: false });
    };
    if at < scheme_end {
        return Some(Place::Scheme);
    }
    let authority_start = scheme_end + 3;
    let authority_end =
        template[authority_start..].find(['/', '?', '#']).map_or(template.len(), |i| i + authority_start);
    if at >= authority_end {
        let query = template[authority_end..].find(['?', '#']).map(|i| i + authority_end);
        return Some(match query {
            Some(q) if at > q => Place::Query,
            _ => Place::Path { at_start: at == authority_end },
        });
    }
    // Text glued to the host whose default starts with `/` begins the path.
    if default.starts_with('/') && at > authority_start {
        return Some(Place::Path { at_start: true });
    }
    let authority = &template[authority_start..authority_end];
    // The port follows the last `:` that is outside an IPv6 literal's brackets.
    let port_colon = authority.rfind(':').filter(|&i| !authority[i..].contains(']'));
    let host_end = port_colon.map_or(authority_end, |i| i + authority_start);
    if at > host_end {
        return Some(Place::Port);
    }
    Some(Place::Host { whole: &template[authority_start..host_end] == placeholder })
}

fn check(v: &ServerVariable, place: Place) -> Result<(), String> {
    let value = v.value;
    if !v.allowed.is_empty() {
        return if v.allowed.contains(&value) {
            Ok(())
        } else {
            Err(format!(
                "the spec allows only {}",
                v.allowed.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(", ")
            ))
        };
    }
    if value.is_empty() {
        return if v.default.is_empty() { Ok(()) } else { Err("it is empty".into()) };
    }
    match place {
        Place::Scheme => match value.to_ascii_lowercase().as_str() {
            "http" | "https" => Ok(()),
            _ => Err("the scheme must be `http` or `https`".into()),
        },
        Place::Port => match value.parse::<u16>() {
            Ok(port) if port > 0 && value.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
            _ => Err("a port is a number from 1 to 65535".into()),
        },
        Place::Host { whole } => {
            if whole && value.starts_with('[') && value.ends_with(']') {
                let inner = &value[1..value.len() - 1];
                return if inner.parse::<std::net::Ipv6Addr>().is_ok() {
                    Ok(())
                } else {
                    Err("it is not an IPv6 address".into())
                };
            }
            // The spec's default shows whether the place holds one label or several.
            let several = whole || v.default.contains('.');
            let labels: Vec<&str> = value.split('.').collect();
            if !several && labels.len() > 1 {
                return Err("it must be a single host label (letters, digits and `-`)".into());
            }
            if labels.iter().all(|l| is_label(l)) {
                Ok(())
            } else {
                Err("a host is made of labels of letters, digits and `-`, separated by `.`".into())
            }
        }
        Place::Path { at_start } => {
            let several = at_start || v.default.contains('/');
            if at_start && !value.starts_with('/') {
                return Err("it must begin with `/`".into());
            }
            let segments: Vec<&str> = value.strip_prefix('/').unwrap_or(value).split('/').collect();
            if !several && (segments.len() > 1 || value.starts_with('/')) {
                return Err("it must be a single path segment (no `/`)".into());
            }
            if segments.iter().all(|s| is_segment(s)) {
                Ok(())
            } else {
                Err("path segments take letters, digits, `-`, `.`, `_` and `~`, and cannot be `.` or `..`".into())
            }
        }
        Place::Query => {
            if is_segment(value) {
                Ok(())
            } else {
                Err("it takes letters, digits, `-`, `.`, `_` and `~`".into())
            }
        }
    }
}

fn is_label(label: &str) -> bool {
    (1..=63).contains(&label.len()) && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// RFC 3986's unreserved characters, and not a dot segment.
fn is_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// A base URL that requests can be sent below: `http` or `https`, with a host, and with no
/// user name or password (they would be sent with every request and shown in every log), no
/// query and no fragment (operation paths are appended to it).
pub(crate) fn base_url(text: &str) -> Result<Url, ConfigError> {
    let refuse = |url: &str, reason: &str| ConfigError::BaseUrl { url: url.to_string(), reason: reason.to_string() };
    let url = Url::parse(text).map_err(|e| refuse(text, &e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Not repeated in the error: it holds a credential.
        return Err(refuse("(not shown: it holds credentials)", "credentials go in `Auth`, not in the URL"));
    }
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(refuse(text, "it must be an http or https URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(text, "operation paths are appended to it, so it cannot have a query or a fragment"));
    }
    Ok(url)
}

/// Whether credentials may be sent to `url`: over TLS, or in the clear to this machine only.
pub(crate) fn may_carry_credentials(url: &Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && is_loopback(url))
}

/// Whether `url`'s host is this machine: `localhost` (and its subdomains), `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}
