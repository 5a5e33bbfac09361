//! `README.md` and `examples/{module}.rs`: what a user of the crate reads first. The README
//! says, from the spec, what each API is, where its server is and how it authenticates, and
//! shows each API module's example; the example is a file of the crate's `examples/`, so that
//! building the crate's tests compiles it (and `cargo run --example {module}` runs it).

use heck::ToShoutySnakeCase;

use super::api::{body_arg, env_credentials, env_var, placement, setter_names, Arg, EnvVar};
use super::models::has_default;
use super::syntax::{crate_ident, crate_path};
use super::CrateOptions;
use crate::ir::{Api, HttpMethod, Operation, Parameter, SchemeKind};
use crate::naming;
use crate::normalize::{Model, OperationPlan, PageStyle, ParamForm, RustType, Shape, Success};

/// The call an API's example makes: an operation that needs no body and whose required
/// parameters are plain text or numbers, preferring one that lists page by page, then a `GET`,
/// then the fewest arguments.
struct Call<'m> {
    /// The operation's index in its API.
    index: usize,
    op: &'m Operation,
    method: &'m str,
    /// The literal of each required argument, in the method's order.
    args: Vec<String>,
    /// The argument of `stream(...)` when the operation lists page by page.
    stream: Option<&'static str>,
    /// Whether a success has no body.
    unit: bool,
}

fn example_call<'m>(model: &'m Model, api_index: usize, krate: &str) -> Option<Call<'m>> {
    let api = &model.ir.apis[api_index];
    // Deprecated last, then lists first, no body, GET, fewest arguments, shortest path.
    type Rank = (bool, bool, bool, bool, usize, usize);
    let mut best: Option<(Rank, Call)> = None;
    for (i, op) in api.operations.iter().enumerate() {
        let plan = model.operation(api_index, i);
        let required = &plan.order[..plan.optional_start];
        let mut args: Vec<String> = match required.iter().map(|&p| literal(model, &op.parameters[p], krate)).collect() {
            Some(args) => args,
            None => continue,
        };
        if let Some(body) = &op.body {
            match body_literal(model, &body_arg(model, body), krate) {
                Some(body) => args.push(body),
                None => continue,
            }
        }
        let stream = plan.pagination.as_ref().map(|p| match p.style {
            PageStyle::Offset { .. } => "10",
            _ => "",
        });
        let key = (
            op.deprecated,
            stream.is_none(),
            op.body.is_some(),
            op.method != HttpMethod::Get,
            args.len(),
            op.path.len(),
        );
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            let unit = plan.success == Success::Unit;
            best = Some((key, Call { index: i, op, method: &plan.names.method, args, stream, unit }));
        }
    }
    best.map(|(_, call)| call)
}

/// A literal for a required parameter: its name for text, `1` or `true` for a number or a
/// boolean, an enum's first value, now, an empty list; `None` for what the example cannot make
/// up (a struct with required fields, a union), which it avoids.
fn literal(model: &Model, p: &Parameter, krate: &str) -> Option<String> {
    if model.unwrap_nullable(p.schema).1 {
        return None;
    }
    match model.param_form(p) {
        ParamForm::Str => Some(format!("{:?}", p.name)),
        ParamForm::Value(t) => value_literal(model, &t, krate),
        ParamForm::List(_) => Some("&[]".into()),
        ParamForm::Ref(t) => body_literal(model, &Arg::Ref(t), krate),
    }
}

fn value_literal(model: &Model, t: &RustType, krate: &str) -> Option<String> {
    match t {
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => Some("1".into()),
        RustType::U8 | RustType::U16 | RustType::U32 | RustType::U64 => Some("1".into()),
        RustType::F32 | RustType::F64 => Some("1.0".into()),
        RustType::Bool => Some("true".into()),
        RustType::DateTime => Some("chrono::Utc::now()".into()),
        RustType::Date => Some("chrono::Utc::now().date_naive()".into()),
        RustType::Uuid => Some("uuid::Uuid::nil()".into()),
        RustType::Ipv4 => Some("std::net::Ipv4Addr::LOCALHOST".into()),
        RustType::Ipv6 => Some("std::net::Ipv6Addr::LOCALHOST".into()),
        RustType::IpAddr => Some("std::net::Ipv4Addr::LOCALHOST.into()".into()),
        RustType::Model(id) => match &model.type_def(*id).shape {
            Shape::Enum { values } => values
                .first()
                .map(|v| format!("{krate}::models::{}::{}", model.type_def(*id).name, naming::variant_ident(v))),
            _ => None,
        },
        _ => None,
    }
}

