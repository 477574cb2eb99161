use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
struct GetUser {
    user_id: String,
    #[header("X-Api-Key", secret)]
    key: String,
}

fn main() {}
