use restruct::endpoint;

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query]
    #[validate(length(max = 500))]
    limit: Option<u32>,
}

fn main() {}
