//! A client configured from environment variables (`Client::from_env`): the base URL and the
//! credentials of the spec's security schemes, under names the generator chose from a prefix.

use reqwest::Url;

use super::auth::{Auth, Token};
use super::error::ConfigError;

/// Where a credential's values come from: the variables the generator named for one kind of
/// credential of the spec.
#[derive(Clone, Copy, Debug)]
pub(crate) enum EnvCredential {
    /// OAuth2 client credentials (`{PREFIX}_CLIENT_ID`, `{PREFIX}_CLIENT_SECRET`), for every
    /// scheme that takes a token; `token_url` names a variable that may give the token URL.
    ClientCredentials { id: &'static str, secret: &'static str, token_url: &'static str },
    /// A token for every scheme that takes one.
    Token { var: &'static str },
    /// The API key of one scheme.
    Key { scheme: &'static str, var: &'static str },
    /// HTTP Basic for one scheme.
    Basic { scheme: &'static str, username: &'static str, password: &'static str },
}

/// Variables read through a lookup: the process environment for `from_env`, a map in tests.
pub(crate) struct Env<F: Fn(&str) -> Option<String>> {
    get: F,
}

/// The process environment (an empty or non-UTF-8 variable counts as unset).
pub(crate) fn process_env() -> Env<impl Fn(&str) -> Option<String>> {
    Env { get: |name: &str| std::env::var(name).ok() }
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    #[cfg(test)]
    pub(crate) fn with(get: F) -> Self {
        Self { get }
    }

    /// The variable's value, when it is set and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        (self.get)(name).filter(|v| !v.trim().is_empty())
    }

    /// The variable's value, or an error naming it and, as `instead`, what may stand for it.
    pub(crate) fn require(&self, name: &str, instead: &str) -> Result<String, ConfigError> {
        self.get(name).ok_or_else(|| ConfigError::Environment { missing: format!("{name} (or {instead})") })
    }

    /// The base URL in `var`, if set. One with no path (`https://acme.example.com`) gets the
    /// path of the spec's server (`/v3`), so that one variable serves each API of a crate, as
    /// the base URL of a vendor's other SDKs does.
    pub(crate) fn base_url(&self, var: &str, server: Option<&str>) -> Result<Option<String>, ConfigError> {
        let Some(given) = self.get(var) else { return Ok(None) };
        let given = given.trim().to_string();
        let parsed = Url::parse(&given)
            .map_err(|e| ConfigError::BaseUrl { url: given.clone(), reason: format!("{var} does not parse: {e}") })?;
        match server.and_then(server_path) {
            Some(path) if parsed.path() == "/" && !path.contains(['{', '}']) => {
                Ok(Some(format!("{}{path}", given.trim_end_matches('/'))))
            }
            _ => Ok(Some(given)),
        }
    }

    /// The credentials the variables of `credentials` give. A credential of several variables
    /// with some but not all set is an error naming those missing; so is no credential at all
    /// when `required` (every operation of the API needs one). Client credentials win over a
    /// token when both are set.
    pub(crate) fn auth(&self, credentials: &[EnvCredential], required: bool) -> Result<Auth, ConfigError> {
        let mut auth = Auth::none();
        // Tokens first, so that client credentials (for the same schemes) replace them.
        let mut ordered: Vec<&EnvCredential> = credentials.iter().collect();
        ordered.sort_by_key(|c| !matches!(c, EnvCredential::Token { .. }));
        for credential in ordered {
            auth = match *credential {
                EnvCredential::Token { var } => match self.get(var) {
                    Some(token) => auth.token_for_every_scheme(Token::Static(token.into())),
                    None => auth,
                },
                EnvCredential::Key { scheme, var } => match self.get(var) {
                    Some(key) => auth.api_key_for(scheme, key),
                    None => auth,
                },
                EnvCredential::Basic { scheme, username, password } => match self.all(&[username, password])? {
                    Some(values) => auth.basic_for(scheme, values[0].clone(), values[1].clone()),
                    None => auth,
                },
                EnvCredential::ClientCredentials { id, secret, token_url } => match self.all(&[id, secret])? {
                    Some(values) => {
                        let (id, secret) = (values[0].clone(), values[1].clone());
                        let token = match self.get(token_url) {
                            Some(url) => Token::client_credentials_at(url, id, secret),
                            None => Token::client_credentials(id, secret),
                        };
                        auth.token_for_every_scheme(token)
                    }
                    None => auth,
                },
            };
        }
        if required && auth.is_empty() {
            let options: Vec<String> = credentials.iter().map(describe).collect();
            return Err(ConfigError::Environment { missing: format!("credentials: set {}", options.join(", or ")) });
        }
        Ok(auth)
    }

    /// The values of all of `names`, none of them, or an error naming those missing.
    fn all(&self, names: &[&str]) -> Result<Option<Vec<String>>, ConfigError> {
        let values: Vec<Option<String>> = names.iter().map(|n| self.get(n)).collect();
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        let missing: Vec<&str> = names.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(n, _)| *n).collect();
        if !missing.is_empty() {
            let given: Vec<&str> = names.iter().zip(&values).filter(|(_, v)| v.is_some()).map(|(n, _)| *n).collect();
            return Err(ConfigError::Environment {
                missing: format!("{} (set beside {})", missing.join(" and "), given.join(" and ")),
            });
        }
        Ok(Some(values.into_iter().flatten().collect()))
    }
}

/// The path of a server URL template (`/v3` of `https://{tenant}.example.com/v3/`), when it
/// has one: read from the text, since a template's braces are not a URL's.
fn server_path(template: &str) -> Option<&str> {
    let rest = &template[template.find("://")? + 3..];
    let path = &rest[rest.find('/')?..];
    let path = path[..path.find(['?', '#']).unwrap_or(path.len())].trim_end_matches('/');
    (!path.is_empty()).then_some(path)
}

/// The variables of a credential, in words.
fn describe(credential: &EnvCredential) -> String {
    match credential {
        EnvCredential::ClientCredentials { id, secret, .. } => format!("{id} and {secret}"),
        EnvCredential::Token { var } | EnvCredential::Key { var, .. } => var.to_string(),
        EnvCredential::Basic { username, password, .. } => format!("{username} and {password}"),
    }
}
