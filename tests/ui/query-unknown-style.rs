use restruct::endpoint;

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query(style = deep_object)]
    filter: std::collections::BTreeMap<String, String>,
}

fn main() {}
