use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
struct GetUser {
    user_id: String,
    #[skip]
    #[validate(non_empty)]
    note: String,
}

fn main() {}