/// A body the example can write without knowing the API: an empty list, nothing for an
/// optional body, text, or a struct with no required field (`default()`).
fn body_literal(model: &Model, arg: &Arg, krate: &str) -> Option<String> {
    match arg {
        Arg::Slice(_) => Some("&[]".into()),
        Arg::Option(_) => Some("None".into()),
        Arg::Str => Some("\"\"".into()),
        Arg::Ref(RustType::Model(id)) => match &model.type_def(*id).shape {
            Shape::Struct { fields, .. } if has_default(fields, model) => {
                Some(format!("&{krate}::models::{}::default()", model.type_def(*id).name))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The prefix of the variables an example reads its credentials from: the user's
/// `--env-prefix`, else the crate's name.
fn prefix(options: &CrateOptions) -> String {
    options.env_prefix.map(str::to_string).unwrap_or_else(|| options.crate_name.to_shouty_snake_case())
}

/// How the example makes its client: its statements, whether they name `Auth`, and the
/// environment variables they read.
struct ClientSetup {
    lines: Vec<String>,
    names_auth: bool,
    reads: Vec<String>,
}

/// With an environment prefix, `from_env`; else the spec's server (or a placeholder base URL)
/// and the credentials the call's first security requirement names, read from variables.
fn client_setup(api: &Api, call: Option<&Call>, options: &CrateOptions) -> ClientSetup {
    let module = &api.module;
    if options.env_prefix.is_some() {
        let lines = vec![format!("let client = {module}::Client::from_env()?;")];
        return ClientSetup { lines, names_auth: false, reads: Vec::new() };
    }
    let prefix = prefix(options);
    let requirement: Vec<&str> = match call {
        Some(call) => call.op.security.first().map(|r| r.iter().map(String::as_str).collect()).unwrap_or_default(),
        None => api.schemes.first().map(|s| vec![s.name.as_str()]).unwrap_or_default(),
    };
    let schemes: Vec<_> = api.schemes.iter().filter(|s| requirement.contains(&s.name.as_str())).collect();
    let token_var = env_var(&prefix, "token");
    let vars = env_credentials(api, &prefix);
    let mut reads: Vec<String> = Vec::new();
    let mut read = |var: &str| {
        reads.push(var.to_string());
        format!("std::env::var({var:?})?")
    };
    let (auth, names_auth) = if schemes.is_empty() {
        ("Auth::none()".to_string(), true)
    } else if schemes.iter().all(|s| matches!(s.kind, SchemeKind::Http { .. } | SchemeKind::OAuth2 { .. })) {
        (format!("Auth::bearer({})", read(&token_var)), true)
    } else {
        let mut text = format!("{module}::Credentials::new()");
        for (method, scheme) in setter_names(api).iter().filter(|(_, s)| schemes.iter().any(|c| c.name == s.name)) {
            let args = match vars.iter().find(
                |v| matches!(v, EnvVar::Key { scheme: n, .. } | EnvVar::Basic { scheme: n, .. } if *n == scheme.name),
            ) {
                Some(EnvVar::Key { var, .. }) => read(var),
                Some(EnvVar::Basic { username, password, .. }) => format!("{}, {}", read(username), read(password)),
                _ => read(&token_var),
            };
            text.push_str(&format!("\n        .{method}({args})"));
        }
        (text, false)
    };
    let client = match api.server.as_ref().filter(|s| s.is_absolute()) {
        Some(server) => {
            let args: String = server.variables.iter().map(|v| format!("{:?}, ", v.default)).collect();
            format!("let client = {module}::Client::new({args}auth)?;")
        }
        None => format!("let client = {module}::Client::with_base_url(\"https://api.example.com\", auth)?;"),
    };
    ClientSetup { lines: vec![format!("let auth = {auth};"), client], names_auth, reads }
}

/// `examples/{module}.rs`: a program that makes a client of the API and calls one operation.
pub fn example(model: &Model, api_index: usize, options: &CrateOptions) -> String {
    let api = &model.ir.apis[api_index];
    let module = &api.module;
    // The crate's path: its models are named through it in the call's arguments.
    let krate = crate_path(options.crate_name, module);
    let call = example_call(model, api_index, &krate);
    let setup = client_setup(api, call.as_ref(), options);
    let mut imports = vec![module.to_string()];
    if setup.names_auth {
        imports.push("Auth".into());
    }
    let mut body: Vec<String> = setup.lines.clone();
    let about = match &call {
        Some(call) => {
            let args = call.args.join(", ");
            let invoke = format!("client.{}({args})", call.method);
            match call.stream {
                Some(page) => {
                    imports.push("StreamExt".into());
                    body.push("// The first ten items, fetched a page at a time as the stream is read.".into());
                    body.push(format!("let items: Vec<_> = {invoke}.stream({page}).take(10).collect().await;"));
                    body.push("for item in items {".into());
                    body.push("    println!(\"{:?}\", item?);".into());
                    body.push("}".into());
                }
                None => {
                    imports.push("Error".into());
                    body.push(format!("match {invoke}.await {{"));
                    body.push(if call.unit {
                        "    Ok(()) => println!(\"done\"),".into()
                    } else {
                        "    Ok(answer) => println!(\"{answer:#?}\"),".into()
                    });
                    body.push("    // A status the spec documents, with its typed body.".into());
                    body.push(
                        "    Err(Error::Api(e)) => eprintln!(\"the API answered {}: {:?}\", e.status, e.body),".into(),
                    );
                    body.push("    Err(e) => return Err(e.into()),".into());
                    body.push("}".into());
                }
            }
            format!("one call of `{}` (`{} {}`)", call.op.id, call.op.method.as_upper(), call.op.path)
        }
        None => {
            body.push("println!(\"{}\", client.base_url());".into());
            if api.operations.is_empty() {
                "a client (the spec has no operations)".into()
            } else {
                "a client (every operation needs a value the example cannot make up)".into()
            }
        }
    };
    let mut out = format!("//! {} {}: {about}.\n", one_line(&api.title), one_line(&api.version));
    out.push_str(&format!("//!\n//! `cargo run --example {module}`{}.\n\n", run_with(&setup, options)));
    let imports = match imports.as_slice() {
        [one] => one.clone(),
        many => format!("{{{}}}", many.join(", ")),
    };
    out.push_str(&format!("use {krate}::{imports};\n\n"));
    out.push_str("#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    for line in body {
        for line in line.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out.push_str("    Ok(())\n}\n");
    out
}

/// What a run of the example needs set: `, with SAIL_CLIENT_ID ... set`.
fn run_with(setup: &ClientSetup, options: &CrateOptions) -> String {
    let vars: Vec<String> = match options.env_prefix {
        Some(prefix) => {
            vec![format!("`{}` and the credentials `Client::from_env` documents", env_var(prefix, "base_url"))]
        }
        None => setup.reads.iter().map(|v| format!("`{v}`")).collect(),
    };
    if vars.is_empty() {
        String::new()
    } else {
        format!(", with {} set", vars.join(" and "))
    }
}

/// Spec text on one line, for a title or a table cell.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// The first paragraph of a description that is prose (not a heading, a table, HTML or code),
/// on one line: the README's summary of an API, whose full description is its module's docs.
fn summary(description: &str) -> Option<String> {
    description
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with(['#', '<', '|', '!', '`', '-', '*', '>', '=']))
        .map(one_line)
}

/// `README.md`: the crate, each API with its server, authentication and example, and the
/// features every generated client has.
pub fn readme(model: &Model, options: &CrateOptions) -> String {
    let name = options.crate_name;
    let mut out = format!("<!-- {} -->\n\n# {name}\n\n", options.header());
    let titles: Vec<String> =
        model.ir.apis.iter().map(|a| format!("{} {}", one_line(&a.title), one_line(&a.version))).collect();
    out.push_str(&format!(
        "A typed async Rust client for {}, generated by sdkgen from `{}`.\n\n",
        titles.join(", "),
        options.inputs.join("`, `")
    ));
    out.push_str("| module | API | version | server |\n|---|---|---|---|\n");
    for api in &model.ir.apis {
        let server = api.server.as_ref().map(|s| format!("`{}`", s.url)).unwrap_or_else(|| "none given".into());
        out.push_str(&format!(
            "| `{}` | {} | {} | {server} |\n",
            api.module,
            one_line(&api.title),
            one_line(&api.version)
        ));
    }
    out.push_str(&format!(
        "\nTypes the APIs share are defined once, in `{}::models`.\n\n## Install\n\n```toml\n[dependencies]\n\
         {name} = {{ path = \"../{name}\" }}  # where this crate is\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n",
        crate_ident(name)
    ));
    for i in 0..model.ir.apis.len() {
        out.push_str(&api_section(model, i, options));
    }
    out.push_str(&usage(model));
    out
}

/// One API's section: its summary, server, authentication and example.
fn api_section(model: &Model, api_index: usize, options: &CrateOptions) -> String {
    let api = &model.ir.apis[api_index];
    let module = &api.module;
    let mut out = format!("## `{module}`: {} {}\n\n", one_line(&api.title), one_line(&api.version));
    if let Some(summary) = api.description.as_deref().and_then(summary) {
        out.push_str(&format!("{summary}\n\n"));
    }
    match api.server.as_ref().filter(|s| s.is_absolute()) {
        Some(server) => {
            out.push_str(&format!("`{module}::Client::new` uses the spec's server, `{}`", server.url));
            let vars: Vec<String> =
                server.variables.iter().map(|v| format!("`{}` (default `{}`)", v.name, one_line(&v.default))).collect();
            if !vars.is_empty() {
                out.push_str(&format!(", taking {}", vars.join(", ")));
            }
            out.push_str(&format!("; `{module}::Client::with_base_url` takes any other.\n\n"));
        }
        None => out.push_str(&format!(
            "The spec names no server of its own: `{module}::Client::with_base_url` takes yours.\n\n"
        )),
    }
    out.push_str(&authentication(api, options));
    out.push_str(&format!(
        "Example (`examples/{module}.rs`, built with the crate's tests):\n\n```rust,no_run\n{}```\n\n",
        example(model, api_index, options)
    ));
    out
}

/// How to authenticate with each of the API's schemes.
fn authentication(api: &Api, options: &CrateOptions) -> String {
    let module = &api.module;
    if api.schemes.is_empty() {
        return "The spec names no security scheme: clients take `Auth::none()`.\n\n".into();
    }
    let mut out = String::from("Authentication, by the spec's security schemes:\n\n");
    for (method, scheme) in setter_names(api) {
        let how = match scheme.kind {
            SchemeKind::Basic => format!("`{module}::Credentials::new().{method}(username, password)`"),
            SchemeKind::ApiKey { .. } => format!("`{module}::Credentials::new().{method}(key)`"),
            SchemeKind::Http { .. } => {
                format!("`Auth::bearer(token)`, or `{module}::Credentials::new().{method}(token)`")
            }
            SchemeKind::OAuth2 { client_credentials } => {
                let mut how = format!("`Auth::bearer(token)`, or `{module}::Credentials::new().{method}(token)`");
                if client_credentials {
                    how.push_str(
                        "; OAuth2 client credentials with `Auth::client_credentials(id, secret)` \
                         (tokens fetched and refreshed for you)",
                    );
                }
                how
            }
        };
        out.push_str(&format!("- `{}`: sent as {}: {how}.\n", scheme.name, placement(scheme)));
    }
    if let Some(prefix) = options.env_prefix {
        out.push_str(&format!(
            "\n`{module}::Client::from_env()` reads `{}` and the credentials from the environment:",
            env_var(prefix, "base_url")
        ));
        for var in env_credentials(api, prefix) {
            out.push_str(&match var {
                EnvVar::ClientCredentials { id, secret, .. } => format!(" `{id}` and `{secret}`,"),
                EnvVar::Token { var, .. } => format!(" `{var}`,"),
                EnvVar::Key { var, .. } => format!(" `{var}`,"),
                EnvVar::Basic { username, password, .. } => format!(" `{username}` and `{password}`,"),
            });
        }
        out.pop();
        out.push_str(" (its documentation says which is which).\n");
    }
    out.push('\n');
    out
}

/// What every client of the crate does: lists, streams, webhooks, errors, retries and
/// timeouts, hooks and features, with the crate's own operations named where it has them.
fn usage(model: &Model) -> String {
    let mut out = String::from("## Calls\n\n");
    out.push_str(
        "Every operation is a method of its API's `Client` that takes the required parameters and \
         returns a call: set optional parameters on it, then `.await` it. A call also takes \
         `.header(name, value)` and `.timeout(duration)` for itself alone.\n\n",
    );
    if let Some(example) = first_method(model, |plan| plan.pagination.is_some()) {
        out.push_str(&format!(
            "An operation that lists page by page also has `.stream(...)`, a `Stream` of every item, \
             fetched a page at a time as it is read (`{example}` is one).\n\n"
        ));
    }
    if let Some(example) = first_method(model, |plan| plan.stream.is_some()) {
        out.push_str(&format!(
            "An operation that answers with a stream of events (server-sent events, JSON lines) \
             also has `.events()`, a `Stream` of typed events read as they come (`{example}` is \
             one).\n\n"
        ));
    }
    if model.has_webhooks() {
        let modules: Vec<String> = model
            .ir
            .apis
            .iter()
            .enumerate()
            .filter(|(i, _)| !model.webhooks(*i).is_empty())
            .map(|(_, api)| format!("`{}::webhooks`", api.module))
            .collect();
        out.push_str(&format!(
            "The requests the API sends you (webhooks and callbacks) are typed in {}: a parse \
             function per payload, and a Standard Webhooks signature verifier that takes your \
             secret.\n\n",
            modules.join(", ")
        ));
    }
    out.push_str(USAGE);
    out.push_str(&features(model));
    out
}

/// `module::Client::method` of the crate's first operation whose plan `has`, if any.
fn first_method(model: &Model, has: impl Fn(&OperationPlan) -> bool) -> Option<String> {
    model.ir.apis.iter().enumerate().find_map(|(a, api)| {
        (0..api.operations.len())
            .map(|o| model.operation(a, o))
            .find(|plan| has(plan))
            .map(|plan| format!("{}::Client::{}", api.module, plan.names.method))
    })
}

/// The part of the README that every generated crate shares.
const USAGE: &str = "## Errors

A call fails with `Error<E>`: `Error::Api` for a status the spec documents (its body typed \
as the operation's error enum `E`, one variant per status), `Error::UnexpectedStatus` for one \
it does not, and errors of decoding, transport and authentication. None of them shows a \
credential.

## Retries, timeouts and hooks

A client retries what is safe to retry (connection errors, `429` and `503` with \
`Retry-After`, gateway errors for idempotent methods) with backoff: `with_retry(RetryPolicy { \
.. })` changes how, `with_timeout` sets the time a request may take, `with_user_agent` the \
`User-Agent` (the crate's name and version by default). `with_hook` adds a `Hook` that sees \
every request before it is sent (and may add headers) and every response's status, headers \
and time; it never sees a credential.

";

/// The feature the example of API `api_index` needs: one of its operation's (an example that
/// makes only a client needs none).
pub fn example_feature(model: &Model, api_index: usize, crate_name: &str) -> Option<String> {
    let call = example_call(model, api_index, &crate_ident(crate_name))?;
    model.features.operation(api_index, call.index)?.first().cloned()
}

/// The `## Features` section: `all` and what each API's and each tag's feature compiles.
fn features(model: &Model) -> String {
    if !model.features.gate() {
        return "## Features\n\n- `tracing`: a `tracing` span per HTTP attempt (operation, method, path template, \
                attempt, status), never with a credential.\n"
            .into();
    }
    let mut out = String::from(
        "## Features\n\n\
         Each API has a feature, and each tag of an API with several tags has one; `all`, the \
         default, turns every one on. With `default-features = false` and the features you \
         name, only their operations and the model types those reach are compiled (a type that \
         two features reach is one type, there with either).\n\n",
    );
    for (api, features) in model.ir.apis.iter().zip(&model.features.apis) {
        let tags = if features.tags.is_empty() {
            "every operation".to_string()
        } else {
            let names: Vec<String> = features.tags.iter().map(|(f, _)| format!("`{f}`")).collect();
            names.join(", ")
        };
        out.push_str(&format!("- `{}`: the `{}` module: {tags}\n", features.name, api.module));
        for (feature, tags) in &features.tags {
            let tags: Vec<String> = tags.iter().map(|t| format!("\"{}\"", one_line(t))).collect();
            if tags.is_empty() {
                out.push_str(&format!("  - `{feature}`: the operations without a tag\n"));
            } else {
                out.push_str(&format!("  - `{feature}`: the operations tagged {}\n", tags.join(", ")));
            }
        }
    }
    out.push_str(
        "- `tracing` (not in `all`): a `tracing` span per HTTP attempt (operation, method, path \
         template, attempt, status), never with a credential.\n",
    );
    out
}
