use restruct::endpoint;

#[endpoint(GET, "/events", response = Vec<serde_json::Value>, paginate = cursor)]
pub struct ListEvents {
    #[paginate(cursor)]
    pub after: Option<String>,
}

fn main() {}
