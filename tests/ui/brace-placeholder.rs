use restruct::endpoint;

#[endpoint(GET, "/users/{user_id}")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
