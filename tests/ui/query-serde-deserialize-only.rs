use restruct::endpoint;

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query]
    #[serde(default)]
    limit: Option<u32>,
}

fn main() {}
