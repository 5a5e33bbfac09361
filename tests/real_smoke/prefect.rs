//! Compiled inside the crate generated from the OpenAPI document a running Prefect server
//! serves (see tests/real_server.rs): a flow through its variables, as a user would write it.
//! Prefect is started with `PREFECT_SERVER_API_AUTH_STRING`, so every request needs HTTP Basic,
//! which its spec does not declare: the client sends it with `Auth::basic_on_every_request`.

use prefect_client::models::{
    BodyReadVariablesVariablesFilterPost, FlowFilterTags, ValueModel, VariableCreate, VariableFilter, VariableUpdate,
};
use prefect_client::openapi::{Client, CreateVariableVariablesPostError};
use prefect_client::{Auth, Error, StreamExt};

fn client(auth: Auth) -> Client {
    let url = std::env::var("PREFECT_URL").expect("PREFECT_URL: the server's /api URL");
    Client::with_base_url(url, auth).expect("a client")
}

fn authenticated() -> Client {
    let password = std::env::var("PREFECT_PASSWORD").expect("PREFECT_PASSWORD");
    client(Auth::none().basic_on_every_request("admin", password))
}

#[tokio::test]
async fn variables_are_created_read_listed_page_by_page_updated_and_deleted() {
    let client = authenticated();
    // Create five variables.
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut create = VariableCreate::new(format!("sdkgen_var_{i}"));
        create.value = Some(ValueModel::from(format!("value {i}")));
        create.tags = Some(vec!["sdkgen".into()]);
        let created = client.create_variable_variables_post(&create).await.expect("created");
        assert_eq!(created.name, format!("sdkgen_var_{i}"));
        ids.push(created.id);
    }

    // Read one back, by id and by name.
    let read = client.read_variable_variables_id_get(ids[2]).await.expect("read");
    assert_eq!(read.value, Some(ValueModel::from("value 2".to_string())));
    let by_name = client.read_variable_by_name_variables_name_name_get("sdkgen_var_3").await.expect("read by name");
    assert_eq!(by_name.id, ids[3]);

    // List them through a stream, two a page (Prefect's `limit` and `offset` are fields of the
    // filter body), narrowed to their tag.
    let mut tags = FlowFilterTags::default();
    tags.all = Some(vec!["sdkgen".into()]);
    let mut variables = VariableFilter::default();
    variables.tags = Some(tags);
    let mut filter = BodyReadVariablesVariablesFilterPost::default();
    filter.variables = Some(variables);
    let seen: Vec<_> = client
        .read_variables_variables_filter_post(Some(&filter))
        .stream(2)
        .map(|v| v.expect("a variable").id)
        .collect()
        .await;
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(ids.iter().all(|id| seen.contains(id)));

    // Update, and see the change.
    let mut update = VariableUpdate::default();
    update.value = Some(ValueModel::from(42i64));
    client.update_variable_variables_id_patch(ids[0], &update).await.expect("updated");
    let read = client.read_variable_variables_id_get(ids[0]).await.expect("read");
    assert_eq!(read.value, Some(ValueModel::from(42i64)));

    // Delete them all; reading one then is a 404, which Prefect's spec does not document.
    for id in &ids {
        client.delete_variable_variables_id_delete(*id).await.expect("deleted");
    }
    match client.read_variable_variables_id_get(ids[0]).await {
        Err(Error::UnexpectedStatus(r)) => assert_eq!(r.status.as_u16(), 404),
        other => panic!("expected a 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_error_is_its_typed_variant_and_no_credentials_are_refused() {
    let client = authenticated();
    // Names are at most 255 characters: Prefect answers 422 with its validation error.
    let long = VariableCreate::new("x".repeat(300));
    match client.create_variable_variables_post(&long).await {
        // Prefect's 422 body is its own (`exception_detail`), not the `HTTPValidationError` its
        // spec documents; that type's fields are all optional, so it still decodes.
        Err(Error::Api(e)) => match &e.body {
            CreateVariableVariablesPostError::UnprocessableEntity(_) => assert_eq!(e.status.as_u16(), 422),
            other => panic!("{other:?}"),
        },
        other => panic!("expected a 422, got {other:?}"),
    }
    // Without the password the server refuses the call (401, undocumented in its spec).
    let anonymous = client_without_auth();
    match anonymous.read_variable_by_name_variables_name_name_get("anything").await {
        Err(Error::UnexpectedStatus(r)) => assert_eq!(r.status.as_u16(), 401),
        other => panic!("expected a 401, got {other:?}"),
    }
}

fn client_without_auth() -> Client {
    client(Auth::None)
}
