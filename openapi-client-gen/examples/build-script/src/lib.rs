//! A client for the Todo API, generated at build time from `openapi.yaml` by `build.rs`.
//!
//! ```no_run
//! # async fn run() -> Result<(), todo_client::Error> {
//! let client = todo_client::Client::new("my-token")?;
//! for todo in client.todos().list_todos().done(false).send().await? {
//!     println!("{}: {}", todo.id, todo.title);
//! }
//! # Ok(())
//! # }
//! ```

include!(concat!(env!("OUT_DIR"), "/openapi-client/src/lib.rs"));
