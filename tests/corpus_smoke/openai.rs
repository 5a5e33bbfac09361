//! Compiled inside the crate generated from ../shared/corpus/openapi31/openai.yaml (see
//! tests/corpus.rs): a chat completion and a response streamed as OpenAI streams them, replayed
//! by a local server, read as typed events.

use openapi31_openai::models::{CreateChatCompletionRequest, CreateResponse, ResponseStreamEvent};
use openapi31_openai::{openai, Auth, StreamExt};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A chat completion as OpenAI streams it: a role, two pieces of content, the finish reason, a
/// usage chunk with no choices (`stream_options.include_usage`), then `[DONE]`.
const CHAT_STREAM: &str = concat!(
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",",
    "\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},",
    "\"logprobs\":null,\"finish_reason\":null}]}\n\n",
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",",
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
    ": OPENROUTER PROCESSING\n\n",
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",",
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",",
    "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n",
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",",
    "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n",
    "data: [DONE]\n\n",
);

#[tokio::test]
async fn a_chat_completion_streams_typed_chunks_until_done() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-test"))
        .and(header("accept", "text/event-stream"))
        .and(body_partial_json(serde_json::json!({"stream": true, "model": "gpt-4o-mini"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(CHAT_STREAM, "text/event-stream"))
        .mount(&server)
        .await;
    let client = openai::Client::with_base_url(format!("{}/v1", server.uri()), Auth::bearer("sk-test")).unwrap();
    let request: CreateChatCompletionRequest = serde_json::from_value(serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Say hello"}],
        "stream": true,
        "stream_options": {"include_usage": true}
    }))
    .unwrap();
    let chunks: Vec<_> = client.create_chat_completion(&request).events().await.unwrap().collect().await;
    let chunks: Vec<_> = chunks.into_iter().map(|c| c.expect("every chunk decodes").data).collect();
    assert_eq!(chunks.len(), 5, "four chunks and the usage, nothing of [DONE]");
    let text: String = chunks.iter().flat_map(|c| &c.choices).filter_map(|c| c.delta.content.as_deref()).collect();
    assert_eq!(text, "Hello there");
    assert!(chunks[3].choices[0].finish_reason.is_some());
    assert_eq!(chunks[4].usage.as_ref().map(|u| u.total_tokens), Some(11));
}

#[tokio::test]
async fn a_response_streams_its_typed_events() {
    let server = MockServer::start().await;
    let body = concat!(
        "event: response.output_text.delta\n",
        "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,",
        "\"content_index\":0,\"delta\":\"Hi\",\"sequence_number\":1,\"logprobs\":[]}\n\n",
    );
    Mock::given(method("POST"))
        .and(path("/v1/responses"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let client = openai::Client::with_base_url(format!("{}/v1", server.uri()), Auth::bearer("sk-test")).unwrap();
    let request: CreateResponse =
        serde_json::from_value(serde_json::json!({"model": "gpt-4o", "input": "Hi", "stream": true})).unwrap();
    let events: Vec<_> = client.create_response(&request).events().await.unwrap().collect().await;
    assert_eq!(events.len(), 1);
    let event = events[0].as_ref().expect("the event decodes");
    assert_eq!(event.event.as_deref(), Some("response.output_text.delta"));
    match &event.data {
        ResponseStreamEvent::ResponseTextDeltaEvent(delta) => assert_eq!(delta.delta, "Hi"),
        other => panic!("a text delta: {other:?}"),
    }
}
