use restruct::endpoint;

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query]
    #[serde(skip)]
    cursor: Option<String>,
}

fn main() {}
