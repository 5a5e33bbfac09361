//! Compiled inside the crate generated from tests/fixtures/error-responses.yaml,
//! several-successes.yaml, tagged-unions.yaml, formats.yaml and the pagination-*.yaml fixtures
//! (see tests/fixture_client.rs), against local wiremock servers: each documented response
//! lands in its typed variant, tagged unions read and write their tags, formats are their types
//! on the wire both ways, each style of pagination streams lazily to the end, and documented
//! response headers are read.

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
    let (_s, client) = charges(ResponseTemplate::new(503).insert_header("x-retry-in-seconds", "30")).await;
    match client.get_charge("c1").await {
        Err(Error::Api(e)) => {
            // The headers the spec documents for error responses are read, typed, from the error.
            let headers = error_responses::GetChargeErrorHeaders::read(&e.headers);
            assert_eq!((headers.x_retry_in_seconds, headers.x_request_id), (Some(30), None));
            assert!(matches!(e.body, GetChargeError::ServerError { status: 503 }), "{:?}", e.body);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn default_takes_what_nothing_else_documents_but_successes() {
    let (_s, client) = charges(ResponseTemplate::new(409).set_body_json(json!({"message": "taken", "code": "dup"}))).await;
    match api_error(client.create_charge(&models::Charge::new("c", 5)).await) {
        CreateChargeError::Default { status, body } => assert_eq!((status, body.code.as_deref()), (409, Some("dup"))),
        other => panic!("{other:?}"),
    }
    // A 2XX range is a success, whichever status in it.
    let (_s, client) = charges(ResponseTemplate::new(201).set_body_json(json!({"id": "c", "amount": 5}))).await;
    let charge = client.create_charge(&models::Charge::new("c", 5)).await.expect("a success");
    assert_eq!(charge.amount, 5);
}

#[tokio::test]
async fn several_successes_land_in_their_variants() {
    let mut body = models::JobRequest::default();
    body.task = Some("t".into());
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
        let explicit = Explicit::new("10.0.0.1");
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

mod formats {
    use std::net::{IpAddr, Ipv4Addr};

    use fixture_smoke::formats::Client;
    use fixture_smoke::{Auth, Error};
    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const ID: &str = "3f2c1e9a-7b4d-4c2e-9f1a-0d6b5e8c7a21";

    fn device(id: &str) -> serde_json::Value {
        json!({"id": id, "address": "192.0.2.10", "gateway": "2001:db8::1", "firmware": "aGVsbG8",
               "port": 8443, "uptime_seconds": 18446744073709551615u64, "tag": ID})
    }

    #[tokio::test]
    async fn formats_decode_as_their_types_and_parameters_go_as_text() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/devices/{ID}")))
            .and(query_param("via", "2001:db8::1"))
            .and(query_param("peers", ID))
            .respond_with(ResponseTemplate::new(200).set_body_json(device(ID)))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let id: uuid::Uuid = ID.parse().expect("a uuid");
        let via: IpAddr = "2001:db8::1".parse().expect("an address");
        let device = client.get_device(id).via(via).peers(&[id]).await.expect("the device");
        assert_eq!((device.id, device.address, device.gateway), (id, Ipv4Addr::new(192, 0, 2, 10), Some(via)));
        // Unpadded base64 is read; it is written back padded.
        assert_eq!(&*device.firmware, b"hello");
        assert_eq!((device.port, device.uptime_seconds), (Some(8443), Some(u64::MAX)));
        assert_eq!(device.tag, Some(fixture_smoke::models::DeviceTag::Uuid(id)));
        let written = serde_json::to_value(&device).expect("JSON");
        assert_eq!((written["id"].as_str(), written["firmware"].as_str()), (Some(ID), Some("aGVsbG8=")));
    }

    #[tokio::test]
    async fn a_value_not_of_its_format_is_a_decode_error_naming_the_field() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(device("not-a-uuid")))
            .mount(&server)
            .await;
        let client = Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        match client.get_device(ID.parse().expect("a uuid")).await {
            Err(Error::Decode(e)) => assert_eq!(e.path, "id", "{e:?}"),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}

mod pagination {
    use fixture_smoke::{Auth, Error, StreamExt};
    use serde_json::json;
    use wiremock::matchers::{body_partial_json, method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
        server.received_requests().await.expect("recording")
    }

    fn query(request: &wiremock::Request, name: &str) -> Vec<String> {
        request.url.query_pairs().filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).collect()
    }

    /// Two pages of conversations: `a`, `b` then `c`, whose empty `next_cursor` ends the list;
    /// the second page is `second`.
    async fn conversations(second: ResponseTemplate) -> (MockServer, fixture_smoke::pagination_token::Client) {
        let server = MockServer::start().await;
        Mock::given(path("/conversations"))
            .and(query_param_is_missing("cursor"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": [{"id": "a"}, {"id": "b"}], "next_cursor": "c2"})))
            .mount(&server)
            .await;
        Mock::given(path("/conversations")).and(query_param("cursor", "c2")).respond_with(second).mount(&server).await;
        let client =
            fixture_smoke::pagination_token::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        (server, client)
    }

    fn last_page() -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": "c"}], "next_cursor": ""}))
    }

    #[tokio::test]
    async fn a_token_stream_follows_the_cursor_to_the_end() {
        use fixture_smoke::models::ListConversationsState;
        let (server, client) = conversations(last_page()).await;
        let ids: Vec<String> = client
            .list_conversations()
            .per_page(2)
            .state(ListConversationsState::Open)
            .stream()
            .map(|c| c.expect("a conversation").id)
            .collect()
            .await;
        assert_eq!(ids, ["a", "b", "c"]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2, "one request per page, none after the last");
        // The caller's parameters go with every page.
        assert!(sent.iter().all(|r| query(r, "state") == ["open"] && query(r, "per_page") == ["2"]));
    }

    #[tokio::test]
    async fn pages_are_fetched_only_as_the_stream_is_read_and_never_after_it_is_dropped() {
        let (server, client) = conversations(last_page()).await;
        let mut stream = Box::pin(client.list_conversations().stream());
        assert_eq!(requests(&server).await.len(), 0, "nothing before the first read");
        assert_eq!(stream.next().await.expect("an item").expect("ok").id, "a");
        assert_eq!(stream.next().await.expect("an item").expect("ok").id, "b");
        assert_eq!(requests(&server).await.len(), 1, "the second page waits for the third item");
        drop(stream);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(requests(&server).await.len(), 1);
    }

    #[tokio::test]
    async fn an_error_is_an_item_of_the_stream_and_ends_it() {
        let (server, client) =
            conversations(ResponseTemplate::new(500).set_body_string("down")).await;
        let items: Vec<Result<_, _>> = client.list_conversations().stream().collect().await;
        assert_eq!(items.len(), 3, "two items, then the error");
        assert!(matches!(&items[2], Err(Error::UnexpectedStatus(r)) if r.status == 500), "{:?}", items[2]);
        assert_eq!(requests(&server).await.len(), 2);
    }

    #[tokio::test]
    async fn a_server_that_repeats_its_token_is_not_asked_forever() {
        let (server, client) = conversations(
            ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": "c"}], "next_cursor": "c2"})),
        )
        .await;
        let items: Vec<_> = client.list_conversations().stream().collect().await;
        assert_eq!(items.len(), 3);
        assert_eq!(requests(&server).await.len(), 2);
    }

    #[tokio::test]
    async fn dropshot_later_pages_send_only_the_token_limit_and_required_parameters() {
        use fixture_smoke::models::SortBy;
        let server = MockServer::start().await;
        Mock::given(path("/v1/silos/s1/instances"))
            .and(query_param_is_missing("page_token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": [{"id": "3f2c1e9a-7b4d-4c2e-9f1a-0d6b5e8c7a21", "name": "web"}], "next_page": "t2"})))
            .mount(&server)
            .await;
        Mock::given(path("/v1/silos/s1/instances"))
            .and(query_param("page_token", "t2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": [{"id": "4f2c1e9a-7b4d-4c2e-9f1a-0d6b5e8c7a21", "name": "db"}], "next_page": null})))
            .mount(&server)
            .await;
        let client =
            fixture_smoke::pagination_dropshot::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let names: Vec<String> = client
            .instance_list("s1", "p1")
            .limit(1)
            .sort_by(SortBy::NameDescending)
            .stream()
            .map(|i| i.expect("an instance").name)
            .collect()
            .await;
        assert_eq!(names, ["web", "db"]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2);
        assert_eq!(query(&sent[0], "sort_by"), ["name_descending"]);
        assert!(query(&sent[1], "sort_by").is_empty(), "the token stands for the sort");
        assert!(sent.iter().all(|r| query(r, "project") == ["p1"] && query(r, "limit") == ["1"]));
    }

    #[tokio::test]
    async fn an_after_last_stream_sends_the_last_id_while_there_is_more() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/customers"))
            .and(query_param_is_missing("starting_after"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "object": "list", "url": "/v1/customers", "has_more": true,
                "data": [{"id": "cus_1"}, {"id": "cus_2"}]})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/customers"))
            .and(query_param("starting_after", "cus_2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "object": "list", "url": "/v1/customers", "has_more": false, "data": [{"id": "cus_3"}]})))
            .mount(&server)
            .await;
        let client =
            fixture_smoke::pagination_after::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let ids: Vec<String> = client
            .get_customers()
            .expand(&["sources"])
            .limit(2)
            .stream()
            .map(|c| c.expect("a customer").id)
            .collect()
            .await;
        assert_eq!(ids, ["cus_1", "cus_2", "cus_3"]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|r| query(r, "expand") == ["sources"]), "list parameters go with every page");
    }

    /// Issues `1..=3` on page one, `4` on page two (reached through `next`), and page two's
    /// `Link` given by `last_link`.
    async fn issues(server: &MockServer, next: String, last_link: Option<String>) {
        Mock::given(path("/repos/o/r/issues"))
            .and(query_param_is_missing("page"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", format!(r#"<{next}>; rel="next", <{next}&x=1>; rel="last""#))
                    .set_body_json(json!([{"number": 1, "title": "a"}, {"number": 2, "title": "b"}, {"number": 3, "title": "c"}])),
            )
            .mount(server)
            .await;
        let mut second = ResponseTemplate::new(200).set_body_json(json!([{"number": 4, "title": "d"}]));
        if let Some(link) = last_link {
            second = second.insert_header("link", link);
        }
        Mock::given(path("/repos/o/r/issues")).and(query_param("page", "2")).respond_with(second).mount(server).await;
    }

    #[tokio::test]
    async fn a_link_stream_follows_next_links_on_the_clients_origin() {
        let server = MockServer::start().await;
        issues(&server, format!("{}/repos/o/r/issues?page=2&state=open", server.uri()), None).await;
        let client =
            fixture_smoke::pagination_link::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let numbers: Vec<i64> = client
            .issues_list_for_repo("o", "r").stream()
            .map(|i| i.expect("an issue").number)
            .collect()
            .await;
        assert_eq!(numbers, [1, 2, 3, 4]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2, "no link on the last page: no third request");
        assert_eq!(query(&sent[1], "state"), ["open"], "the link is followed as given");
        assert!(sent.iter().all(|r| r.headers.get("authorization").is_some()));
    }

    #[tokio::test]
    async fn a_link_to_another_origin_is_an_error_and_is_not_followed() {
        let server = MockServer::start().await;
        let elsewhere = MockServer::start().await;
        issues(&server, format!("{}/repos/o/r/issues?page=2", elsewhere.uri()), None).await;
        let client =
            fixture_smoke::pagination_link::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let items: Vec<_> = client.issues_list_for_repo("o", "r").stream().collect().await;
        assert_eq!(items.len(), 4, "three issues, then the error");
        assert!(matches!(&items[3], Err(Error::InvalidRequest(why)) if why.contains("another origin")), "{:?}", items[3]);
        assert_eq!(requests(&elsewhere).await.len(), 0);
    }

    #[tokio::test]
    async fn a_relative_link_is_resolved_against_the_base_url() {
        let server = MockServer::start().await;
        issues(&server, "/repos/o/r/issues?page=2".to_string(), Some("<https://example.invalid/x>; rel=\"prev\"".into())).await;
        let client =
            fixture_smoke::pagination_link::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let items: Vec<_> = client.issues_list_for_repo("o", "r").stream().collect().await;
        assert_eq!(items.len(), 4, "a `prev` link is not a next page: {items:?}");
        assert!(items.iter().all(Result::is_ok));
    }

    /// Mounts the three pages of a list of five (`a`..`e`) capped at two items a page, at
    /// offsets 0, 2 and 4, each answered as `page` makes it from its ids.
    async fn by_offset(server: &MockServer, at: &str, page: impl Fn(&[&str]) -> ResponseTemplate) {
        for (offset, ids) in [("0", &["a", "b"][..]), ("2", &["c", "d"]), ("4", &["e"])] {
            Mock::given(path(at)).and(query_param("offset", offset)).respond_with(page(ids)).mount(server).await;
        }
    }

    #[tokio::test]
    async fn an_offset_stream_ends_at_the_total_not_at_a_short_page() {
        let server = MockServer::start().await;
        // The server caps pages at 2 although 3 are asked for: without the total, the first
        // short page would end the list after two accounts.
        by_offset(&server, "/accounts", |ids| {
            let body: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
            ResponseTemplate::new(200).insert_header("X-Total-Count", "5").set_body_json(body)
        })
        .await;
        let client =
            fixture_smoke::pagination_total::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let ids: Vec<String> = client.list_accounts().stream(3).map(|a| a.expect("an account").id).collect().await;
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 3, "no request past the total");
        assert_eq!(query(&sent[0], "count"), ["true"], "the count is asked for once");
        assert!(query(&sent[1], "count").is_empty() && query(&sent[2], "count").is_empty());
    }

    #[tokio::test]
    async fn an_offset_envelope_stream_ends_at_the_total_its_pages_give() {
        let server = MockServer::start().await;
        // Pages capped at 2 although 3 are asked for; the envelope's `total_count` ends the list.
        by_offset(&server, "/folders/f1/items", |ids| {
            let entries: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 5, "entries": entries}))
        })
        .await;
        let client =
            fixture_smoke::pagination_envelope::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let ids: Vec<String> =
            client.list_folder_items("f1").sort("name").stream(3).map(|i| i.expect("an item").id).collect().await;
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 3, "no request past the total");
        assert!(sent.iter().all(|r| query(r, "limit") == ["3"] && query(r, "sort") == ["name"]));
    }

    #[tokio::test]
    async fn a_resource_named_envelope_streams_to_the_total_it_gives() {
        let server = MockServer::start().await;
        // FastAPI's `{"variables": [...], "total_entries": 5}`, pages capped at 2 of the 3 asked.
        by_offset(&server, "/variables", |ids| {
            let variables: Vec<_> = ids.iter().map(|id| json!({"key": id, "value": "v"})).collect();
            ResponseTemplate::new(200).set_body_json(json!({"variables": variables, "total_entries": 5}))
        })
        .await;
        let client =
            fixture_smoke::pagination_envelope::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let keys: Vec<String> = client.get_variables().stream(3).map(|v| v.expect("a variable").key).collect().await;
        assert_eq!(keys, ["a", "b", "c", "d", "e"]);
        assert_eq!(requests(&server).await.len(), 3, "no request past the total");
        // Django REST framework's `count` ends the list the same way.
        let server = MockServer::start().await;
        by_offset(&server, "/pets", |ids| {
            let results: Vec<_> = ids.iter().map(|id| json!({"name": id})).collect();
            ResponseTemplate::new(200).set_body_json(json!({"count": 5, "next": null, "results": results}))
        })
        .await;
        let client =
            fixture_smoke::pagination_envelope::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let names: Vec<String> = client.pets_list().stream(3).map(|p| p.expect("a pet").name).collect().await;
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
        assert_eq!(requests(&server).await.len(), 3);
    }

    #[tokio::test]
    async fn an_offset_envelope_stream_without_a_total_ends_at_a_short_page() {
        let server = MockServer::start().await;
        for (offset, keys) in [("0", vec!["a", "b"]), ("2", vec!["c"])] {
            let items: Vec<_> = keys.iter().map(|key| json!({"key": key})).collect();
            Mock::given(path("/flags"))
                .and(query_param("offset", offset))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": items, "_links": {}})))
                .mount(&server)
                .await;
        }
        let client =
            fixture_smoke::pagination_envelope::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let keys: Vec<String> = client.list_flags().stream(2).map(|f| f.expect("a flag").key).collect().await;
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(requests(&server).await.len(), 2);
    }

    /// The JSON body a request sent.
    fn sent_json(request: &wiremock::Request) -> serde_json::Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    #[tokio::test]
    async fn a_body_paged_stream_sends_the_callers_body_with_limit_and_offset_set() {
        let server = MockServer::start().await;
        for (offset, names) in [(0, &["a", "b"][..]), (2, &["c"])] {
            let items: Vec<_> = names.iter().map(|name| json!({"name": name})).collect();
            Mock::given(path("/variables/filter"))
                .and(body_partial_json(json!({"offset": offset})))
                .respond_with(ResponseTemplate::new(200).set_body_json(items))
                .mount(&server)
                .await;
        }
        let client =
            fixture_smoke::pagination_body::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let mut filter = fixture_smoke::models::VariableFilterRequest::default();
        filter.name_like = Some("ab".into());
        filter.offset = Some(40);
        let names: Vec<String> =
            client.read_variables(Some(&filter)).stream(2).map(|v| v.expect("a variable").name).collect().await;
        assert_eq!(names, ["a", "b", "c"]);
        let sent: Vec<_> = requests(&server).await.iter().map(sent_json).collect();
        // The caller's filter goes with every page; the stream's own offset replaces theirs.
        assert_eq!(
            sent,
            [json!({"offset": 0, "limit": 2, "name_like": "ab"}), json!({"offset": 2, "limit": 2, "name_like": "ab"})]
        );
        // Without a body, each page sends the default body with the two set.
        let server = MockServer::start().await;
        Mock::given(path("/variables/filter"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"name": "x"}])))
            .mount(&server)
            .await;
        let client =
            fixture_smoke::pagination_body::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let all: Vec<_> = client.read_variables(None).stream(5).collect().await;
        assert_eq!(all.len(), 1);
        assert_eq!(sent_json(&requests(&server).await[0]), json!({"offset": 0, "limit": 5}));
    }

    #[tokio::test]
    async fn a_body_paged_envelope_ends_at_its_total_and_a_query_paged_post_keeps_its_body() {
        let server = MockServer::start().await;
        for (offset, names) in [(0, &["a", "b"][..]), (2, &["c", "d"])] {
            let hits: Vec<_> = names.iter().map(|name| json!({"name": name})).collect();
            Mock::given(path("/documents/search"))
                .and(body_partial_json(json!({"offset": offset})))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 3, "hits": hits})))
                .mount(&server)
                .await;
        }
        Mock::given(path("/search"))
            .respond_with(
                ResponseTemplate::new(200).insert_header("X-Total-Count", "1").set_body_json(json!([{"name": "z"}])),
            )
            .mount(&server)
            .await;
        let client =
            fixture_smoke::pagination_body::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let request = fixture_smoke::models::DocumentSearchRequest::new("q");
        let names: Vec<String> =
            client.search_documents(&request).stream(2).map(|v| v.expect("a hit").name).collect().await;
        // The total (3) ends the list inside the second page, which the server did not cut short.
        assert_eq!(names, ["a", "b", "c", "d"]);
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 2, "no request past the total");
        assert_eq!(sent_json(&sent[1]), json!({"query": "q", "limit": 2, "offset": 2}));
        let indices = fixture_smoke::models::Search::new(vec!["idx".to_string()]);
        let found: Vec<_> = client.search(&indices).stream(10).collect().await;
        assert_eq!(found.len(), 1);
        let sent = requests(&server).await;
        let last = sent.last().expect("the search");
        assert_eq!((query(last, "limit"), query(last, "offset")), (vec!["10".to_string()], vec!["0".to_string()]));
        assert_eq!(sent_json(last), json!({"indices": ["idx"]}));
    }

    #[tokio::test]
    async fn documented_headers_come_typed_with_the_value_and_secrets_stay_hidden() {
        let server = MockServer::start().await;
        Mock::given(path("/sessions"))
            .respond_with(
                ResponseTemplate::new(201)
                    .insert_header("set-cookie", "session=s3cr3t")
                    .insert_header("x-ratelimit-remaining", "41")
                    .set_body_json(json!({"user": "ada"})),
            )
            .mount(&server)
            .await;
        Mock::given(path("/reports"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-ratelimit-remaining", "not a number")
                    .insert_header("etag", "\"v1\"")
                    .set_body_json(json!({"count": 2})),
            )
            .mount(&server)
            .await;
        let client =
            fixture_smoke::response_headers::Client::with_base_url(server.uri(), Auth::bearer("t")).expect("client");
        let session = client.create_session().send_with_headers().await.expect("a session");
        assert_eq!(session.value.user.as_deref(), Some("ada"));
        assert_eq!(session.headers.x_rate_limit_remaining, Some(41));
        assert_eq!(session.headers.set_cookie.as_ref().map(|c| c.expose()), Some("session=s3cr3t"));
        assert!(!format!("{session:?}").contains("s3cr3t"), "{session:?}");
        // The plain call is unchanged.
        assert_eq!(client.create_session().await.expect("a session").user.as_deref(), Some("ada"));
        let reports = client.list_reports().a("x").send_with_headers().await.expect("reports");
        assert_eq!(reports.value.count, Some(2));
        // A header that does not parse is `None`, not an error that would cost the body.
        assert_eq!(reports.headers.x_rate_limit_remaining, None);
        assert_eq!((reports.headers.e_tag.as_deref(), reports.headers.x_cached), (Some("\"v1\""), None));
    }
}
