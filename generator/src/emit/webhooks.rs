//! An API's `webhooks` module: the requests it sends to its users' servers, as an enum of their
//! events (when a payload property tells them apart) and a parse function per webhook.

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{doc_attrs, ident, type_tokens};
use crate::ir::Webhook;
use crate::normalize::{Model, WebhookGroup, WebhookPlan};

/// The module of `model.ir.apis[api]`'s webhooks and callbacks.
pub fn webhooks_module(model: &Model, api: usize) -> TokenStream {
    let groups = model.webhooks(api);
    let title = &model.ir.apis[api].title;
    let doc = [
        format!(" The requests {title} sends to your servers (its webhooks and callbacks), their payloads typed."),
        String::new(),
        " Check a request's signature with [`WebhookVerifier`](crate::WebhookVerifier) before trusting it, then"
            .to_string(),
        " parse its body here.".to_string(),
    ];
    let uses_models =
        groups.iter().flat_map(|g| &g.hooks).any(|h| h.payload.as_ref().is_some_and(|t| t.mentions_model()));
    let models = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let items = groups.iter().map(|g| group(model, api, g));
    quote! {
        #(#![doc = #doc])*
        // Payloads are held inline, as they come from the sender.
        #![allow(clippy::large_enum_variant)]

        #models
        use crate::webhook::WebhookError;

        #(#items)*
    }
}

fn group(model: &Model, api: usize, group: &WebhookGroup) -> TokenStream {
    let hooks = &model.ir.apis[api].webhooks;
    let functions = group.hooks.iter().filter_map(|h| function(model, &hooks[h.index], h));
    let enum_def = group.has_enum.then(|| events_enum(model, api, group));
    quote! {
        #enum_def
        #(#functions)*
    }
}

/// What a webhook is, for docs: its name and method, and its summary or description.
fn hook_doc(hook: &Webhook) -> String {
    let what = match &hook.operation {
        Some(op) => format!("Callback `{}` of `{op}`", hook.name),
        None => format!("Webhook `{}`", hook.name),
    };
    let about = [&hook.summary, &hook.description].into_iter().flatten().map(|t| t.trim()).find(|t| !t.is_empty());
    match about {
        Some(text) => format!("{what} (`{}`): {text}", hook.method.as_upper()),
        None => format!("{what} (`{}`).", hook.method.as_upper()),
    }
}

/// `parse_{name}`: a webhook's body as its payload type.
fn function(model: &Model, hook: &Webhook, plan: &WebhookPlan) -> Option<TokenStream> {
    let payload = type_tokens(model, plan.payload.as_ref()?, "models::");
    let name = ident(&plan.function);
    let doc = doc_attrs(Some(&format!(
        "{}\n\nReads the request's body as its payload; an error names the field that does not fit.",
        hook_doc(hook)
    )));
    Some(quote! {
        #doc
        pub fn #name(body: &[u8]) -> Result<#payload, WebhookError> {
            crate::webhook::parse(body)
        }
    })
}

/// The enum of a group's events; `parse` when a tag tells them apart, and `parse_named`.
fn events_enum(model: &Model, api: usize, group: &WebhookGroup) -> TokenStream {
    let hooks = &model.ir.apis[api].webhooks;
    let name = ident(&group.enum_name);
    let with_payload: Vec<&WebhookPlan> = group.hooks.iter().filter(|h| h.payload.is_some()).collect();
    let variants = with_payload.iter().map(|h| {
        let variant = ident(&h.variant);
        let payload = type_tokens(model, h.payload.as_ref().expect("filtered"), "models::");
        let doc = doc_attrs(Some(&hook_doc(&hooks[h.index])));
        quote!(#doc #variant(#payload),)
    });
    let named_arms = with_payload.iter().map(|h| {
        let (variant, key) = (ident(&h.variant), &h.key);
        quote!(#key => crate::webhook::parse(body).map(Self::#variant),)
    });
    let by = match group.tag {
        Some(tag) => format!("told apart by their `{tag}`"),
        None => "told apart by the webhook's name (`parse_named`)".to_string(),
    };
    let doc = match &group.operation {
        Some(op) => format!(" The callbacks [`Client::{op}`](super::Client::{op}) registers, {by}."),
        None => format!(" The webhooks of this API, {by}."),
    };
    let what = group.tag.map_or("name".to_string(), |tag| format!("`{tag}`"));
    let other_doc =
        format!(" An event this crate does not know (the spec may have gained it since): its {what}, and its payload.");
    let parse = group.tag.map(|tag| tag_parse(group, tag));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #other_doc]
            Other { event: String, payload: serde_json::Value },
        }

        impl #name {
            #parse

            /// Reads a request's body as the event of the webhook named `name` (its key in the
            /// spec), for senders that say which it is elsewhere than in the body (the URL, a
            /// header). A name the spec does not list is `Other`; an error names the field that
            /// does not fit.
            pub fn parse_named(name: &str, body: &[u8]) -> Result<Self, WebhookError> {
                match name {
                    #(#named_arms)*
                    _ => Ok(Self::Other { event: name.to_string(), payload: crate::webhook::json(body)? }),
                }
            }
        }
    }
}

/// `parse`: the event the payload's `tag` names.
fn tag_parse(group: &WebhookGroup, tag: &str) -> TokenStream {
    let arms = group.hooks.iter().filter(|h| h.payload.is_some()).map(|h| {
        let variant = ident(&h.variant);
        let values = &h.tag_values;
        quote!(#(#values)|* => crate::webhook::decode(value).map(Self::#variant),)
    });
    quote! {
        /// Reads a request's body as the event its tag names; an event of a tag the spec
        /// does not list is `Other`. An error says why the body does not read, naming the
        /// field that does not fit.
        pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
            let value = crate::webhook::json(body)?;
            let event = crate::webhook::event_type(&value, #tag)?;
            match event.as_str() {
                #(#arms)*
                _ => Ok(Self::Other { event, payload: value }),
            }
        }
    }
}
