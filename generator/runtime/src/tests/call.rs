//! `call!`: the call type it defines takes its required parameters in `new`, has a setter per
//! optional one, sends the headers and timeout set on it, and `.await` gives what `send` does;
//! `*_at` read the one success or the operation's error.

use std::future::IntoFuture;

use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::core;
use crate::runtime::{Auth, Core, Error, ReadError, Response, SpecTokenUrl};

/// What a generated module's `Client` is to its calls.
pub struct Client {
    core: Core,
}

/// An operation's documented errors.
#[derive(Debug)]
pub enum ThingsError {
    NotFound(String),
}

impl ReadError for ThingsError {
    fn read(response: Response) -> Error<Self> {
        match response.status() {
            404 => response.error(Self::NotFound),
            _ => response.unexpected_status(),
        }
    }
}

crate::runtime::call! {
    /// A call.
    pub struct ListThings<'a> {
        id: &'a str,
        /// `limit`: how many.
        limit: Option<i32>,
        /// `tags`: which.
        ///
        /// A second line.
        tags: Option<Vec<Vec<String>>>,
    }
    impl<'a> ListThings<'a> {
        /// Sends it.
        pub async fn send(self) -> Result<String, Error<ThingsError>> {
            self.request(reqwest::Method::GET, "listThings", "/things/{id}")
                .path_param("id", self.id)
                .query("limit", self.limit)
                .query("tags", self.tags.as_ref().map(|t| t.len()))
                .send()
                .await?
                .text_at(200)
        }

        /// A method of its own.
        pub fn id(&self) -> &str {
            self.id
        }
    }
}

#[tokio::test]
async fn a_call_sets_its_parameters_and_awaits_as_it_sends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/a"))
        .and(query_param("limit", "3"))
        .and(query_param("tags", "1"))
        .and(header("x-a", "b"))
        .respond_with(ResponseTemplate::new(200).set_body_string("listed"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/b"))
        .respond_with(ResponseTemplate::new(404).set_body_string("\"no b\""))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/things/c")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let client = Client { core: core(&server.uri(), Auth::None, SpecTokenUrl::None) };
    let call = ListThings::new(&client, "a");
    assert_eq!(call.id(), "a");
    let call = call.limit(3).tags(vec![vec!["x".into()]]).timeout(std::time::Duration::from_secs(5)).header("x-a", "b");
    assert_eq!(call.clone().send().await.unwrap(), "listed");
    assert_eq!(call.into_future().await.unwrap(), "listed");
    match ListThings::new(&client, "b").await {
        Err(Error::Api(e)) => assert!(matches!(e.body, ThingsError::NotFound(ref s) if s == "no b")),
        other => panic!("{other:?}"),
    }
    match ListThings::new(&client, "c").await {
        Err(Error::UnexpectedStatus(raw)) => assert_eq!(raw.status, 500),
        other => panic!("{other:?}"),
    }
}
