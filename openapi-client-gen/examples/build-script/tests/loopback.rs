//! The generated client, included from `OUT_DIR`, against a server on loopback.

use todo_client::{types, Client, Error};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).allow_http().bearer_token("t0ken").build().expect("a client")
}

#[tokio::test]
async fn lists_and_creates_todos_over_http() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/todos"))
        .and(query_param("done", "false"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"id": 1, "title": "write the spec", "done": false},
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/todos"))
        .and(body_json(serde_json::json!({"title": "generate the client"})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"id": 2, "title": "generate the client", "done": false})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let todos = client.todos().list_todos().done(false).send().await.expect("the list");
    assert_eq!(todos.len(), 1);
    assert_eq!((todos[0].id, todos[0].title.as_str(), todos[0].done), (1, "write the spec", false));

    let body = types::NewTodo::new("generate the client");
    let created = client.todos().create_todo(body).send().await.expect("the new to-do");
    assert_eq!(created.id, 2);
}

#[tokio::test]
async fn an_error_answer_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/todos"))
        .respond_with(ResponseTemplate::new(422).set_body_json(serde_json::json!({"message": "empty title"})))
        .mount(&server)
        .await;
    let result = client(&server).todos().create_todo(types::NewTodo::new("x")).send().await;
    let Err(Error::Api(error)) = result else { panic!("an API error, got {result:?}") };
    assert_eq!(error.status().as_u16(), 422);
}
