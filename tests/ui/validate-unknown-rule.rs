use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
struct GetUser {
    #[validate(nonempty)]
    user_id: String,
}

fn main() {}
