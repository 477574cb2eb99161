use restruct::endpoint;

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query("per_page")]
    #[serde(rename = "per-page")]
    per_page: u32,
}

fn main() {}
