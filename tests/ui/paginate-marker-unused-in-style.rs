use restruct::endpoint;

#[endpoint(GET, "/users", response = Vec<serde_json::Value>, paginate = offset)]
pub struct ListUsers {
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
    #[paginate(cursor)]
    pub after: Option<String>,
}

fn main() {}
