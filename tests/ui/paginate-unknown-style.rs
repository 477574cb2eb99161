use restruct::{endpoint, Client};

#[endpoint(GET, "/users", response = Vec<serde_json::Value>, paginate = ofset)]
pub struct ListUsers {
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

// The rest of the crate still compiles against the struct: no follow-on errors.
pub fn users(client: &Client) -> restruct::Paginator<ListUsers> {
    client.paginate(ListUsers { offset: None, limit: None })
}

fn main() {}
