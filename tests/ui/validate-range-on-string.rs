use restruct::endpoint;

#[endpoint(POST, "/users")]
struct CreateUser {
    #[validate(range(min = 1, max = 64))]
    first_name: Option<String>,
}

fn main() {}
