//! Generates the Todo API's client from `openapi.yaml` into `OUT_DIR`; `src/lib.rs`
//! includes it. Cargo runs this again when the spec changes.

fn main() {
    if let Err(error) = openapi_client_gen::Build::new("openapi.yaml").generate() {
        // The message names the file and the JSON pointer of what is wrong.
        panic!("cannot generate the client: {error}");
    }
}
