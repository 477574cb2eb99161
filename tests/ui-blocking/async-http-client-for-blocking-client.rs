// A blocking client sends through a blocking reqwest client; an async one is a type error.
fn main() {
    let _ = restruct::BlockingClient::builder()
        .base_url("https://api.test")
        .http_client(restruct::reqwest::Client::new())
        .build();
}
