//! Server URL templates, and whether an OAuth2 token URL is on the host of one: the rule that
//! decides where a generated client may send its client secret.

/// The path (and query) of `token_url` when it is relative, or on the origin of `server` (a URL
/// template) once the server's `{variables}` are put back: `https://tenant.api.example.com/t`
/// is on `https://{tenant}.api.example.com/v3`, with `tenant` standing where `{tenant}` does.
pub fn same_origin_path(token_url: &str, server: &str) -> Option<String> {
    if token_url.starts_with('/') && !token_url.starts_with("//") {
        return Some(token_url.to_string());
    }
    let (token_origin, token_path) = split_origin(token_url)?;
    let (server_origin, _) = split_origin(server)?;
    matches(&server_origin, &token_origin).then(|| if token_path.is_empty() { "/".into() } else { token_path.into() })
}

/// `scheme://authority` (lowercase, default port dropped) and the rest.
fn split_origin(url: &str) -> Option<(String, &str)> {
    let scheme_end = url.find("://")?;
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..].find(['/', '?', '#']).map_or(url.len(), |i| i + authority_start);
    let scheme = url[..scheme_end].to_ascii_lowercase();
    let mut authority = url[authority_start..authority_end].to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    if !default_port.is_empty() && authority.ends_with(default_port) {
        authority.truncate(authority.len() - default_port.len());
    }
    Some((format!("{scheme}://{authority}"), &url[authority_end..]))
}

/// Whether `text` is what `template` gives with some value in each `{variable}`: letters,
/// digits, `-` and `.`, at least one.
fn matches(template: &str, text: &str) -> bool {
    let Some(open) = template.find('{') else {
        return template == text;
    };
    let Some(close) = template[open..].find('}').map(|i| i + open) else {
        return template == text;
    };
    let (literal, rest) = (&template[..open], &template[close + 1..]);
    let Some(after) = text.strip_prefix(literal) else {
        return false;
    };
    let value_len = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || b"-.".contains(b)).count();
    (1..=value_len).any(|len| matches(rest, &after[len..]))
}

#[cfg(test)]
mod tests {
    use super::same_origin_path;

    #[test]
    fn a_placeholder_host_is_the_server_template_with_its_variable_put_back() {
        let server = "https://{tenant}.api.identitynow.com/v3";
        for token in
            ["https://tenant.api.identitynow.com/oauth/token", "https://example-tenant.api.identitynow.com/oauth/token"]
        {
            assert_eq!(same_origin_path(token, server).as_deref(), Some("/oauth/token"), "{token}");
        }
        assert_eq!(same_origin_path("https://tenant.identitynow.com/oauth/token", server), None);
        assert_eq!(same_origin_path("http://tenant.api.identitynow.com/oauth/token", server), None);
        assert_eq!(same_origin_path("https://tenant.api.identitynow.com.evil/oauth/token", server), None);
    }

    #[test]
    fn relative_and_literal_token_urls() {
        assert_eq!(
            same_origin_path("/v1/oauth2/token", "https://api-m.paypal.com").as_deref(),
            Some("/v1/oauth2/token")
        );
        let discord = "https://discord.com/api/v10";
        assert_eq!(
            same_origin_path("https://discord.com/api/oauth2/token", discord).as_deref(),
            Some("/api/oauth2/token")
        );
        assert_eq!(same_origin_path("https://DISCORD.com:443/t?x=1", discord).as_deref(), Some("/t?x=1"));
        assert_eq!(same_origin_path("https://discord.com:8443/t", discord), None);
        assert_eq!(same_origin_path("https://accounts.spotify.com/api/token", "https://api.spotify.com/v1"), None);
        assert_eq!(same_origin_path("//discord.com/t", discord), None);
    }

    #[test]
    fn variables_in_scheme_and_port() {
        let nomad = "{scheme}://{address}:{port}/v1";
        assert_eq!(same_origin_path("https://nomad.local:4646/token", nomad).as_deref(), Some("/token"));
        assert_eq!(same_origin_path("https://nomad.local/token", nomad), None);
    }
}
