use restruct::{endpoint, Client};

// The template is wrong, but the struct, its fields and its `send` are still there: the
// macro's error is the only one, not a cascade through the code that uses the struct.
#[endpoint(GET, "/users/<userid>", response = serde_json::Value)]
#[derive(Debug, Clone)]
pub struct GetUser {
    pub user_id: String,
}

async fn fetch(client: &Client) -> Result<serde_json::Value, restruct::Error> {
    let req = GetUser { user_id: "user_123".into() };
    let copy = req.clone();
    println!("{copy:?} {}", copy.user_id);
    req.send(client).await
}

fn main() {
    let _ = fetch;
}
