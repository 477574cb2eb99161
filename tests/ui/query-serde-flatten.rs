use restruct::endpoint;

#[derive(serde::Serialize)]
struct Page {
    limit: u32,
}

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query]
    #[serde(flatten)]
    page: Page,
}

fn main() {}
