use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>", respone = serde_json::Value)]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
