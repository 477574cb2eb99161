use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
struct GetUser {
    #[validate(with = check_user_id)]
    user_id: String,
}

fn check_user_id(id: &u64) -> bool {
    *id > 0
}

fn main() {}
