//! Compiled inside the crate generated from tests/fixtures/error-responses.yaml,
//! several-successes.yaml and tagged-unions.yaml (see tests/fixture_client.rs): each documented
//! response, from a local wiremock server, lands in its typed variant, and tagged unions read
//! and write their tags.

use fixture_smoke::error_responses::{self, CreateChargeError, GetChargeError};
use fixture_smoke::several_successes::{self, GetJobLogSuccess, SubmitJobSuccess};
use fixture_smoke::{models, Auth, Error};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

async fn charges(response: ResponseTemplate) -> (MockServer, error_responses::Client) {
    let server = server(response).await;
    let client = error_responses::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
    (server, client)
}

async fn jobs(response: ResponseTemplate) -> (MockServer, several_successes::Client) {
    let server = server(response).await;
    let client = several_successes::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
    (server, client)
}

fn api_error<E: std::fmt::Debug>(result: Result<impl std::fmt::Debug, Error<E>>) -> E {
    match result {
        Err(Error::Api(e)) => e.body,
        other => panic!("expected a documented error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_exact_status_wins_over_its_range_and_default() {
    let (_s, client) = charges(ResponseTemplate::new(404).set_body_json(json!({"resource": "charge"}))).await;
    match api_error(client.get_charge("c1").await) {
        GetChargeError::NotFound(body) => assert_eq!(body.resource, "charge"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_range_carries_its_status_and_body() {
    let (_s, client) = charges(ResponseTemplate::new(418).set_body_json(json!({"message": "teapot"}))).await;
    match api_error(client.get_charge("c1").await) {
        GetChargeError::ClientError { status, body } => assert_eq!((status, body.message.as_str()), (418, "teapot")),
        other => panic!("{other:?}"),
    }
    let (_s, client) = charges(ResponseTemplate::new(503)).await;
    match api_error(client.get_charge("c1").await) {
        GetChargeError::ServerError { status } => assert_eq!(status, 503),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn default_takes_what_nothing_else_documents_but_successes() {
    let (_s, client) = charges(ResponseTemplate::new(409).set_body_json(json!({"message": "taken", "code": "dup"}))).await;
    match api_error(client.create_charge(&models::Charge { id: "c".into(), amount: 5 }).await) {
        CreateChargeError::Default { status, body } => assert_eq!((status, body.code.as_deref()), (409, Some("dup"))),
        other => panic!("{other:?}"),
    }
    // A 2XX range is a success, whichever status in it.
    let (_s, client) = charges(ResponseTemplate::new(201).set_body_json(json!({"id": "c", "amount": 5}))).await;
    let charge = client.create_charge(&models::Charge { id: "c".into(), amount: 5 }).await.expect("a success");
    assert_eq!(charge.amount, 5);
}

#[tokio::test]
async fn several_successes_land_in_their_variants() {
    let body = models::JobRequest { task: Some("t".into()) };
    let (_s, client) = jobs(ResponseTemplate::new(200).set_body_json(json!({"output": "42"}))).await;
    assert!(matches!(client.submit_job(&body).await, Ok(SubmitJobSuccess::Ok(r)) if r.output == "42"));
    let (_s, client) = jobs(ResponseTemplate::new(202).set_body_json(json!({"id": "j1", "state": "queued"}))).await;
    assert!(matches!(client.submit_job(&body).await, Ok(SubmitJobSuccess::Accepted(j)) if j.id == "j1"));
    let (_s, client) = jobs(ResponseTemplate::new(204)).await;
    assert!(matches!(client.submit_job(&body).await, Ok(SubmitJobSuccess::NoContent)));
    let (_s, client) = jobs(ResponseTemplate::new(206).set_body_string("line 1\n")).await;
    assert!(matches!(client.get_job_log("j1").await, Ok(GetJobLogSuccess::PartialContent(t)) if t == "line 1\n"));
}

mod tagged {
    use fixture_smoke::models::{AddressAllocator, Datum, Explicit, Source};
    use fixture_smoke::tagged_unions;
    use fixture_smoke::Auth;
    use serde_json::{json, Value};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(json: Value, expected: T) {
        let decoded: T = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(decoded, expected);
        assert_eq!(serde_json::to_value(&decoded).expect("encodes"), json);
    }

    #[test]
    fn internally_tagged_variants_hold_the_rest_and_unit_variants_nothing() {
        let explicit = Explicit { ip: "10.0.0.1".into(), pool: None };
        round_trip(json!({"type": "explicit", "ip": "10.0.0.1"}), AddressAllocator::Explicit(explicit));
        round_trip(json!({"type": "auto"}), AddressAllocator::Auto);
        round_trip(json!({"type": "later", "x": 1}), AddressAllocator::Unknown(json!({"type": "later", "x": 1})));
        assert!(serde_json::from_value::<AddressAllocator>(json!({"ip": "10.0.0.1"})).is_err(), "no tag");
    }

    #[test]
    fn adjacently_tagged_variants_hold_the_value_beside_the_tag() {
        round_trip(json!({"type": "count", "datum": 5}), Datum::Count(5));
        round_trip(json!({"type": "bool", "datum": true}), Datum::Bool(true));
        round_trip(json!({"type": "missing"}), Datum::Missing);
    }

    #[test]
    fn externally_tagged_variants_are_named_by_their_property() {
        let decoded: Source = serde_json::from_value(json!({"pool": "default"})).expect("decodes");
        assert!(matches!(decoded, Source::Pool(p) if p.pool == "default"));
    }

    #[tokio::test]
    async fn a_tagged_body_is_sent_with_its_tag() {
        let server = MockServer::start().await;
        let answer = json!({"ip": "10.0.0.9", "value": {"type": "missing"}, "source": {"pool": "p"}, "sort": "name_ascending"});
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(answer)).mount(&server).await;
        let client = tagged_unions::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let address = client.allocate_address(&AddressAllocator::Auto).await.expect("a success");
        assert_eq!(address.value, Datum::Missing);
        let request = server.received_requests().await.expect("recorded").remove(0);
        assert_eq!(serde_json::from_slice::<Value>(&request.body).expect("JSON"), json!({"type": "auto"}));
    }
}
